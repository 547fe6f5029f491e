"""DELETE /v1/webhooks/{webhook_id}: no more deliveries to it."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_webhook"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete a webhook",
    description="Nothing more is sent to it, deliveries already queued included; its delivery log goes with them "
    "(30 days later, by TTL).",
    responses=api.responses(ROUTE, api.NO_CONTENT, described={404: api.NO_WEBHOOK}),
)
def delete_webhook(webhook_id: api.WebhookIdPath) -> Response[None]:
    webhooks.delete_webhook(get_deps(), api.tenant(router), webhook_id)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
