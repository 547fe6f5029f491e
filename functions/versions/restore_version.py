"""POST /v1/assets/{asset_id}/versions/{number}/restore: an old version's bytes current again, as a new version."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.versions import VersionChange
from functions.routes import BY_NAME
from functions.services import versions
from functions.services.deps import get_deps

ROUTE = BY_NAME["restore_version"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Restore a version",
    description="A new version (`restored_from` names the old one) whose original and renditions are server-side "
    "copies of that version's: no upload, no processing, current at once, and `asset.replaced` is sent.",
    responses=api.responses(
        ROUTE,
        {201: {"description": "The asset, serving the new version, and that version.", "links": api.VERSION_LINKS}},
        404,
        described={409: f"The version is not `ready`, or the asset is `pending` (`conflict`). {api.NOT_A_FILE}"},
    ),
)
def restore_version(
    asset_id: api.AssetIdPath, number: api.VersionNumberPath, idempotency_key: api.IdempotencyKey = None
) -> Response[VersionChange]:
    restored = versions.restore_version(get_deps(), api.tenant(router), asset_id, number)
    return Response(status_code=201, content_type="application/json", body=restored)


handler = api.lambda_handler(ROUTE, router)
