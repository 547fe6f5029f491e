"""POST /v1/assets/{asset_id}/copy: a new asset with its own files, from an existing one."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import Asset, AssetCopy
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["copy_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Copy an asset",
    description="A new asset with its own id: the original and renditions are copied server-side, the metadata "
    "and editable fields kept, the status too (`ready` or `failed`). `folder_id` places the copy (absent: the "
    "source's folder).",
    responses=api.responses(
        ROUTE,
        {201: {"description": "The copy.", "links": api.COPY_LINKS, "headers": api.ETAG}},
        404,
        described={409: "The asset is still `pending`: there is nothing to copy yet (`conflict`)."},
    ),
)
def copy_asset(
    asset_id: api.AssetIdPath, request: AssetCopy, idempotency_key: api.IdempotencyKey = None
) -> Response[Asset]:
    return api.tagged(assets.copy_asset(get_deps(), api.tenant(router), asset_id, request), 201)


handler = api.lambda_handler(ROUTE, router)
