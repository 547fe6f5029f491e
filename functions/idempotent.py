"""`Idempotency-Key` on every POST: the same key with the same request within 24 hours gets the first answer
again without the work being done twice; the same key with another request is a 409.

Powertools' idempotency utility with its DynamoDB persistence layer (its own table, `IDEMPOTENCY_TABLE`).
A key belongs to the tenant and is one for every route (Stripe's rule): the request it is checked against
is the route, the path and the body. Only a 2xx answer is kept: a refused or failed request may be sent
again with the same key and is then done for real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from functions.adapters import clients
from functions.errors import IdempotencyConflict
from functions.settings import get_settings

HEADER = "idempotency-key"
KEEP_SECONDS = 24 * 3600


class _NotKept(Exception):
    """An answer that is not a success: returned, not stored."""

    def __init__(self, response: dict[str, Any]):
        self.response = response


def key_of(event: dict[str, Any]) -> str | None:
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    return headers.get(HEADER)


def guard(route_name: str) -> Callable[[dict[str, Any], Any, Callable[[], dict[str, Any]]], dict[str, Any]]:
    """`answer(event, context, resolve)`: resolve the request once per idempotency key."""
    config = IdempotencyConfig(
        event_key_jmespath="[tenant, key]",
        payload_validation_jmespath="[route, path, body]",
        expires_after_seconds=KEEP_SECONDS,
        use_local_cache=False,
    )
    store = DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table, boto3_client=clients.get("dynamodb"))

    @idempotent_function(data_keyword_argument="request", persistence_store=store, config=config, key_prefix="api")
    def once(request: dict[str, Any], resolve: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        response = resolve()
        if not 200 <= response.get("statusCode", 500) < 300:
            raise _NotKept(response)
        return response

    def answer(event: dict[str, Any], context: Any, resolve: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        key = key_of(event)
        if not key:
            return resolve()
        config.register_lambda_context(context)
        request = {
            "tenant": ((event.get("requestContext") or {}).get("authorizer") or {}).get("tenant"),
            "key": key,
            "route": route_name,
            "path": event.get("path"),
            "body": event.get("body"),
        }
        try:
            return once(request=request, resolve=resolve)
        except _NotKept as refused:
            return refused.response
        except IdempotencyValidationError:
            raise IdempotencyConflict(
                "this Idempotency-Key was used with another request; use a new key for a new request"
            ) from None
        except IdempotencyAlreadyInProgressError:
            raise IdempotencyConflict("a request with this Idempotency-Key is still in progress; retry") from None

    return answer
