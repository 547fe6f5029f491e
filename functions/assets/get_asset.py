"""GET /v1/assets/{asset_id}: one asset."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import Asset
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Get an asset",
    responses=api.responses(ROUTE, {200: {"description": "The asset.", "headers": api.ETAG}}, 404),
)
def get_asset(asset_id: api.AssetIdPath) -> Response[Asset]:
    return api.tagged(assets.get_asset(get_deps(), api.tenant(router), asset_id))


handler = api.lambda_handler(ROUTE, router)
