"""GET /v1/assets/{asset_id}/versions: the versions of an asset's file, the newest first."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.versions import VersionPage
from functions.routes import BY_NAME
from functions.services import versions
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_versions"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List the versions",
    description="Every version of the asset's file, the newest first; `current` marks the one it serves.",
    responses=api.responses(ROUTE, {200: {"description": "One page of versions."}}, 404),
)
def list_versions(
    asset_id: api.AssetIdPath,
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> VersionPage:
    return versions.list_versions(get_deps(), api.tenant(router), asset_id, limit, cursor)


handler = api.lambda_handler(ROUTE, router)
