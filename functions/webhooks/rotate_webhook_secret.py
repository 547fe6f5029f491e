"""POST /v1/webhooks/{webhook_id}/rotate-secret: a new signing secret; the old one still signs for a day."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import WebhookCreated
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["rotate_webhook_secret"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Rotate a webhook's secret",
    description="The answer's `secret` is new and shown only now. For 24 hours every delivery carries two "
    "signatures in `webhook-signature` (space-separated), one per secret, so a receiver can switch at its own "
    "pace.",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The webhook, with its new secret."}},
        described={404: api.NO_WEBHOOK, 409: "Other requests keep changing it (`conflict`); retry."},
    ),
)
def rotate_webhook_secret(webhook_id: api.WebhookIdPath, idempotency_key: api.IdempotencyKey = None) -> WebhookCreated:
    return webhooks.rotate_secret(get_deps(), api.tenant(router), webhook_id)


handler = api.lambda_handler(ROUTE, router)
