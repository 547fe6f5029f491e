"""GET /v1/exports/{export_id}: an export's progress and, once ready, its zip's URL."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.exports import Export
from functions.routes import BY_NAME
from functions.services import exports
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_export"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Get an export",
    description="`status` `pending`, `running` (`progress` counts the assets handled), `ready` (`url`: a presigned "
    "GET of the zip, read again for a fresh one) or `failed` (`error`). Gone after `expires_at`.",
    responses=api.responses(
        ROUTE, {200: {"description": "The export."}}, described={404: "No such export for this tenant (`not_found`)."}
    ),
)
def get_export(export_id: api.ExportIdPath) -> Export:
    return exports.get(get_deps(), api.tenant(router), export_id)


handler = api.lambda_handler(ROUTE, router)
