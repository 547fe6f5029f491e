"""GET /v1/folders/{folder_id}: one folder, with its path and ancestors."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.folders import FolderDetail
from functions.routes import BY_NAME
from functions.services import folders
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_folder"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Get a folder",
    responses=api.responses(
        ROUTE, {200: {"description": "The folder.", "headers": api.ETAG}}, described={404: api.NO_FOLDER}
    ),
)
def get_folder(folder_id: api.FolderIdPath) -> Response[FolderDetail]:
    return api.tagged(folders.get_folder(get_deps(), api.tenant(router), folder_id))


handler = api.lambda_handler(ROUTE, router)
