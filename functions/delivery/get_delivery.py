"""GET /v1/delivery: what a client needs to build its own delivery URLs (base URL, signing key, presets)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.delivery import DeliveryInfo
from functions.routes import BY_NAME
from functions.services import delivery
from functions.services.deps import get_deps

ROUTE = BY_NAME["get_delivery"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Delivery settings and signing key",
    description="The base of every delivery URL, the presets, the limits, and the tenant's signing key for "
    "transform URLs with parameters of your own (the README's Delivery section gives the algorithm). Assets "
    "already carry `url`, rendition URLs and `srcset`; this is for URLs those don't cover.",
    responses=api.responses(ROUTE, {200: {"description": "The tenant's delivery settings."}}),
)
def get_delivery() -> DeliveryInfo:
    return delivery.info(get_deps(), api.tenant(router))


handler = api.lambda_handler(ROUTE, router)
