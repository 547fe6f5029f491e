"""DELETE /v1/folders/{folder_id}: remove an empty folder, or with `recursive=true` a whole subtree."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.folders import FolderDeletion
from functions.routes import BY_NAME
from functions.services import folders
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_folder"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete a folder",
    description="Without `recursive`, only an empty folder: one that holds folders or assets is a 409. With "
    "`recursive=true`, 202: the folder is closed at once (nothing may enter it) and the whole subtree, every asset "
    "in it and their files are removed in the background, one `asset.deleted` event per asset; then the folder "
    "answers 404. Sending it again is safe.",
    responses=api.responses(
        ROUTE,
        {
            **api.NO_CONTENT,
            202: {
                "description": "The recursive delete is under way.",
                "content": {"application/json": {"model": FolderDeletion}},
            },
        },
        described={
            404: api.NO_FOLDER,
            409: "Without `recursive`: the folder holds folders or assets (`conflict`).",
            412: "`If-Match` names a revision of the folder that is no longer current (`precondition_failed`).",
        },
    ),
)
def delete_folder(
    folder_id: api.FolderIdPath,
    recursive: Annotated[
        bool, Query(description="Delete the folder with everything in it, in the background (202).")
    ] = False,
    if_match: api.IfMatch = None,
) -> Response[FolderDeletion | None]:
    tenant, revision = api.tenant(router), api.entity_tags(if_match)
    if recursive:
        deletion = folders.delete_folder_tree(get_deps(), tenant, folder_id, revision)
        return Response(status_code=202, content_type="application/json", body=deletion)
    folders.delete_folder(get_deps(), tenant, folder_id, revision)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
