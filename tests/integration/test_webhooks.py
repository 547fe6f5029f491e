"""Webhooks against moto: the routes, and the fan-out and delivery path from a committed change to a local HTTP
receiver (`http.server` on 127.0.0.1, allowed by the local-only setting), verified with the Standard Webhooks
reference library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from functions.services import webhook_delivery
from functions.services.deps import get_deps
from local.lambda_runtime import Functions
from local.worker import WEBHOOK_FAN_OUT, Worker
from tests import files
from tests.integration.conftest import Stack
from tests.webhook_receiver import Receiver, serve


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serve() as receiving:
        yield receiving


def _create(stack: Stack, url: str, events: list[str], tenant: str = "acme") -> dict[str, Any]:
    status, body, _ = stack.call("create_webhook", body={"url": url, "events": events}, tenant=tenant)
    assert status == 201, body
    return body


def _verified(received: dict[str, Any], secret: str) -> dict[str, Any]:
    return Verifier(secret).verify(received["body"], received["headers"])


def test_an_event_reaches_a_subscribed_endpoint_signed_per_standard_webhooks(local: Stack, receiver: Receiver):
    hook = _create(local, receiver.url, ["asset.ready"])
    other = _create(local, receiver.url, ["comment.created"])
    assert hook["secret"].startswith("whsec_")
    assert hook["secret"] != other["secret"]

    asset = local.upload(files.jpeg(20, 10))
    local.drain()
    local.run_webhooks()

    (received,) = receiver.received  # only the endpoint that wants asset.ready
    payload = _verified(received, hook["secret"])
    with pytest.raises(WebhookVerificationError):
        _verified(received, other["secret"])
    assert payload["type"] == "asset.ready"
    assert payload["data"]["asset"]["id"] == asset["id"]
    assert payload["data"]["tenant"] == "acme"
    assert received["headers"]["webhook-id"] == payload["data"]["id"]
    assert received["headers"]["content-type"] == "application/json"
    assert received["path"] == "/hooks?source=assets"
    bus = [e for e in local.events() if e["detail-type"] == "asset.ready"]
    assert [e["detail"] for e in bus] == [payload["data"]], "data is exactly EventBridge's detail"

    status, page, _ = local.call("list_webhook_deliveries", path_params={"webhook_id": hook["id"]})
    assert status == 200
    (delivery,) = page["items"]
    assert delivery["status"] == "succeeded"
    assert delivery["event_type"] == "asset.ready"
    (attempt,) = delivery["attempts"]
    assert attempt["status_code"] == 204
    assert attempt["error"] is None
    assert attempt["duration_ms"] >= 0


def test_a_failed_attempt_is_recorded_and_scheduled_and_a_retry_sends_the_same_event(local: Stack, receiver: Receiver):
    hook = _create(local, receiver.url, ["*"])
    receiver.answers = [503]
    status, sent, _ = local.call("send_webhook_test", path_params={"webhook_id": hook["id"]})
    assert status == 202
    local.run_webhooks()

    (first,) = receiver.received
    assert json.loads(first["body"])["type"] == "webhook.test"
    assert first["headers"]["webhook-id"] == sent["event_id"]
    path = {"webhook_id": hook["id"]}
    (delivery,) = local.call("list_webhook_deliveries", path_params=path)[1]["items"]
    assert delivery["status"] == "failed", "a test is tried once"
    assert delivery["attempts"][0]["status_code"] == 503
    assert delivery["attempts"][0]["error"] == "HTTP 503"
    webhook = local.call("get_webhook", path_params=path)[1]
    assert webhook["failing_since"] is not None

    retried = {**path, "delivery_id": delivery["id"]}
    status, pending, _ = local.call("retry_webhook_delivery", path_params=retried)
    assert (status, pending["status"]) == (202, "pending")
    assert local.call("retry_webhook_delivery", path_params=retried)[0] == 409
    local.run_webhooks()
    second = receiver.received[1]
    assert (second["body"], second["headers"]["webhook-id"]) == (first["body"], first["headers"]["webhook-id"])
    (delivery,) = local.call("list_webhook_deliveries", path_params=path)[1]["items"]
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [204, 503], "newest first"
    assert local.call("get_webhook", path_params=path)[1]["failing_since"] is None, "a success forgets failures"


def test_a_rotated_secret_and_the_previous_one_both_sign_for_a_day(local: Stack, receiver: Receiver):
    hook = _create(local, receiver.url, ["webhook.test"])
    status, rotated, _ = local.call("rotate_webhook_secret", path_params={"webhook_id": hook["id"]})
    assert status == 200
    assert rotated["secret"] != hook["secret"]
    local.call("send_webhook_test", path_params={"webhook_id": hook["id"]})
    local.run_webhooks()
    (received,) = receiver.received
    assert len(received["headers"]["webhook-signature"].split(" ")) == 2
    assert _verified(received, rotated["secret"]) == _verified(received, hook["secret"])


def test_the_routes_create_list_read_change_and_delete(stack: Stack):
    url = "https://hooks.example.com/assets"
    hook = _create(stack, url, ["asset.ready", "asset.ready", "export.ready"])
    assert hook["events"] == ["asset.ready", "export.ready"]
    assert hook["enabled"] is True
    path = {"webhook_id": hook["id"]}

    listed = stack.call("list_webhooks")[1]["items"]
    assert [item["id"] for item in listed] == [hook["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in stack.call("get_webhook", path_params=path)[1]

    status, changed, _ = stack.call(
        "update_webhook", path_params=path, body={"enabled": False, "events": ["*"], "description": "CRM"}
    )
    assert status == 200
    assert (changed["enabled"], changed["disabled_reason"], changed["events"]) == (False, "request", ["*"])
    assert stack.call("send_webhook_test", path_params=path)[0] == 409
    disabled = [e for e in stack.events() if e["detail-type"] == "webhook.disabled"]
    assert [e["detail"]["webhook"]["id"] for e in disabled] == [hook["id"]]
    changed = stack.call("update_webhook", path_params=path, body={"enabled": True})[1]
    assert (changed["enabled"], changed["disabled_reason"]) == (True, None)

    assert stack.call("delete_webhook", path_params=path)[0] == 204
    assert stack.call("get_webhook", path_params=path)[0] == 404
    assert stack.call("delete_webhook", path_params=path)[0] == 404


def test_another_tenants_webhook_is_not_found(stack: Stack):
    hook = _create(stack, "https://hooks.example.com/a", ["*"], tenant="acme")
    path = {"webhook_id": hook["id"]}
    for route, body in (
        ("get_webhook", None),
        ("update_webhook", {"description": "mine"}),
        ("delete_webhook", None),
        ("rotate_webhook_secret", None),
        ("send_webhook_test", None),
        ("list_webhook_deliveries", None),
    ):
        assert stack.call(route, path_params=path, body=body, tenant="globex")[0] == 404, route
    assert stack.call("list_webhooks", tenant="globex")[1]["items"] == []
    assert stack.call("get_webhook", path_params=path)[0] == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://hooks.example.com", "events": ["asset.exploded"]}, "events"),
        ({"url": "https://hooks.example.com", "events": []}, "events"),
        ({"url": "http://hooks.example.com", "events": ["*"]}, "url"),
        ({"url": "https://user:pw@hooks.example.com", "events": ["*"]}, "url"),
        ({"url": "https://hooks.example.com:22/", "events": ["*"]}, "url"),
        ({"url": "https://10.0.0.1/", "events": ["*"]}, "url"),
        ({"url": "https://[::1]/", "events": ["*"]}, "url"),
        ({"url": "https://localhost/", "events": ["*"]}, "url"),
        ({"url": "http://127.0.0.1:8080/", "events": ["*"]}, "url"),
    ],
)
def test_bad_webhooks_are_400_naming_the_field(stack: Stack, body: dict[str, Any], field: str):
    status, error, _ = stack.call("create_webhook", body=body)
    assert (status, error["field"]) == (400, field), error


def test_local_receivers_are_accepted_only_where_the_local_setting_is_on(local: Stack):
    for url in ("http://127.0.0.1:8080/hook", "http://localhost:9000/"):
        assert local.call("create_webhook", body={"url": url, "events": ["*"]})[0] == 201
    assert local.call("create_webhook", body={"url": "http://10.0.0.1:8080/", "events": ["*"]})[0] == 400


def test_the_routes_need_the_webhooks_admin_scope(stack: Stack):
    status, error, _ = stack.call("list_webhooks", scopes="assets:read assets:write")
    assert (status, error["error"]) == (403, "forbidden")


def test_deliveries_page_newest_first(local: Stack, receiver: Receiver):
    hook = _create(local, receiver.url, ["webhook.test"])
    path = {"webhook_id": hook["id"]}
    for _ in range(3):
        local.call("send_webhook_test", path_params=path)
        local.run_webhooks()
    ids = [json.loads(r["body"])["data"]["id"] for r in receiver.received]
    first = local.call("list_webhook_deliveries", path_params=path, query={"limit": "2"})[1]
    rest = local.call(
        "list_webhook_deliveries", path_params=path, query={"limit": "2", "cursor": first["next_cursor"]}
    )[1]
    assert [d["event_id"] for d in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None


def test_an_endpoint_failing_for_5_days_is_disabled_through_the_table_and_webhook_disabled_is_sent(
    local: Stack, receiver: Receiver
):
    hook = _create(local, receiver.url, ["asset.ready"])
    path = {"webhook_id": hook["id"]}
    receiver.answers = [500] * 3
    local.call("send_webhook_test", path_params=path)
    local.run_webhooks()
    began = local.call("get_webhook", path_params=path)[1]["failing_since"]
    assert began is not None

    deps = get_deps()
    local.call("send_webhook_test", path_params=path)
    local.follow_stream()
    fan_out = Worker(local.resources.webhook_fanout_queue_url, Functions(), batch_size=10, module=WEBHOOK_FAN_OUT)
    while fan_out.poll_once():
        pass
    ((delivery,), _) = deps.webhooks.deliveries("acme", hook["id"], 1, None)
    later = datetime.fromisoformat(began.replace("Z", "+00:00")) + webhook_delivery.DISABLE_AFTER
    webhook_delivery.deliver(deps, "acme", hook["id"], delivery.id, clock=lambda: later)

    webhook = local.call("get_webhook", path_params=path)[1]
    assert (webhook["enabled"], webhook["disabled_reason"]) == (False, "failing")
    (disabled,) = [e for e in local.events() if e["detail-type"] == "webhook.disabled"]
    assert disabled["detail"]["webhook"]["id"] == hook["id"]
    assert local.call("send_webhook_test", path_params=path)[0] == 409


def test_an_event_fanned_out_twice_makes_one_delivery(local: Stack, receiver: Receiver):
    hook = _create(local, receiver.url, ["webhook.test"])
    event = {
        "detail-type": "webhook.test",
        "time": "2026-12-01T12:00:00Z",
        "detail": {"id": "t" * 32, "tenant": "acme", "webhook_id": hook["id"]},
    }
    queued = datetime(2026, 12, 1, 12, 0, 1, tzinfo=UTC)
    assert webhook_delivery.fan_out(get_deps(), event, queued) == 1
    assert webhook_delivery.fan_out(get_deps(), event, queued) == 1
    local.run_webhooks()
    (delivery,) = local.call("list_webhook_deliveries", path_params={"webhook_id": hook["id"]})[1]["items"]
    assert delivery["status"] == "succeeded"
    assert len(delivery["attempts"]) == 1, "the second message found the delivery already sent"
    assert len(receiver.received) == 1
