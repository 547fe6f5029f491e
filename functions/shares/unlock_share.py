"""POST /v1/shared/{token}/unlock: a share's password, for an `access` to pass on its URLs (public)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.shares import Access, Unlock
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["unlock_share"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Unlock a password share (public)",
    description="No API key. The right password answers `{access, expires_at}`: pass `access` as a query parameter "
    "on the share's URLs for the next hour. A wrong one: 403 `password_required`, `field: password`; five in a row "
    "lock the share's password for 15 minutes (429 `too_many_attempts` with `Retry-After`).",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The access to pass on."}},
        404,
        described={403: "Wrong password (`password_required`).", 410: "Expired or used up (`gone`)."},
    ),
)
def unlock_share(token: api.TokenPath, request: Unlock) -> Access:
    return shares.unlock(get_deps(), token, request.password)


handler = api.lambda_handler(ROUTE, router)
