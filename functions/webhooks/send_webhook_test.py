"""POST /v1/webhooks/{webhook_id}/test: a `webhook.test` event, sent to this endpoint only."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import WebhookTested
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["send_webhook_test"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Send a test event",
    description="A `webhook.test` event goes to this endpoint alone within seconds, signed like any other, tried "
    "once; its delivery (with `event_id`) appears in `GET /v1/webhooks/{webhook_id}/deliveries`.",
    responses=api.responses(
        ROUTE,
        {202: {"description": "The test event is on its way."}},
        described={404: api.NO_WEBHOOK, 409: "The webhook is disabled (`conflict`): enable it first."},
    ),
)
def send_webhook_test(
    webhook_id: api.WebhookIdPath, idempotency_key: api.IdempotencyKey = None
) -> Response[WebhookTested]:
    sent = webhooks.send_test(get_deps(), api.tenant(router), webhook_id)
    return Response(status_code=202, content_type="application/json", body=sent)


handler = api.lambda_handler(ROUTE, router)
