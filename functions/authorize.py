"""API Gateway TOKEN authorizer: `Authorization: Bearer <api key>` -> tenant, scopes and usage identifier.

The policy allows every route of the stage so API Gateway can cache it per key (for at most
`infra.api.AUTHORIZER_CACHE`, and flushed when a key is revoked); each handler checks the scope its
route needs (from the route table) and answers 403 itself. `usageIdentifierKey` is the tenant's API
Gateway API key: the usage plan of its tier throttles the tenant (API key source `AUTHORIZER`).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
    APIGatewayAuthorizerTokenEvent,
)

from functions.services import keys
from functions.services.deps import get_deps
from functions.tracing import traced

logger = Logger(service="assets")

UNAUTHORIZED = "Unauthorized"
"""The exact message API Gateway turns into a 401."""


def bearer_token(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    token_event = APIGatewayAuthorizerTokenEvent(event)
    key = bearer_token(token_event.authorization_token)
    found = keys.resolve(get_deps().keys, key) if key else None
    if found is None:
        raise Exception(UNAUTHORIZED)  # noqa: TRY002 - API Gateway matches this exact message
    arn = token_event.parsed_arn
    policy = APIGatewayAuthorizerResponse(
        principal_id=found["tenant"],
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context={
            "tenant": found["tenant"],
            "scopes": " ".join(found["scopes"]),
            "label": found.get("label") or "",
            "tier": found.get("tier") or "",
        },
        usage_identifier_key=found.get("usage_key"),
    )
    policy.allow_all_routes()
    return policy.asdict()
