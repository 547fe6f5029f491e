"""POST /v1/folders: a folder at the root or under a parent."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.folders import Folder, FolderCreate
from functions.routes import BY_NAME
from functions.services import folders
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_folder"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Create a folder",
    description="At the root level, or under `parent_id`. Sibling names are unique, ignoring case.",
    responses=api.responses(
        ROUTE,
        {201: {"description": "The folder.", "links": api.FOLDER_LINKS, "headers": api.ETAG}},
        described={409: "A sibling already has this name, ignoring case (`conflict`, `field: name`)."},
    ),
)
def create_folder(request: FolderCreate, idempotency_key: api.IdempotencyKey = None) -> Response[Folder]:
    return api.tagged(folders.create_folder(get_deps(), api.tenant(router), request), 201)


handler = api.lambda_handler(ROUTE, router)
