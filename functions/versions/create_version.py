"""POST /v1/assets/{asset_id}/versions: a presigned upload of new bytes for an existing asset."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.versions import VersionCreated, VersionRequest
from functions.routes import BY_NAME
from functions.services import versions
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_version"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Upload a new version of the file",
    description="Registers version `n + 1` as `pending` and returns a presigned POST for its bytes, sent as with "
    "`POST /v1/uploads`. Once processed and `ready`, the asset serves it: same id, folder and editable fields; "
    "its `version`, file name, type, size, hashes, metadata and renditions are the new file's, and "
    "`asset.replaced` is sent. If it fails, the asset stays as it was and the version records the `error`.",
    responses=api.responses(
        ROUTE,
        {201: {"description": "Version created; upload its bytes.", "links": api.VERSION_LINKS}},
        404,
        413,
        described={409: f"The asset is still `pending` (`conflict`). {api.NOT_A_FILE}"},
    ),
)
def create_version(
    asset_id: api.AssetIdPath, request: VersionRequest, idempotency_key: api.IdempotencyKey = None
) -> Response[VersionCreated]:
    created = versions.create_version(get_deps(), api.tenant(router), asset_id, request)
    return Response(status_code=201, content_type="application/json", body=created)


handler = api.lambda_handler(ROUTE, router)
