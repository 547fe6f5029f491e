"""GET /v1/shares/{share_id}: one share (without its URL, whose token is not kept)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.shares import Share
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_share"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Get a share",
    description="Its settings and `download_count`; `url` is null (shown once, at creation).",
    responses=api.responses(ROUTE, {200: {"description": "The share."}}, 404),
)
def get_share(share_id: api.ShareIdPath) -> Share:
    return shares.get_share(get_deps(), api.tenant(router), share_id)


handler = api.lambda_handler(ROUTE, router)
