"""DELETE /v1/assets/{asset_id}: remove the record, the original and every derived object."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete an asset",
    responses=api.responses(
        ROUTE,
        api.NO_CONTENT,
        404,
        described={
            412: "`If-Match` names a revision of the asset that is no longer current (`precondition_failed`).",
        },
    ),
)
def delete_asset(asset_id: api.AssetIdPath, if_match: api.IfMatch = None) -> Response[None]:
    assets.delete_asset(get_deps(), api.tenant(router), asset_id, api.entity_tags(if_match))
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
