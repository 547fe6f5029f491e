"""DELETE /v1/folders/{folder_id}: remove an empty folder."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import folders
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_folder"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete a folder",
    description="Only an empty folder: one that holds folders or assets is a 409.",
    responses=api.responses(
        ROUTE,
        api.NO_CONTENT,
        described={
            404: api.NO_FOLDER,
            409: "The folder holds folders or assets (`conflict`).",
            412: "`If-Match` names a revision of the folder that is no longer current (`precondition_failed`).",
        },
    ),
)
def delete_folder(folder_id: api.FolderIdPath, if_match: api.IfMatch = None) -> Response[None]:
    folders.delete_folder(get_deps(), api.tenant(router), folder_id, api.entity_tags(if_match))
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
