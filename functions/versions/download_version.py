"""GET /v1/assets/{asset_id}/versions/{number}/download: redirect to that version's file."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import versions
from functions.services.deps import get_deps

ROUTE = BY_NAME["download_version"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Download a version",
    description="302 to a presigned URL of that version's original, with its own file name.",
    responses=api.responses(
        ROUTE,
        api.redirect_response("Redirect to the file."),
        404,
        described={409: f"The version is `pending` or `failed`: it has no file (`conflict`). {api.NOT_A_FILE}"},
    ),
)
def download_version(
    asset_id: api.AssetIdPath, number: api.VersionNumberPath, redirect: api.RedirectQuery = True
) -> Response[Any]:
    return api.download(versions.download_url(get_deps(), api.tenant(router), asset_id, number), redirect)


handler = api.lambda_handler(ROUTE, router)
