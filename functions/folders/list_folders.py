"""GET /v1/folders: the children of a folder (or the root level), by name."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.folders import FolderPage
from functions.routes import BY_NAME
from functions.services import folders
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_folders"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List folders",
    description="The child folders of `parent_id`, or of the root level without it, by name (ignoring case).",
    responses=api.responses(ROUTE, {200: {"description": "One page of folders."}}, described={404: api.NO_FOLDER}),
)
def list_folders(
    parent_id: Annotated[
        str | None,
        Query(pattern=r"^[0-9a-f]{32}$", description="The folder whose children to list; absent: the root level."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> FolderPage:
    return folders.list_folders(get_deps(), api.tenant(router), parent_id, limit, cursor)


handler = api.lambda_handler(ROUTE, router)
