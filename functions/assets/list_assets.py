"""GET /v1/assets: the tenant's assets, filtered and sorted, with cursor pagination."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from pydantic import AwareDatetime, BeforeValidator

from functions import api
from functions.models.assets import MAX_TAGS, AssetPage, Kind, Status, Tag
from functions.models.common import rfc_3339
from functions.routes import BY_NAME
from functions.services import listing
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_assets"]
router = APIGatewayRouter()

Moment = Annotated[
    AwareDatetime | None,
    BeforeValidator(rfc_3339),
    Query(description="RFC 3339 date-time with its offset, e.g. `2026-01-31T09:00:00Z`. Exclusive."),
]


@api.operation(
    router,
    ROUTE,
    summary="List assets",
    description="All filters combine. Ties in the sort break by id, so paging is total and stable. Pass "
    "`next_cursor` back as `cursor`, with the same other parameters, for the next page.",
    responses=api.responses(ROUTE, {200: {"description": "One page of assets."}}),
)
def list_assets(
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
    sort: Annotated[
        Literal["created_at", "updated_at", "title", "filename", "size", "download_count"],
        Query(description="What to order by."),
    ] = "created_at",
    order: Annotated[Literal["desc", "asc"], Query(description="Descending (default) or ascending.")] = "desc",
    kind: Annotated[Kind | None, Query(description="Only assets of this kind.")] = None,
    status: Annotated[Status | None, Query(description="Only assets in this state.")] = None,
    content_type: Annotated[
        str | None,
        Query(
            max_length=255,
            pattern=r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$",
            description="Only assets of this media type, e.g. `image/png`.",
        ),
    ] = None,
    folder_id: Annotated[
        str | None,
        Query(
            pattern=r"^([0-9a-f]{32}|root)$",
            description="Only the assets directly in this folder; `root`: at the root level.",
        ),
    ] = None,
    recursive: Annotated[
        bool, Query(description="With `folder_id`: every asset of the folder's subtree, not only its own.")
    ] = False,
    tag: Annotated[
        list[Tag] | None,
        Query(max_length=MAX_TAGS, description="Only assets with this tag (any case); repeat it: all must be present."),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Keywords: each must start a word of the title, filename, alt text, description, "
            "notes, credits or a tag, ignoring case and accents (`cafe` finds `Café Terrace.jpg`). Filenames also "
            "split on `-`, `_`, `.` and camelCase.",
        ),
    ] = None,
    include_total: Annotated[bool, Query(description="Add `total`: the exact number of matches.")] = False,
    created_after: Moment = None,
    created_before: Moment = None,
    updated_after: Moment = None,
    updated_before: Moment = None,
) -> AssetPage:
    query = listing.asset_query(
        sort=sort,
        order=order,
        kind=kind,
        status=status,
        content_type=content_type,
        folder_id=folder_id,
        created_after=created_after,
        created_before=created_before,
        updated_after=updated_after,
        updated_before=updated_before,
        tag=tag,
        q=q,
        recursive=recursive,
    )
    return listing.list_assets(get_deps(), api.tenant(router), query, limit, cursor, include_total=include_total)


handler = api.lambda_handler(ROUTE, router)
