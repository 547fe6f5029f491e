"""DELETE /v1/keys/{key_id}: revoke an API key of the caller's tenant."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api
from functions.routes import BY_NAME
from functions.services import keys
from functions.services.deps import get_deps

ROUTE = BY_NAME["delete_key"]
router = APIGatewayRouter()


@api.operation(
    router,
    ROUTE,
    summary="Revoke an API key",
    description="The key is refused from now on (on AWS within the authorizer cache's 60 seconds at most: the "
    "cache is flushed too). The key you call with may be revoked: 204, and your next request with it is a 401. "
    "Another tenant's key id is a 404, like an unknown one.",
    responses=api.responses(ROUTE, api.NO_CONTENT, described={404: "No such key for this tenant (`not_found`)."}),
)
def delete_key(key_id: api.KeyIdPath) -> Response[None]:
    keys.delete_key(get_deps(), api.tenant(router), key_id)
    return Response(status_code=204)


handler = api.lambda_handler(ROUTE, router)
