"""PATCH /v1/shares/{share_id}: change a share's expiry, note or password."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.shares import Share, ShareUpdate
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["update_share"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Update a share",
    description="Only the fields sent change; `null` removes the expiry, the password or the note. A new password "
    "ends every `access` given for the old one.",
    responses=api.responses(ROUTE, {200: {"description": "The share after the change."}}, 404, 409),
)
def update_share(share_id: api.ShareIdPath, update: ShareUpdate) -> Share:
    return shares.update_share(get_deps(), api.tenant(router), share_id, update)


handler = api.lambda_handler(ROUTE, router)
