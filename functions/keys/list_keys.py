"""GET /v1/keys: the API keys of the caller's tenant, the newest first."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.keys import KeyPage
from functions.routes import BY_NAME
from functions.services import keys
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_keys"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List API keys",
    description="Your tenant's keys, the newest first: `id`, `prefix` (the key's first characters), `label`, "
    "`scopes`, `created_at`, `last_used_at` (to the minute) and `expires_at`; never a key itself. An expired key is "
    "listed until DynamoDB's TTL removes it.",
    responses=api.responses(ROUTE, {200: {"description": "One page of keys."}}),
)
def list_keys(
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> KeyPage:
    return keys.list_keys(get_deps(), api.tenant(router), limit, cursor)


handler = api.lambda_handler(ROUTE, router)
