"""POST /v1/shares: a public link to some assets or a folder's subtree."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.shares import Share, ShareRequest
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_share"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Share assets or a folder",
    description="Exactly one of `asset_ids` (1 to 1,000 of the tenant's assets) and `folder_id` (its whole subtree, "
    "as it is at each visit). The answer's `url` needs no API key and is shown only now: only a hash of its "
    "token is kept. Optional `expires_at` (future), `password`, `max_downloads` and `note`.",
    responses=api.responses(ROUTE, {201: {"description": "The share, with its URL."}}, 404),
)
def create_share(request: ShareRequest, idempotency_key: api.IdempotencyKey = None) -> Response[Share]:
    created = shares.create_share(get_deps(), api.tenant(router), request, api.base_url(router))
    return Response(status_code=201, content_type="application/json", body=created)


handler = api.lambda_handler(ROUTE, router)
