"""POST /v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry: one more attempt of an ended delivery."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import Delivery
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["retry_webhook_delivery"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Retry a delivery",
    description="The same event (same `webhook-id` and body) is sent again within seconds, once; the attempt is "
    "added to the delivery's.",
    responses=api.responses(
        ROUTE,
        {202: {"description": "The delivery, pending again."}},
        described={
            404: "No such webhook, or no such delivery of it (`not_found`).",
            409: "The delivery is still pending, or the webhook is disabled (`conflict`).",
        },
    ),
)
def retry_webhook_delivery(
    webhook_id: api.WebhookIdPath, delivery_id: api.DeliveryIdPath, idempotency_key: api.IdempotencyKey = None
) -> Response[Delivery]:
    delivery = webhooks.retry_delivery(get_deps(), api.tenant(router), webhook_id, delivery_id)
    return Response(status_code=202, content_type="application/json", body=delivery)


handler = api.lambda_handler(ROUTE, router)
