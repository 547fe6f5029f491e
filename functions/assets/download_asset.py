"""GET /v1/assets/{asset_id}/download: a presigned GET of the original, as a 302 or (redirect=false) JSON."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["download_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Download the original",
    description="302 to a presigned URL whose `Content-Disposition` carries the original file name.",
    responses=api.responses(
        ROUTE,
        api.redirect_response("Redirect to the file."),
        404,
        described={409: f"The asset is not `ready` (`conflict`). {api.NOT_A_FILE}"},
    ),
)
def download_asset(asset_id: api.AssetIdPath, redirect: api.RedirectQuery = True) -> Response[Any]:
    return api.download(assets.download_url(get_deps(), api.tenant(router), asset_id), redirect)


handler = api.lambda_handler(ROUTE, router)
