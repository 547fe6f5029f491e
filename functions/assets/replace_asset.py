"""PUT /v1/assets/{asset_id}: replace every editable field at once."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import Asset, AssetReplace
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["replace_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Replace an asset's editable fields",
    description="Sets every editable field (title, description, alt, notes, credits, tags, folder_id, custom, "
    "source) to the body's value: an absent field is cleared. A body that changes nothing writes nothing.",
    responses=api.responses(
        ROUTE, {200: {"description": "The asset after the change.", "headers": api.ETAG}}, 404, 409, 412
    ),
)
def replace_asset(asset_id: api.AssetIdPath, fields: AssetReplace, if_match: api.IfMatch = None) -> Response[Asset]:
    return api.tagged(assets.update_asset(get_deps(), api.tenant(router), asset_id, fields, api.entity_tags(if_match)))


handler = api.lambda_handler(ROUTE, router)
