"""The keys API (`keys:admin`): make, list and revoke the keys of one's own tenant, through the handlers and the
authorizer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from functions import authorize, schema
from functions.adapters.gateway import UsagePlans
from functions.adapters.keys import Keys, TenantUsage
from functions.adapters.table import Table
from functions.routes import SCOPES
from functions.services import keys
from functions.services.deps import get_deps
from infra import tiers
from local.lambda_runtime import LambdaContext
from tests.integration.conftest import Stack, sample

ADMIN = "keys:admin assets:read"
LISTED = {"id", "prefix", "label", "scopes", "created_at", "last_used_at", "expires_at"}


@pytest.fixture
def tenants(stack: Stack) -> Stack:
    """`acme` and `globex`, each made by `make key` (its first key: its tier and usage identifier)."""
    for tenant in ("acme", "globex"):
        keys.create_key(Table(stack.settings.table_name), tenant, list(SCOPES), label="first")
    return stack


def authorize_with(key: str) -> dict:
    event = {**sample("authorizer_token.json"), "authorizationToken": f"Bearer {key}"}
    return authorize.handler(event, LambdaContext(function_name="authorize"))


def refused(key: str) -> bool:
    try:
        authorize_with(key)
    except Exception as error:  # the authorizer's way of saying 401; anything else is a failure
        if str(error) != "Unauthorized":
            raise
        return True
    return False


def make(stack: Stack, tenant: str = "acme", held: str = ADMIN, **body: Any) -> tuple[int, Any, dict]:
    """POST /v1/keys by a key of `tenant` holding the scopes `held`."""
    return stack.call(
        "create_key", body={"scopes": ["assets:read"], "label": "CMS", **body}, tenant=tenant, scopes=held
    )


def listed(stack: Stack, tenant: str = "acme", **query: str) -> dict:
    status, page, _ = stack.call("list_keys", tenant=tenant, scopes=ADMIN, query=query or None)
    assert status == 200, page
    return page


def test_a_new_key_is_shown_once_and_works_at_once(tenants: Stack) -> None:
    status, created, headers = make(tenants, label="Design team")
    assert status == 201, created
    assert headers["Cache-Control"] == "no-store"
    assert set(created) == LISTED | {"key"}
    assert created["id"].startswith("key_")
    assert created["key"].startswith(created["prefix"])
    assert len(created["prefix"]) == 12
    assert (created["label"], created["scopes"], created["last_used_at"], created["expires_at"]) == (
        "Design team",
        ["assets:read"],
        None,
        None,
    )
    policy = authorize_with(created["key"])
    assert policy["context"]["tenant"] == "acme"
    assert policy["context"]["scopes"] == "assets:read"
    assert policy["context"]["label"] == "Design team"
    first = keys.resolve(get_deps().keys, created["key"])
    assert policy["usageIdentifierKey"] == first["usage_key"]  # the tenant's one API Gateway API key


def test_the_key_itself_is_kept_nowhere(tenants: Stack) -> None:
    _, created, _ = make(tenants)
    items = boto3.client("dynamodb").scan(TableName=tenants.settings.table_name)["Items"]  # a test may Scan
    assert created["key"] not in str(items)
    idempotency = boto3.client("dynamodb").scan(TableName=tenants.settings.idempotency_table)["Items"]
    assert created["key"] not in str(idempotency)


def test_idempotency_key_is_not_honoured_since_the_answer_shows_a_secret(tenants: Stack) -> None:
    """Keeping the answer for a replay would keep the key in plain text for a day: each request makes a key."""
    body = {"scopes": ["assets:read"], "label": "CMS"}
    headers = {"Idempotency-Key": "same"}
    answers = [tenants.call("create_key", body=body, scopes=ADMIN, headers=headers)[1] for _ in range(2)]
    assert answers[0]["id"] != answers[1]["id"]
    items = boto3.client("dynamodb").scan(TableName=tenants.settings.idempotency_table)["Items"]
    assert items == []


def test_the_list_shows_the_tenant_s_keys_newest_first_without_the_keys(tenants: Stack) -> None:
    made = [make(tenants, label=f"key {i}")[1] for i in range(3)]
    page = listed(tenants)
    assert [item["label"] for item in page["items"]] == ["key 2", "key 1", "key 0", "first"]
    for item in page["items"]:
        assert set(item) == LISTED
    assert [item["prefix"] for item in page["items"][:3]] == [m["prefix"] for m in reversed(made)]
    assert "key_hash" not in str(page)
    assert not any(m["key"] in str(page) for m in made)
    first = listed(tenants, limit="2")
    second = listed(tenants, limit="2", cursor=first["next_cursor"])
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in page["items"]]
    assert listed(tenants, limit="2", cursor=second["next_cursor"]) == {"items": [], "next_cursor": None}


def test_a_tenant_never_sees_or_revokes_another_s_keys(tenants: Stack) -> None:
    _, theirs = make(tenants, tenant="globex", label="Globex CMS")[:2]
    assert "Globex CMS" not in str(listed(tenants))
    assert [item["label"] for item in listed(tenants, "globex")["items"]] == ["Globex CMS", "first"]
    status, body, _ = tenants.call("delete_key", path_params={"key_id": theirs["id"]}, scopes=ADMIN)
    assert (status, body["error"]) == (404, "not_found")
    assert not refused(theirs["key"])
    unknown = tenants.call("delete_key", path_params={"key_id": "key_" + "0" * 32}, scopes=ADMIN)
    assert (unknown[0], unknown[1]["message"]) == (status, body["message"].replace(theirs["id"], "key_" + "0" * 32))


def test_a_key_can_t_grant_a_scope_its_maker_lacks(tenants: Stack) -> None:
    status, body, _ = make(tenants, held="keys:admin assets:read", scopes=["assets:read", "assets:write"])
    assert (status, body["error"], body["field"]) == (403, "forbidden", "scopes")
    assert "assets:write" in body["message"]
    without_admin = make(tenants, held="assets:read assets:write")
    assert (without_admin[0], without_admin[1]["error"]) == (403, "forbidden")
    assert [item["label"] for item in listed(tenants)["items"]] == ["first"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": ["assets:admin"]}, "scopes"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["assets:read", "assets:read"]}, "scopes"),
        ({"label": ""}, "label"),
        ({"expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
        ({"expires_at": "tomorrow"}, "expires_at"),
    ],
)
def test_bad_requests_name_the_field(tenants: Stack, body: dict, field: str) -> None:
    status, answer, _ = make(tenants, **body)
    assert (status, answer["field"]) == (400, field), answer


def test_a_tenant_without_a_usage_identifier_gets_a_409(stack: Stack) -> None:
    status, body, _ = make(stack, tenant="newcomer")
    assert (status, body["error"]) == (409, "conflict")


def test_a_revoked_key_is_refused_at_once_even_the_caller_s_own(tenants: Stack, monkeypatch) -> None:
    flushed = []
    monkeypatch.setattr(get_deps().authorizers, "flush", lambda: flushed.append(True))
    _, created, _ = make(tenants, scopes=["keys:admin", "assets:read"])
    assert not refused(created["key"])
    status, body, _ = tenants.call("delete_key", path_params={"key_id": created["id"]}, scopes=ADMIN)
    assert (status, body) == (204, None)
    assert refused(created["key"])  # the key the DELETE was sent with: its next request is a 401
    assert flushed == [True]  # and API Gateway's cached answer for it is gone
    assert created["id"] not in str(listed(tenants))
    again = tenants.call("delete_key", path_params={"key_id": created["id"]}, scopes=ADMIN)
    assert again[0] == 404
    assert (
        boto3.client("dynamodb")
        .get_item(
            TableName=tenants.settings.table_name,
            Key={"pk": {"S": f"K#{keys.hash_key(created['key'])}"}, "sk": {"S": "KEY"}},
        )
        .get("Item")
        is None
    )


class FailingGateway:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def flush_stage_authorizers_cache(self, **kwargs: str) -> None:
        self.calls.append(kwargs)
        raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "FlushStageAuthorizersCache")


def test_a_failed_flush_is_logged_not_a_500(tenants: Stack, monkeypatch, caplog) -> None:
    """The cache's 60-second TTL bounds what a failed flush leaves."""
    gateway = FailingGateway()
    monkeypatch.setattr(get_deps().authorizers, "rest_api_id", "abc123")
    monkeypatch.setattr(get_deps().authorizers, "stage", "prod")
    monkeypatch.setattr(get_deps().authorizers, "_client", gateway)
    _, created, _ = make(tenants)
    status, _, _ = tenants.call("delete_key", path_params={"key_id": created["id"]}, scopes=ADMIN)
    assert status == 204
    assert gateway.calls == [{"restApiId": "abc123", "stageName": "prod"}]
    assert refused(created["key"])


