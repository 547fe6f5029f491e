"""GET /v1/assets/{asset_id}/comments: an asset's comments, the oldest first."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.comments import CommentPage
from functions.routes import BY_NAME
from functions.services import comments
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_comments"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List the comments",
    description="The asset's comments, the oldest first.",
    responses=api.responses(ROUTE, {200: {"description": "One page of comments."}}, 404),
)
def list_comments(
    asset_id: api.AssetIdPath,
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> CommentPage:
    return comments.list_comments(get_deps(), api.tenant(router), asset_id, limit, cursor)


handler = api.lambda_handler(ROUTE, router)
