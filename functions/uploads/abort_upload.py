"""DELETE /v1/uploads/{upload_id}: abort a multipart upload, and remove the pending asset or version it was for."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import multipart
from functions.services.deps import get_deps

ROUTE = BY_NAME["abort_upload"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Abort a multipart upload",
    description="Its parts are freed, and what it was for is removed: the pending asset (purged, with "
    "`asset.deleted` and `asset.purged`) or the pending version. Nothing half-made is left.",
    responses=api.responses(
        ROUTE,
        api.NO_CONTENT,
        described={
            404: "No such upload for this tenant (`not_found`).",
            409: "The upload is completed: delete the asset or the version instead (`conflict`).",
        },
    ),
)
def abort_upload(upload_id: api.UploadIdPath) -> Response[None]:
    multipart.abort(get_deps(), api.tenant(router), upload_id)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