def test_an_expired_key_is_refused_and_removed_by_ttl(tenants: Stack) -> None:
    expires = datetime.now(UTC) + timedelta(hours=1)
    _, created, _ = make(tenants, expires_at=expires.isoformat())
    assert created["expires_at"] == expires.strftime(schema.TIMESTAMP_FORMAT)
    store = get_deps().keys
    assert keys.resolve(store, created["key"], moment=expires - timedelta(seconds=1)) is not None
    assert keys.resolve(store, created["key"], moment=expires + timedelta(seconds=1)) is None
    client = boto3.client("dynamodb")
    own = {"pk": {"S": f"K#{keys.hash_key(created['key'])}"}, "sk": {"S": "KEY"}}
    listing = {"pk": {"S": "KEYS#acme"}, "sk": {"S": created["id"]}}
    for key in (own, listing):
        item = client.get_item(TableName=tenants.settings.table_name, Key=key)["Item"]
        assert int(item[schema.TTL_ATTRIBUTE]["N"]) == int(expires.timestamp()) + 1  # rounded up


def test_last_used_is_recorded_at_most_once_a_minute(tenants: Stack) -> None:
    _, created, _ = make(tenants)
    store = get_deps().keys
    start = datetime.now(UTC)
    keys.resolve(store, created["key"], moment=start)
    used = [item["last_used_at"] for item in listed(tenants)["items"] if item["id"] == created["id"]]
    assert used == [start.strftime(schema.TIMESTAMP_FORMAT)]
    keys.resolve(store, created["key"], moment=start + timedelta(seconds=30))
    assert store.resolve(keys.hash_key(created["key"]))["last_used_at"] == used[0]
    later = start + timedelta(seconds=61)
    keys.resolve(store, created["key"], moment=later)
    assert store.resolve(keys.hash_key(created["key"]))["last_used_at"] == later.strftime(schema.TIMESTAMP_FORMAT)


