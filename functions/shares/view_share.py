"""GET /v1/shared/{token}: a share's public URL. No API key: the token is the secret.

People get an HTML page (the files with thumbnails and download buttons, or the password form); programs that
send `Accept: application/json` get the same contents as JSON."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.errors import DomainError, PasswordRequired
from functions.models.shares import SharedPage
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps
from functions.shares import page

ROUTE = BY_NAME["view_share"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Open a share (public)",
    description="No API key. HTML for people; with `Accept: application/json`, the shared assets a visitor may see "
    "(ready, inside their availability window, not in the trash) with their download URLs. A password share "
    "answers 403 `password_required` until `access` (from `POST /v1/shared/{token}/unlock`) is passed. Expired, "
    "or as many downloads as `max_downloads`: 410. Revoked or unknown: 404.",
    responses=page.also_html(
        api.responses(
            ROUTE,
            {
                200: {
                    "description": "The share's contents: HTML, or JSON with `Accept: application/json`.",
                    "content": {"application/json": {"model": SharedPage}, "text/html": page.HTML},
                }
            },
            404,
            described={403: "The share has a password (`password_required`).", 410: "Expired or used up (`gone`)."},
        ),
        403,
        404,
        410,
    ),
)
def view_share(token: api.TokenPath, access: api.AccessQuery = None, cursor: api.CursorQuery = None) -> Response[Any]:
    deps, base = get_deps(), api.base_url(router)
    if not page.wants_html(router.current_event.headers or {}):
        visit = shares.visit(deps, token, base, access)
        return Response(status_code=200, content_type="application/json", body=shares.contents(deps, visit, cursor))
    try:
        visit = shares.visit(deps, token, base, access)
        contents = shares.contents(deps, visit, cursor)
    except PasswordRequired as locked:
        return page.render(locked.status, locked=True, unlock_url=f"{base}{shares.SHARED_PATH}{token}/unlock")
    except DomainError as closed:
        return page.render(closed.status, error=closed.message)
    more = visit.link() + ("&" if visit.access else "?") + f"cursor={contents.next_cursor}"
    return page.render(
        200,
        page=contents,
        next_url=more if contents.next_cursor else None,
        exports_url=f"{visit.base}/exports",
        access=visit.access,
    )


handler = api.lambda_handler(ROUTE, router)
