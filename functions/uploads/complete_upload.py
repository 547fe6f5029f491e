"""POST /v1/uploads/{upload_id}/complete: assemble a multipart upload's parts into the file, which is processed."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.uploads import CompleteRequest, UploadCompleted
from functions.routes import BY_NAME
from functions.services import multipart
from functions.services.deps import get_deps

ROUTE = BY_NAME["complete_upload"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Complete a multipart upload",
    description="`parts` lists every part from 1, in order, each with the `ETag` S3 answered to its PUT. Each is "
    "checked against what S3 holds before the file is assembled; the file is then processed like any upload. "
    "Completing it again answers the same.",
    responses=api.responses(
        ROUTE,
        {200: {"description": "Completed: the asset (pending, or still serving its current version)."}},
        described={
            404: "No such upload for this tenant (`not_found`).",
            400: "A part is missing, out of order or under 5 MiB (but the last), an `ETag` is not the part's, or "
            "the parts hold more bytes than declared: `field: parts` (`invalid_request`).",
            409: "The upload was aborted or has expired (`conflict`).",
        },
    ),
)
def complete_upload(
    upload_id: api.UploadIdPath, request: CompleteRequest, idempotency_key: api.IdempotencyKey = None
) -> UploadCompleted:
    return multipart.complete(get_deps(), api.tenant(router), upload_id, request)


handler = api.lambda_handler(ROUTE, router)
