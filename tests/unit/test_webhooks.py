"""Webhooks without a network: signatures checked with the Standard Webhooks reference library, the retry schedule
and the disabling after 5 days on an injected clock, and the SSRF rules (IPv4, IPv6, DNS names resolving to
private addresses) with an injected resolver."""

from __future__ import annotations

import base64
import ipaddress
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from functions import schema
from functions.adapters import receivers
from functions.adapters.items import serialize
from functions.adapters.receivers import Answer, Unreachable
from functions.errors import InvalidInput
from functions.models.webhooks import DeliveryRecord, WebhookRecord
from functions.services import events, webhook_delivery, webhook_urls
from functions.services.webhook_delivery import DISABLE_AFTER, SCHEDULE, deliver, headers, next_delay, retry_after
from functions.services.webhooks import new_secret
from functions.settings import Settings

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PUBLIC = "93.184.215.14"


# ------------------------------------------------------------------------------------------ signatures


def test_a_secret_is_whsec_and_the_base64_of_24_to_32_random_bytes():
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert 24 <= len(base64.b64decode(secret.removeprefix("whsec_"))) <= 32
    assert new_secret() != secret


def test_the_reference_library_verifies_a_signed_delivery_and_refuses_a_tampered_one():
    secret = new_secret()
    body = webhook_delivery.payload("asset.ready", "2026-12-01T12:00:00Z", {"id": "e1", "tenant": "acme"})
    now = int(datetime.now(UTC).timestamp())
    sent = headers([secret], "e1", now, body)
    assert Verifier(secret).verify(body, sent) == {
        "type": "asset.ready",
        "timestamp": "2026-12-01T12:00:00Z",
        "data": {"id": "e1", "tenant": "acme"},
    }
    assert sent["content-type"] == "application/json"
    with pytest.raises(WebhookVerificationError):
        Verifier(secret).verify(body.replace("acme", "evil"), sent)
    with pytest.raises(WebhookVerificationError):
        Verifier(new_secret()).verify(body, sent)
    with pytest.raises(WebhookVerificationError):
        Verifier(secret).verify(body, {**sent, "webhook-id": "e2"})


def test_after_a_rotation_both_secrets_sign_for_a_day_then_only_the_new_one():
    old, new = new_secret(), new_secret()
    record = _webhook(secret=new, previous_secret=old, previous_until=START + timedelta(hours=24))
    assert record.secrets(START) == [new, old]
    assert record.secrets(START + timedelta(hours=24)) == [new]
    body = "{}"
    sent = headers(record.secrets(START), "e1", int(datetime.now(UTC).timestamp()), body)
    assert len(sent["webhook-signature"].split(" ")) == 2
    Verifier(old).verify(body, sent)
    Verifier(new).verify(body, sent)


# ------------------------------------------------------------------------------------------ in memory


@dataclass
class Memory:
    """The webhook adapter's operations on dicts, conditions included."""

    webhooks: dict[str, WebhookRecord] = field(default_factory=dict)
    deliveries: dict[str, DeliveryRecord] = field(default_factory=dict)

    def get(self, tenant: str, webhook_id: str) -> WebhookRecord | None:
        return self.webhooks.get(webhook_id)

    def update(self, webhook: WebhookRecord, changes: dict[str, Any], expected: dict[str, Any]) -> bool:
        current = self.webhooks.get(webhook.id)
        if current is None or any(getattr(current, k) != v for k, v in expected.items()):
            return False
        self.webhooks[webhook.id] = current.model_copy(update=changes)
        return True

    def get_delivery(self, tenant: str, webhook_id: str, delivery_id: str) -> DeliveryRecord | None:
        return self.deliveries.get(delivery_id)

    def record_attempt(self, delivery: DeliveryRecord, attempt: Any, changes: dict[str, Any]) -> bool:
        current = self.deliveries[delivery.id]
        if len(current.attempts) != len(delivery.attempts):
            return False
        self.deliveries[delivery.id] = current.model_copy(update={**changes, "attempts": [*current.attempts, attempt]})
        return True


@dataclass
class Queue:
    sent: list[tuple[dict[str, str], int]] = field(default_factory=list)

    def send(self, body: str, delay_seconds: int = 0) -> None:
        self.sent.append((json.loads(body), delay_seconds))


@dataclass
class Endpoint:
    """Answers each POST with the next of `answers` (an int status, or an exception to raise)."""

    answers: list[Any]
    resolved: list[str] = field(default_factory=lambda: [PUBLIC])
    posts: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    retry_after: str | None = None

    def addresses(self, host: str, port: int) -> list[str]:
        return self.resolved

    def post(self, address: str, target: webhook_urls.Target, body: bytes, sent: dict[str, str]) -> Answer:
        self.posts.append((address, target.host, sent))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return Answer(answer, self.retry_after, b"x" * 5000)


