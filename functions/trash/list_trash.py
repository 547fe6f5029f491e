"""GET /v1/trash: the deleted assets that can still be restored, the most recently deleted first."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import TrashPage
from functions.routes import BY_NAME
from functions.services import trash
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_trash"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List the trash",
    description="Deleted assets, the most recently deleted first, each with `deleted_at` and `purge_at`.",
    responses=api.responses(ROUTE, {200: {"description": "One page of the trash."}}),
)
def list_trash(
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> TrashPage:
    return trash.list_trash(get_deps(), api.tenant(router), limit, cursor)


handler = api.lambda_handler(ROUTE, router)
