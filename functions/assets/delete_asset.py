"""DELETE /v1/assets/{asset_id}: to the trash (or, with `permanent=true`, purged at once)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import trash
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete an asset",
    description="The asset goes to the trash (`GET /v1/trash`): from then on it is 404 here and absent from lists, "
    "search, filters and counts, and `asset.deleted` is sent. It can be restored until it is purged, "
    "`TRASH_RETENTION_DAYS` (30) later. A pending asset, which has no file yet, and any asset with "
    "`permanent=true` are purged at once: every file and record gone, then `asset.purged`.",
    responses=api.responses(
        ROUTE,
        api.NO_CONTENT,
        404,
        described={
            412: "`If-Match` names a revision of the asset that is no longer current (`precondition_failed`).",
        },
    ),
)
def delete_asset(
    asset_id: api.AssetIdPath,
    permanent: Annotated[bool, Query(description="Purge at once instead of moving to the trash.")] = False,
    if_match: api.IfMatch = None,
) -> Response[None]:
    trash.delete(get_deps(), api.tenant(router), asset_id, api.entity_tags(if_match), permanent=permanent)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