@dataclass
class Deps:
    webhooks: Memory
    webhook_deliveries: Queue
    receivers: Endpoint
    settings: Settings = field(default_factory=Settings)


def _webhook(**changes: Any) -> WebhookRecord:
    values: dict[str, Any] = {
        "id": "1" * 32,
        "tenant": "acme",
        "url": "https://hooks.example.com/in",
        "events": ["*"],
        "secret": new_secret(),
        "created_at": START,
        "updated_at": START,
    }
    return WebhookRecord(**(values | changes))


def _delivery(number: int = 0, **changes: Any) -> DeliveryRecord:
    values: dict[str, Any] = {
        "id": f"{number:032x}",
        "tenant": "acme",
        "webhook_id": "1" * 32,
        "event_id": f"event{number}",
        "event_type": "asset.ready",
        "status": "pending",
        "attempts": [],
        "next_attempt_at": START,
        "created_at": START,
        "payload": '{"type":"asset.ready"}',
    }
    return DeliveryRecord(**(values | changes))


def _deps(endpoint: Endpoint, *deliveries: DeliveryRecord, webhook: WebhookRecord | None = None) -> Deps:
    memory = Memory({"1" * 32: webhook or _webhook()}, {d.id: d for d in deliveries})
    return Deps(memory, Queue(), endpoint)


def _run(deps: Deps, delivery_id: str, moment: datetime) -> None:
    deliver(deps, "acme", "1" * 32, delivery_id, clock=lambda: moment)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ retries


def test_a_failing_endpoint_is_tried_on_the_standard_schedule_then_given_up():
    deps = _deps(Endpoint([503]), _delivery())
    moment = START
    waits = []
    for _ in range(len(SCHEDULE)):
        _run(deps, _delivery().id, moment)
        record = deps.webhooks.deliveries[_delivery().id]
        if record.next_attempt_at is None:
            break
        waits.append(round((record.next_attempt_at - moment).total_seconds()))
        moment = record.next_attempt_at
    assert waits == list(SCHEDULE[1:])
    assert sum(waits) / 3600 == pytest.approx(27.6, abs=0.1), "about a day"
    record = deps.webhooks.deliveries[_delivery().id]
    assert record.status == "failed"
    assert len(record.attempts) == len(SCHEDULE) == len(deps.receivers.posts)
    assert {attempt.error for attempt in record.attempts} == {"HTTP 503"}
    assert {attempt.response for attempt in record.attempts} == {"x" * 1024}, "only the start of the answer"
    assert {sent["webhook-id"] for _, _, sent in deps.receivers.posts} == {"event0"}, "stable across retries"
    assert [delay for _, delay in deps.webhook_deliveries.sent] == [min(w, 900) for w in waits]


def test_a_wait_longer_than_sqs_allows_comes_back_early_and_goes_back_for_the_rest():
    due = START + timedelta(hours=2)
    deps = _deps(Endpoint([204]), _delivery(next_attempt_at=due))
    _run(deps, _delivery().id, START)
    assert deps.receivers.posts == []
    assert deps.webhook_deliveries.sent == [({"tenant": "acme", "webhook_id": "1" * 32, "delivery_id": "0" * 32}, 900)]
    _run(deps, _delivery().id, due - timedelta(seconds=100))
    assert deps.webhook_deliveries.sent[-1][1] == 100
    _run(deps, _delivery().id, due)
    assert deps.webhooks.deliveries[_delivery().id].status == "succeeded"


@pytest.mark.parametrize(
    ("answer", "retried"),
    [
        (500, True),
        (502, True),
        (503, True),
        (408, True),
        (429, True),
        (Unreachable("timed out (ReadTimeoutError)"), True),
        (Unreachable("connection failed: NewConnectionError"), True),
        (400, False),
        (401, False),
        (404, False),
        (410, False),
        (301, False),
        (302, False),
    ],
)
def test_what_is_retried(answer: Any, retried: bool):
    deps = _deps(Endpoint([answer]), _delivery())
    _run(deps, _delivery().id, START)
    record = deps.webhooks.deliveries[_delivery().id]
    assert record.status == ("pending" if retried else "failed")
    assert (record.next_attempt_at == START + timedelta(seconds=5)) is retried
    if isinstance(answer, int) and 300 <= answer < 400:
        assert record.attempts[0].error == f"HTTP {answer} (redirects are not followed)"


