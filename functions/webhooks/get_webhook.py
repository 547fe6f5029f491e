"""GET /v1/webhooks/{webhook_id}: one webhook endpoint (without its secret)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import Webhook
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_webhook"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Get a webhook",
    description="Its settings, whether it is enabled (and why not), and since when its attempts fail.",
    responses=api.responses(ROUTE, {200: {"description": "The webhook."}}, described={404: api.NO_WEBHOOK}),
)
def get_webhook(webhook_id: api.WebhookIdPath) -> Webhook:
    return webhooks.get_webhook(get_deps(), api.tenant(router), webhook_id)


handler = api.lambda_handler(ROUTE, router)
