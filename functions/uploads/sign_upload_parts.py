"""POST /v1/uploads/{upload_id}/parts: presigned URLs for more parts of a multipart upload, or fresh ones."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.uploads import PartsRequest, PartUrls
from functions.routes import BY_NAME
from functions.services import multipart
from functions.services.deps import get_deps

ROUTE = BY_NAME["sign_upload_parts"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Sign more parts",
    description="Presigned PUT URLs for the parts named (the parts after the first 100, or any whose URL expired). "
    "Signing a part again does not discard what was uploaded to it.",
    responses=api.responses(
        ROUTE,
        {200: {"description": "The parts' URLs."}},
        described={404: "No such upload for this tenant (`not_found`).", 409: "The upload is completed (`conflict`)."},
    ),
)
def sign_upload_parts(
    upload_id: api.UploadIdPath, request: PartsRequest, idempotency_key: api.IdempotencyKey = None
) -> PartUrls:
    return multipart.sign_parts(get_deps(), api.tenant(router), upload_id, request)


handler = api.lambda_handler(ROUTE, router)