def test_retry_after_is_honoured_and_capped():
    assert next_delay(1, 120) == 120, "longer than the schedule's 5 s"
    assert next_delay(3, 120) == 1800, "shorter than the schedule's: the schedule"
    assert next_delay(1, 7 * 86_400) == 10 * 3600, "capped"
    assert next_delay(len(SCHEDULE), None) is None
    assert retry_after("30", START) == 30
    assert retry_after("Tue, 01 Dec 2026 12:02:00 GMT", START) == 120
    assert retry_after("soon", START) is None
    endpoint = Endpoint([429])
    endpoint.retry_after = "600"
    deps = _deps(endpoint, _delivery())
    _run(deps, _delivery().id, START)
    assert deps.webhooks.deliveries[_delivery().id].next_attempt_at == START + timedelta(seconds=600)


def test_a_test_or_a_retry_asked_for_is_tried_once():
    deps = _deps(Endpoint([503]), _delivery(retries=False))
    _run(deps, _delivery().id, START)
    assert deps.webhooks.deliveries[_delivery().id].status == "failed"
    assert deps.webhook_deliveries.sent == []


# ------------------------------------------------------------------------------------------ disabling


def test_an_endpoint_failing_for_5_days_is_disabled_and_any_success_resets_the_count():
    endpoint = Endpoint([503])
    deliveries = [_delivery(n, retries=False) for n in range(6)]
    deps = _deps(endpoint, *deliveries)
    _run(deps, deliveries[0].id, START)
    assert deps.webhooks.webhooks["1" * 32].failing_since == START
    endpoint.answers = [204]
    _run(deps, deliveries[1].id, START + timedelta(days=1))
    assert deps.webhooks.webhooks["1" * 32].failing_since is None, "a success forgets"
    endpoint.answers = [503]
    began = START + timedelta(days=2)
    _run(deps, deliveries[2].id, began)
    _run(deps, deliveries[3].id, began + DISABLE_AFTER - timedelta(minutes=1))
    webhook = deps.webhooks.webhooks["1" * 32]
    assert (webhook.enabled, webhook.failing_since) == (True, began)
    _run(deps, deliveries[4].id, began + DISABLE_AFTER)
    webhook = deps.webhooks.webhooks["1" * 32]
    assert (webhook.enabled, webhook.disabled_reason) == (False, "failing")
    posts = len(endpoint.posts)
    _run(deps, deliveries[5].id, began + DISABLE_AFTER)
    assert len(endpoint.posts) == posts, "nothing is sent to a disabled endpoint"
    assert deps.webhooks.deliveries[deliveries[5].id].attempts[0].error == "not sent: the webhook is disabled"


def _stream_record(before: WebhookRecord, after: WebhookRecord) -> dict[str, Any]:
    keys = {schema.PARTITION_KEY: {"S": "T#acme#WH"}, schema.SORT_KEY: {"S": schema.webhook_sk(after.id)}}
    return {
        "eventID": "change-1",
        "eventName": "MODIFY",
        "dynamodb": {
            "Keys": keys,
            "OldImage": serialize(before.model_dump(mode="json")) | keys,
            "NewImage": serialize(after.model_dump(mode="json")) | keys,
        },
    }


def test_the_disabling_change_sends_webhook_disabled_and_other_changes_nothing():
    before = _webhook(failing_since=START)
    after = before.model_copy(update={"enabled": False, "disabled_reason": "failing"})
    (event,) = events.events_of(_stream_record(before, after), "assets")
    assert event.detail_type == "webhook.disabled"
    detail = json.loads(event.detail)
    assert (detail["tenant"], detail["webhook"]["id"], detail["webhook"]["disabled_reason"]) == (
        "acme",
        before.id,
        "failing",
    )
    assert "secret" not in json.dumps(detail)
    assert events.events_of(_stream_record(_webhook(), before), "assets") == [], "failing since: no event"


# ------------------------------------------------------------------------------------------ SSRF


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.10.10",
        "100.64.0.1",
        "100.127.255.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "2001:db8::1",
    ],
)
def test_a_private_or_special_address_is_refused(address: str):
    assert webhook_urls.refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"])
def test_a_public_address_is_allowed(address: str):
    assert webhook_urls.refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "resolved",
    [["10.0.0.5"], ["fd00::5"], [PUBLIC, "127.0.0.1"], ["2606:4700:4700::1111", "::ffff:169.254.169.254"], []],
)
def test_a_name_resolving_to_any_refused_address_is_not_connected_to(resolved: list[str]):
    deps = _deps(Endpoint([204], resolved=resolved), _delivery())
    _run(deps, _delivery().id, START)
    assert deps.receivers.posts == []
    record = deps.webhooks.deliveries[_delivery().id]
    assert record.status == "failed", "a refused address is not retried"
    assert record.attempts[0].error.startswith("refused: ")
    assert record.attempts[0].status_code is None