def test_a_stale_read_does_not_write_twice_within_the_minute(tenants: Stack) -> None:
    """Two authorizer containers read the key before either wrote: the condition lets one write through."""
    _, created, _ = make(tenants)
    store = Keys(Table(tenants.settings.table_name))
    moment = datetime.now(UTC).strftime(schema.TIMESTAMP_FORMAT)
    since = (datetime.now(UTC) - timedelta(seconds=60)).strftime(schema.TIMESTAMP_FORMAT)
    assert [store.touch(keys.hash_key(created["key"]), moment, since) for _ in range(2)] == [True, False]


def test_recording_use_is_best_effort_and_never_revives_a_revoked_key(tenants: Stack, monkeypatch) -> None:
    _, created, _ = make(tenants)

    def broken(*_: Any) -> bool:
        raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "UpdateItem")

    monkeypatch.setattr(Keys, "touch", broken)
    assert not refused(created["key"])
    monkeypatch.undo()
    store = Keys(Table(tenants.settings.table_name))
    tenants.call("delete_key", path_params={"key_id": created["id"]}, scopes=ADMIN)
    assert not store.touch(keys.hash_key(created["key"]), "9999", "9998")  # no item made by the update
    assert store.resolve(keys.hash_key(created["key"])) is None


def test_make_key_on_aws_puts_the_tenant_s_api_key_in_its_tier_s_usage_plan_and_make_tier_moves_it(
    stack: Stack,
) -> None:
    """`make key --aws` and `make tier --aws`, against moto's API Gateway: the usage plans found by name."""
    apigateway = boto3.client("apigateway")
    plan_ids = {
        tier: apigateway.create_usage_plan(name=tiers.usage_plan_name("AssetBackend", tier))["id"]
        for tier in ("standard", "pro")
    }
    plans = UsagePlans()
    table = Table(stack.settings.table_name)

    def issue(tenant: str, tier: str, value: str) -> str:
        return plans.issue(tiers.usage_plan_name("AssetBackend", tier), f"AssetBackend-{tenant}", value)

    def move(usage: TenantUsage, tier: str) -> None:
        name = tiers.usage_plan_name
        plans.move(usage.usage_key_id or "", name("AssetBackend", usage.tier), name("AssetBackend", tier))

    def members(tier: str) -> list[str]:
        return [item["value"] for item in apigateway.get_usage_plan_keys(usagePlanId=plan_ids[tier])["items"]]

    first = keys.create_key(table, "acme", ["keys:admin"], issue=issue)
    second = keys.create_key(table, "acme", ["assets:read"], issue=issue)  # the tenant's API key is made once
    usage = authorize_with(first)["usageIdentifierKey"]
    assert members("standard") == [usage]
    assert authorize_with(second)["usageIdentifierKey"] == usage
    assert keys.move_tenant(table, "acme", "pro", move) == 2
    assert (members("standard"), members("pro")) == ([], [usage])
    assert {authorize_with(key)["context"]["tier"] for key in (first, second)} == {"pro"}
    assert Keys(table).tenant("acme").tier == "pro"
    with pytest.raises(ValueError, match="no usage plan named"):
        plans.issue("AssetBackend-gold", "AssetBackend-globex", "x" * 40)


def test_make_tier_for_a_tenant_that_was_never_made_is_an_error(stack: Stack) -> None:
    with pytest.raises(ValueError, match="no tenant 'nobody'"):
        keys.move_tenant(Table(stack.settings.table_name), "nobody", "pro", keys.no_usage_plans)
