"""POST /v1/assets: a link or an external video, an asset without a file."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.assets import Asset, LinkRequest
from functions.routes import BY_NAME
from functions.services import assets
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_asset"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Create a link or an external video",
    description="An asset without a file, `ready` at once (`asset.ready`): `kind: link` keeps any `https` address, "
    "`kind: external_video` a YouTube or Vimeo video's, with its `provider`, `video_id` and `embed_url`. The address "
    "is never fetched. It lists, filters, searches and sits in folders like any asset and is edited with `PATCH`; "
    "download, renditions, versions and delivery answer 409 `not_a_file`.",
    responses=api.responses(
        ROUTE,
        {201: {"description": "The asset.", "links": api.COPY_LINKS, "headers": api.ETAG}},
        described={
            400: "Invalid input (`invalid_request`, `invalid_json`): an address that is not `https`, has a user name, "
            "an IP address or a private host, or, for `external_video`, is not a YouTube or Vimeo video "
            "(`field: url`); a `folder_id` that is not one of your folders (`field: folder_id`).",
        },
    ),
)
def create_asset(request: LinkRequest, idempotency_key: api.IdempotencyKey = None) -> Response[Asset]:
    return api.tagged(assets.create_asset(get_deps(), api.tenant(router), request), 201)


handler = api.lambda_handler(ROUTE, router)
