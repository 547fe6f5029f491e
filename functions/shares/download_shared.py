"""GET /v1/shared/{token}/assets/{asset_id}/download: a shared file, counted on the share and the asset (public)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["download_shared"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Download a shared file (public)",
    description="No API key. 302 to a presigned GET of the original. Counts one download on the share (410 once it "
    "has `max_downloads`) and on the asset. An asset the share does not show: 404.",
    responses=api.responses(
        ROUTE,
        api.redirect_response("Redirect to the file."),
        404,
        described={
            403: "The share has a password (`password_required`).",
            409: "A link or an external video: it has no file (`not_a_file`).",
            410: "Expired or used up (`gone`).",
        },
    ),
)
def download_shared(
    token: api.TokenPath, asset_id: api.AssetIdPath, access: api.AccessQuery = None, redirect: api.RedirectQuery = True
) -> Response[Any]:
    deps = get_deps()
    visit = shares.visit(deps, token, api.base_url(router), access)
    return api.download(shares.download(deps, visit, asset_id), redirect)


handler = api.lambda_handler(ROUTE, router)
