"""POST /v1/uploads: register an asset and hand out a presigned POST for its bytes."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import UploadRequest
from functions.models.uploads import UploadCreated
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_upload"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Create an upload",
    description="Creates a `pending` asset and says where to send its bytes. Up to `SINGLE_UPLOAD_BYTES` (100 MiB): "
    "`upload.method` is `POST`: send the returned `fields` and then the file as `multipart/form-data` to `url`. "
    "Larger: `multipart`: PUT each part to its URL, keep each answer's `ETag`, then "
    "`POST /v1/uploads/{upload_id}/complete`. The asset becomes `ready` or `failed` once processed. With "
    "`sha256` of bytes the tenant already holds, answers 200 with that asset, `duplicate: true` and no upload.",
    responses=api.responses(
        ROUTE,
        {
            200: {"description": "Duplicate: the existing asset, nothing to upload.", "links": api.ASSET_LINKS},
            201: {"description": "Upload created.", "links": api.ASSET_LINKS},
        },
        413,
    ),
)
def create_upload(request: UploadRequest, idempotency_key: api.IdempotencyKey = None) -> Response[UploadCreated]:
    created = assets.create_upload(get_deps(), api.tenant(router), request)
    return Response(status_code=200 if created.duplicate else 201, content_type="application/json", body=created)


handler = api.lambda_handler(ROUTE, router)
