"""POST /v1/keys: a new API key of the caller's tenant, shown once."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.models.keys import KeyCreated, KeyRequest
from functions.routes import BY_NAME
from functions.services import keys
from functions.services.deps import get_deps

ROUTE = BY_NAME["create_key"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Make an API key",
    description="A key of your tenant with the `scopes` given, each one your own key holds (403 `field: scopes` "
    "otherwise: a key can't grant more than it has), a `label`, and optionally `expires_at` (future). The answer's "
    "`key` is shown only now: only its hash is kept, so this route takes no `Idempotency-Key` (its answer would be "
    "kept). The key works at once and counts against your tenant's limits like every key of it.",
    responses=api.responses(
        ROUTE,
        {201: {"description": "The key, with the `key` itself (shown once)."}},
        described={409: "The tenant has no usage plan key yet: an operator makes its first key (`conflict`)."},
    ),
)
def create_key(request: KeyRequest) -> Response[KeyCreated]:
    caller = api.principal(router)
    created = keys.new_key(get_deps(), caller.tenant, caller.scopes, request)
    return Response(
        status_code=201, content_type="application/json", body=created, headers={"Cache-Control": "no-store"}
    )


handler = api.lambda_handler(ROUTE, router)
