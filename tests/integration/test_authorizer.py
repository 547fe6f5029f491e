from __future__ import annotations

import boto3
import pytest

from functions import authorize
from functions.adapters.table import Table
from functions.services import keys
from local.lambda_runtime import LambdaContext
from tests.integration.conftest import Stack, sample


def authorize_with(header: str) -> dict:
    event = {**sample("authorizer_token.json"), "authorizationToken": header}
    return authorize.handler(event, LambdaContext(function_name="authorize"))


def test_valid_key_allows_with_tenant_and_scopes(stack: Stack) -> None:
    key = keys.create_key(Table(stack.settings.table_name), "acme", ["assets:read"])
    policy = authorize_with(f"Bearer {key}")
    assert policy["principalId"] == "acme"
    assert policy["context"] == {"tenant": "acme", "scopes": "assets:read", "label": "", "tier": "standard"}
    labelled = keys.create_key(Table(stack.settings.table_name), "acme", ["assets:read"], label="CMS", tier="pro")
    assert authorize_with(f"Bearer {labelled}")["context"]["label"] == "CMS"  # a comment's author
    assert authorize_with(f"Bearer {labelled}")["context"]["tier"] == "standard"  # the tenant keeps its tier
    statement = policy["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*"]


def test_the_usage_identifier_is_the_tenant_s_one_api_key(stack: Stack) -> None:
    """What the usage plans throttle by: one API Gateway API key per tenant, named by every key of it."""
    table = Table(stack.settings.table_name)
    first, second = (keys.create_key(table, "acme", ["assets:read"]) for _ in range(2))
    other = keys.create_key(table, "globex", ["assets:read"])
    usage = [authorize_with(f"Bearer {key}")["usageIdentifierKey"] for key in (first, second, other)]
    assert usage[0] == usage[1] != usage[2]
    assert len(usage[0]) >= 20  # API Gateway's shortest API key value


def test_keys_are_stored_only_as_hashes(stack: Stack) -> None:
    key = keys.create_key(Table(stack.settings.table_name), "acme", ["assets:read"])
    item = boto3.client("dynamodb").get_item(
        TableName=stack.settings.table_name, Key={"pk": {"S": f"K#{keys.hash_key(key)}"}, "sk": {"S": "KEY"}}
    )["Item"]
    assert key not in str(item)
    assert item["tenant"]["S"] == "acme"


@pytest.mark.parametrize("header", ["Bearer dam_unknown", "Basic abc", "Bearer ", "dam_nobearer"])
def test_bad_or_unknown_keys_are_unauthorized(stack: Stack, header: str) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize_with(header)


def test_unknown_scope_is_refused(stack: Stack) -> None:
    with pytest.raises(ValueError, match="unknown scopes"):
        keys.create_key(Table(stack.settings.table_name), "acme", ["assets:admin"])
