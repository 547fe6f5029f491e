"""DELETE /v1/shares/{share_id}: revoke a share; its URL answers 404 at once."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_share"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Revoke a share",
    description="Its URL answers 404 at once; the assets are untouched.",
    responses=api.responses(ROUTE, api.NO_CONTENT, 404),
)
def delete_share(share_id: api.ShareIdPath) -> Response[None]:
    shares.delete_share(get_deps(), api.tenant(router), share_id)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
