"""POST /v1/webhooks: an endpoint that receives the tenant's events, signed per Standard Webhooks."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import WebhookCreated, WebhookRequest
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_webhook"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Create a webhook",
    description="`url` (`https`, a public host name; see the README's webhook section), `events` (types of the "
    "event catalog, `docs/events/`, or `*`) and an optional `description`. The answer's `secret` verifies every "
    "delivery's `webhook-signature` and is shown only now. An unknown event type is a 400 naming `events`.",
    responses=api.responses(ROUTE, {201: {"description": "The webhook, with its secret."}}),
)
def create_webhook(request: WebhookRequest, idempotency_key: api.IdempotencyKey = None) -> Response[WebhookCreated]:
    created = webhooks.create_webhook(get_deps(), api.tenant(router), request)
    return Response(status_code=201, content_type="application/json", body=created)


handler = api.lambda_handler(ROUTE, router)
