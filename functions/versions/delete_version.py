"""DELETE /v1/assets/{asset_id}/versions/{number}: remove a version the asset does not serve."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import versions
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_version"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete a version",
    description="The version and its files are gone for good; its number is not given again. A pending version's "
    "upload is cancelled.",
    responses=api.responses(
        ROUTE,
        api.NO_CONTENT,
        404,
        described={409: f"It is the version the asset serves (`conflict`). {api.NOT_A_FILE}"},
    ),
)
def delete_version(asset_id: api.AssetIdPath, number: api.VersionNumberPath) -> Response[None]:
    versions.delete_version(get_deps(), api.tenant(router), asset_id, number)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
