"""SnapStart priming: the before-snapshot hook of a route function builds what its first request would, with no
network (this layer refuses sockets), and nothing is registered where the runtime has no hooks."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import pytest
import snapshot_restore_py
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from functions import api, idempotent, snapstart
from functions.adapters import clients
from functions.assets import get_asset
from functions.routes import BY_NAME

CONTEXT = SimpleNamespace(
    function_name="f",
    memory_limit_in_mb=256,
    invoked_function_arn="arn:aws:lambda:us-east-1:1:function:f",
    aws_request_id="r",
)


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> list:
    registered: list = []
    monkeypatch.setattr(snapshot_restore_py, "register_before_snapshot", registered.append)
    monkeypatch.setattr(clients, "_clients", {})
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
    }.items():
        monkeypatch.setenv(name, value)
    return registered


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many resolvers and idempotency guards were built."""
    counts = {"resolver": 0, "guard": 0}

    def counting(name: str, build):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return build(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(api, "resolver", counting("resolver", api.resolver))
    monkeypatch.setattr(idempotent, "guard", counting("guard", idempotent.guard))
    return counts


@pytest.mark.parametrize(("route", "keyed"), [("create_upload", True), ("get_asset", False), ("view_share", False)])
def test_the_hook_builds_the_resolver_the_guard_of_a_post_and_the_clients(hooks, built, route, keyed):
    api.lambda_handler(BY_NAME[route], APIGatewayRouter())
    (prime,) = hooks
    assert built == {"resolver": 0, "guard": 0}  # registered, not run: outside a snapshot all stays lazy
    prime()
    assert built == {"resolver": 1, "guard": int(keyed)}
    assert set(clients._clients) == set(api.API_CLIENTS)
    prime()
    assert built == {"resolver": 1, "guard": int(keyed)}  # built once, kept for the requests


def test_the_first_request_uses_what_the_hook_built(hooks, built):
    handler = api.lambda_handler(get_asset.ROUTE, get_asset.router)
    (prime,) = hooks
    prime()
    event = {
        "resource": "/v1/assets/{asset_id}",
        "path": "/v1/assets/not-an-id",
        "httpMethod": "GET",
        "headers": {},
        "pathParameters": {"asset_id": "not-an-id"},
        "requestContext": {"authorizer": {"tenant": "t", "scopes": "assets:read"}, "stage": "prod"},
    }
    answer = handler(event, CONTEXT)
    assert (answer["statusCode"], json.loads(answer["body"])["field"]) == (400, "asset_id")  # the resolver's check
    assert built["resolver"] == 1


def test_without_the_runtime_s_module_nothing_is_registered(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails, as outside Lambda
    ran: list = []
    snapstart.before_snapshot(lambda: ran.append(1))
    assert ran == []
