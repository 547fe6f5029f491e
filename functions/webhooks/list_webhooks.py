"""GET /v1/webhooks: the tenant's webhook endpoints, the newest first."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.webhooks import WebhookPage
from functions.routes import BY_NAME
from functions.services import webhooks
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_webhooks"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List webhooks",
    description="The newest first; secrets are never shown.",
    responses=api.responses(ROUTE, {200: {"description": "One page of webhooks."}}),
)
def list_webhooks(
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50, cursor: api.CursorQuery = None
) -> WebhookPage:
    return webhooks.list_webhooks(get_deps(), api.tenant(router), limit, cursor)


handler = api.lambda_handler(ROUTE, router)
