"""GET /v1/assets: the tenant's assets, newest first, with cursor pagination."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import AssetPage, Kind
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_assets"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List assets",
    description="Newest first. Pass `next_cursor` back as `cursor` for the next page.",
    responses=api.responses(ROUTE, {200: {"description": "One page of assets."}}),
)
def list_assets(
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
    kind: Annotated[Kind | None, Query(description="Only assets of this kind.")] = None,
) -> AssetPage:
    return assets.list_assets(get_deps(), api.tenant(router), limit, cursor, kind)


handler = api.lambda_handler(ROUTE, router)
