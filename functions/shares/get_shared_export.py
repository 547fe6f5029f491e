"""GET /v1/shared/{token}/exports/{export_id}: a share's "download all" zip, once ready (public)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.exports import Export
from functions.routes import BY_NAME
from functions.services import shares
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_shared_export"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Get a share's zip (public)",
    description="No API key. As `GET /v1/exports/{export_id}`, for an export this share made: `url` once `ready`. "
    "It answers even once the share has used up its `max_downloads` (the zip counted when it was asked for).",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The export."}},
        404,
        described={403: "The share has a password (`password_required`).", 410: "Expired (`gone`)."},
    ),
)
def get_shared_export(token: api.TokenPath, export_id: api.ExportIdPath, access: api.AccessQuery = None) -> Export:
    deps = get_deps()
    visit = shares.visit(deps, token, api.base_url(router), access, used_up=True)  # the zip counted already
    return shares.shared_export(deps, visit, export_id)


handler = api.lambda_handler(ROUTE, router)
