"""POST /v1/assets/{asset_id}/comments: a comment on an asset, optionally on a region or a page of it."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.comments import Comment, CommentRequest
from functions.routes import BY_NAME
from functions.services import comments
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_comment"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Comment on an asset",
    description="`text` (1 to 2,000 characters) and an optional `annotation`: a region `{x, y, w, h}` of the image "
    "in fractions of its size, or `{page}` of a PDF. `author` is the API key's label. Sends `comment.created`.",
    responses=api.responses(ROUTE, {201: {"description": "The comment."}}, 404),
)
def create_comment(
    asset_id: api.AssetIdPath, request: CommentRequest, idempotency_key: api.IdempotencyKey = None
) -> Response[Comment]:
    principal = api.principal(router)
    created = comments.add_comment(get_deps(), principal.tenant, asset_id, request, principal.label)
    return Response(status_code=201, content_type="application/json", body=created)


handler = api.lambda_handler(ROUTE, router)
