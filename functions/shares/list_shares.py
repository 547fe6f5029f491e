"""GET /v1/shares: the tenant's shares, the newest first, or those that show one asset."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.shares import SharePage
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_shares"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List shares",
    description="The newest first. With `asset_id`: the shares that show that asset, by its id or by a folder "
    "above it (as `GET /v1/assets/{id}/shares`).",
    responses=api.responses(ROUTE, {200: {"description": "One page of shares."}}, 404),
)
def list_shares(
    asset_id: Annotated[
        str | None, Query(pattern=r"^[0-9a-f]{32}$", description="Only the shares that show this asset.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> SharePage:
    return shares.list_shares(get_deps(), api.tenant(router), limit, cursor, asset_id)


handler = api.lambda_handler(ROUTE, router)
