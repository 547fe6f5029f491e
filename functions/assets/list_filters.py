"""GET /v1/assets/filters: the values a filter UI offers, with exact counts."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.tags import Filters
from functions.routes import BY_NAME
from functions.services import tags
from functions.services.deps import get_deps

ROUTE = BY_NAME["list_filters"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Filter summary",
    description="Kinds, statuses, media types and the most used tags with exact counts (kept on write, never "
    "computed by reading the library), and the sorts and parameters of `GET /v1/assets`.",
    responses=api.responses(ROUTE, {200: {"description": "The tenant's filter values and counts."}}),
)
def list_filters() -> Filters:
    return tags.filters(get_deps(), api.tenant(router))


handler = api.lambda_handler(ROUTE, router)
