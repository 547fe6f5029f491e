"""GET /v1/tags: the tenant's tags by name, each with how many assets carry it."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.tags import TagPage
from functions.routes import BY_NAME
from functions.services import tags
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_tags"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="List tags",
    description="Every tag in use, by name ignoring case and accents, with exact counts kept on write. A tag "
    "keeps the spelling first used; `Sunset` and `sunset` are one tag.",
    responses=api.responses(ROUTE, {200: {"description": "One page of tags."}}),
)
def list_tags(
    limit: Annotated[int, Query(ge=1, le=250, description="Page size.")] = 50,
    cursor: api.CursorQuery = None,
) -> TagPage:
    return tags.list_tags(get_deps(), api.tenant(router), limit, cursor)


handler = api.lambda_handler(ROUTE, router)
