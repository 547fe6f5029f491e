"""DELETE /v1/trash/{asset_id}: purge an asset in the trash now."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import trash
from functions.services.deps import get_deps

ROUTE = BY_NAME["purge_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Purge an asset from the trash",
    description="Every file of the asset goes, then its record; `asset.purged` is sent. It can't be undone.",
    responses=api.responses(
        ROUTE,
        api.NO_CONTENT,
        described={
            404: "No such asset in the trash (`not_found`).",
            409: "Other requests are changing it (`conflict`).",
        },
    ),
)
def purge_asset(asset_id: api.AssetIdPath) -> Response[None]:
    trash.purge(get_deps(), api.tenant(router), asset_id)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