def test_the_connection_goes_to_the_address_checked_with_the_host_name_for_tls():
    deps = _deps(Endpoint([204], resolved=[PUBLIC, "2606:4700:4700::1111"]), _delivery())
    _run(deps, _delivery().id, START)
    ((address, host, _),) = deps.receivers.posts
    assert (address, host) == (PUBLIC, "hooks.example.com")


def test_the_url_is_checked_again_at_send_time():
    deps = _deps(Endpoint([204]), _delivery(), webhook=_webhook(url="http://127.0.0.1:8080/"))
    _run(deps, _delivery().id, START)
    assert deps.receivers.posts == []
    assert "only https" in deps.webhooks.deliveries[_delivery().id].attempts[0].error


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/",
        "ftp://hooks.example.com/",
        "https://user:secret@hooks.example.com/",
        "https://hooks.example.com:22/",
        "https://hooks.example.com:1023/",
        "https://10.0.0.1/",
        "https://[::1]/",
        "https://[fd00:ec2::254]/",
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/",
        "https://metadata.google.internal/",
        "https://hooks.example.com/#fragment",
        "https://hooks.example.com/a b",
    ],
)
def test_a_url_is_refused_at_create(url: str):
    with pytest.raises(InvalidInput) as refused:
        webhook_urls.target(url, local_receivers=False)
    assert refused.value.field == "url"


def test_only_the_local_setting_accepts_a_loopback_receiver_over_http_and_only_loopback():
    for url in ("http://127.0.0.1:8080/in", "http://localhost:9000/"):
        with pytest.raises(InvalidInput):
            webhook_urls.target(url, local_receivers=False)
        target = webhook_urls.target(url, local_receivers=True)
        assert (target.scheme, target.local) == ("http", True)
        assert webhook_urls.checked_addresses(["127.0.0.1"], target) == "127.0.0.1"
        with pytest.raises(webhook_urls.Refused):
            webhook_urls.checked_addresses(["10.0.0.1"], target)
    with pytest.raises(InvalidInput):
        webhook_urls.target("http://10.0.0.1:8080/", local_receivers=True)
    target = webhook_urls.target("https://hooks.example.com:8443/in?x=1", local_receivers=True)
    assert (target.port, target.path, target.local) == (8443, "/in?x=1", False)
    with pytest.raises(webhook_urls.Refused):
        webhook_urls.checked_addresses(["127.0.0.1"], target)


def test_the_receiver_pins_the_address_verifies_tls_for_the_host_and_follows_no_redirect(monkeypatch):
    made: dict[str, Any] = {}

    class Response:
        status = 302
        headers = {"location": "https://169.254.169.254/"}

        def read(self, amount: int) -> bytes:
            return b""

        def release_conn(self) -> None:
            pass

    class Pool:
        def __init__(self, host: str, port: int, **kwargs: Any):
            made.update(host=host, port=port, **kwargs)

        def urlopen(self, method: str, path: str, **kwargs: Any) -> Response:
            made.update(method=method, path=path, **{f"open_{k}": v for k, v in kwargs.items()})
            return Response()

        def close(self) -> None:
            made["closed"] = True

    monkeypatch.setattr(receivers, "HTTPSConnectionPool", Pool)
    target = webhook_urls.target("https://hooks.example.com/in", local_receivers=False)
    answer = receivers.Receivers().post(PUBLIC, target, b"{}", {"webhook-id": "e1"})
    assert answer.status == 302
    assert (made["host"], made["port"], made["server_hostname"], made["assert_hostname"]) == (
        PUBLIC,
        443,
        "hooks.example.com",
        "hooks.example.com",
    )
    assert made["cert_reqs"] == "CERT_REQUIRED"
    assert (made["open_redirect"], made["open_retries"]) == (False, False)
    assert made["open_headers"]["Host"] == "hooks.example.com"
    assert made["timeout"].connect_timeout == receivers.CONNECT_SECONDS
    assert made["timeout"].read_timeout == receivers.READ_SECONDS
    assert made["closed"]


def test_a_name_that_does_not_resolve_is_unreachable_and_retried():
    def failing(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    with pytest.raises(Unreachable):
        receivers.Receivers(failing).addresses("hooks.example.com", 443)
