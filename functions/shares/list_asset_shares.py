"""GET /v1/assets/{asset_id}/shares: the shares that show an asset."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.shares import SharePage
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_asset_shares"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List an asset's shares",
    description="The shares that show the asset, by its id or by a folder above it; the newest first.",
    responses=api.responses(ROUTE, {200: {"description": "One page of shares."}}, 404),
)
def list_asset_shares(
    asset_id: api.AssetIdPath,
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> SharePage:
    return shares.list_shares(get_deps(), api.tenant(router), limit, cursor, asset_id)


handler = api.lambda_handler(ROUTE, router)
