"""PATCH /v1/folders/{folder_id}: rename or move a folder, with everything in it."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.folders import Folder, FolderUpdate
from functions.routes import BY_NAME
from functions.services import folders
from functions.services.deps import get_deps

ROUTE = BY_NAME["update_folder"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Rename or move a folder",
    description="`name` renames, `parent_id` moves (`null`: to the root level); the subtree moves along and "
    "every path below follows at once. A body that changes nothing writes nothing.",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The folder after the change.", "headers": api.ETAG}},
        described={
            404: api.NO_FOLDER,
            409: "A sibling already has this name (`field: name`), the move would put the folder inside itself "
            "or its own subtree, or the folders involved changed meanwhile (`field: parent_id`) (`conflict`).",
            412: "`If-Match` names a revision of the folder that is no longer current (`precondition_failed`).",
        },
    ),
)
def update_folder(folder_id: api.FolderIdPath, update: FolderUpdate, if_match: api.IfMatch = None) -> Response[Folder]:
    return api.tagged(
        folders.update_folder(get_deps(), api.tenant(router), folder_id, update, api.entity_tags(if_match))
    )


handler = api.lambda_handler(ROUTE, router)
