"""GET /v1/webhooks/{webhook_id}/deliveries: what was sent to the endpoint and how each attempt went."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import DeliveryPage
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_webhook_deliveries"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List a webhook's deliveries",
    description="The newest first, each with its attempts (newest first: time, status code, duration, error and "
    "the start of the answer) and its next attempt. Kept 30 days.",
    responses=api.responses(ROUTE, {200: {"description": "One page of deliveries."}}, described={404: api.NO_WEBHOOK}),
)
def list_webhook_deliveries(
    webhook_id: api.WebhookIdPath,
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> DeliveryPage:
    return webhooks.list_deliveries(get_deps(), api.tenant(router), webhook_id, limit, cursor)


handler = api.lambda_handler(ROUTE, router)
