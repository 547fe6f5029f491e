"""GET /v1/assets/{asset_id}/renditions/{name}: redirect to a short-lived presigned GET of a rendition."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import RenditionName
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["download_rendition"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Download a rendition",
    description="302 to a presigned URL of a WebP rendition listed in the asset's `renditions` "
    "(`small`: 256 px on the long edge, `large`: 1024 px), orientation applied, EXIF and GPS stripped.",
    responses=api.responses(
        ROUTE,
        api.redirect_response("Redirect to the rendition."),
        404,
        described={409: f"The asset is not `ready` (`conflict`). {api.NOT_A_FILE}"},
    ),
)
def download_rendition(
    asset_id: api.AssetIdPath,
    name: Annotated[RenditionName, Path(description="Rendition name.")],
    redirect: api.RedirectQuery = True,
) -> Response[Any]:
    return api.download(assets.rendition_url(get_deps(), api.tenant(router), asset_id, name), redirect)


handler = api.lambda_handler(ROUTE, router)
