"""POST /v1/trash/{asset_id}/restore: the asset back as it was, in its folder if that still exists."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import Asset
from functions.routes import BY_NAME
from functions.services import trash
from functions.services.deps import get_deps

ROUTE = BY_NAME["restore_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Restore an asset from the trash",
    description="The asset is back in lists, search and counts, in its folder if that still exists, else at the "
    "root level; `asset.restored` is sent.",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The restored asset.", "headers": api.ETAG}},
        described={
            404: "No such asset in the trash (`not_found`).",
            409: "Its purge has begun, or other requests keep changing it (`conflict`).",
        },
    ),
)
def restore_asset(asset_id: api.AssetIdPath) -> Response[Asset]:
    return api.tagged(trash.restore(get_deps(), api.tenant(router), asset_id))


handler = api.lambda_handler(ROUTE, router)
