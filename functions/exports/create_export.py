"""POST /v1/exports: a zip of many assets, made in the background."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.exports import ExportCreated, ExportRequest
from functions.routes import BY_NAME
from functions.services import exports
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_export"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Export assets as a zip",
    description="Exactly one of `asset_ids` (1 to 1,000 distinct ids, in this order), `folder_id` (the folder's "
    "whole subtree, its folder paths kept in the zip) and `query` (the filters of `GET /v1/assets`). Only `ready` "
    "assets go in; the others, and ids that are not yours, are left out and listed in `manifest.csv`. Poll "
    "`GET /v1/exports/{export_id}` until `ready`, then download `url`. Sends `export.ready` or `export.failed`.",
    responses=api.responses(
        ROUTE,
        {202: {"description": "The export is queued."}},
        described={404: api.NO_FOLDER + " Only with `folder_id`: `field` is `folder_id`."},
    ),
)
def create_export(request: ExportRequest, idempotency_key: api.IdempotencyKey = None) -> Response[ExportCreated]:
    record = exports.start(
        get_deps(),
        api.tenant(router),
        asset_ids=request.asset_ids,
        folder_id=request.folder_id,
        query=request.query,
    )
    return Response(
        status_code=202, content_type="application/json", body=ExportCreated(id=record.id, status="pending")
    )


handler = api.lambda_handler(ROUTE, router)
