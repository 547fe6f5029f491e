"""POST /v1/shared/{token}/exports: a share's "download all", a zip of what it shows (public)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.exports import ExportCreated
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["export_shared"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Download all of a share as a zip (public)",
    description="No API key. Starts an export of what the share shows (as `POST /v1/exports`; the zip holds nothing "
    "else and its manifest names nothing else); poll `GET /v1/shared/{token}/exports/{export_id}`. Counts one "
    "download of the share: past `max_downloads`, 410.",
    responses=api.responses(
        ROUTE,
        {202: {"description": "The export is queued."}},
        404,
        described={403: "The share has a password (`password_required`).", 410: "Expired or used up (`gone`)."},
    ),
)
def export_shared(token: api.TokenPath, access: api.AccessQuery = None) -> Response[ExportCreated]:
    deps = get_deps()
    created = shares.export_all(deps, shares.visit(deps, token, api.base_url(router), access))
    return Response(status_code=202, content_type="application/json", body=created)


handler = api.lambda_handler(ROUTE, router)
