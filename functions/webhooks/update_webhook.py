"""PATCH /v1/webhooks/{webhook_id}: change a webhook's URL, events, description, or turn it off and on."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import Webhook, WebhookUpdate
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["update_webhook"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Update a webhook",
    description="Only the fields sent change. `enabled: false` stops its deliveries (`webhook.disabled`, reason "
    "`request`); `enabled: true` sends again from now on and forgets its past failures.",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The webhook after the change."}},
        described={404: api.NO_WEBHOOK, 409: "Other requests keep changing it (`conflict`); retry."},
    ),
)
def update_webhook(webhook_id: api.WebhookIdPath, update: WebhookUpdate) -> Webhook:
    return webhooks.update_webhook(get_deps(), api.tenant(router), webhook_id, update)


handler = api.lambda_handler(ROUTE, router)
