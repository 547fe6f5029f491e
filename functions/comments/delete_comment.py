"""DELETE /v1/assets/{asset_id}/comments/{comment_id}: remove a comment."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import comments
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_comment"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delete a comment",
    description="Gone for good; sends `comment.deleted`.",
    responses=api.responses(ROUTE, api.NO_CONTENT, 404),
)
def delete_comment(asset_id: api.AssetIdPath, comment_id: api.CommentIdPath) -> Response[None]:
    comments.delete_comment(get_deps(), api.tenant(router), asset_id, comment_id)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
