"""PATCH /v1/assets/{asset_id}: edit descriptive fields."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import Asset, AssetUpdate
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["update_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Update an asset",
    description="Changes only the fields present in the body; `null` clears a field. A body that changes "
    "nothing (`{}`, or the values the asset already has) writes nothing, keeps `updated_at` and sends no event.",
    responses=api.responses(
        ROUTE, {200: {"description": "The asset after the change.", "headers": api.ETAG}}, 404, 409, 412
    ),
)
def update_asset(asset_id: api.AssetIdPath, update: AssetUpdate, if_match: api.IfMatch = None) -> Response[Asset]:
    return api.tagged(assets.update_asset(get_deps(), api.tenant(router), asset_id, update, api.entity_tags(if_match)))


handler = api.lambda_handler(ROUTE, router)
