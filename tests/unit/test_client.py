"""The SDK's HTTP behaviour with no network (`httpx.MockTransport`): retries and their waits, idempotency keys,
errors, the generated operations' requests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from assets_client import ApiError, Backoff, Client, config
from assets_client.client import retry_after
from local import sdk

ROOT = Path(__file__).resolve().parents[2]
ASSET_ID = "0" * 32


class Recorder:
    """A transport answering from a list, recording every request and every wait of the backoff."""

    def __init__(self, *answers: httpx.Response | Exception):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.waits: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, retries: int = 5) -> Client:
        backoff = Backoff(retries=retries, base=0.5, cap=8, sleep=self.waits.append)
        return Client(
            "https://api.example.com/", "dam_key", backoff=backoff, transport=httpx.MockTransport(self.handle)
        )


def error(status: int, code: str, field: str | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": f"{code}!", "field": field}, headers=headers)


ASSET = {"id": ASSET_ID, "status": "ready", "kind": "image", "created_at": "t", "updated_at": "t"}


def test_a_429_is_retried_after_the_time_retry_after_asks() -> None:
    recorder = Recorder(error(429, "throttled", **{"Retry-After": "7"}), httpx.Response(200, json=ASSET))
    assert recorder.client().get_asset(ASSET_ID) == ASSET
    assert len(recorder.requests) == 2
    assert recorder.waits[0] >= 7  # never sooner than asked, whatever the jitter drew


def test_5xx_answers_back_off_exponentially_with_jitter_then_give_up() -> None:
    recorder = Recorder(*(error(503, "unavailable") for _ in range(4)))
    with pytest.raises(ApiError) as raised:
        recorder.client(retries=3).get_asset(ASSET_ID)
    assert (raised.value.status, raised.value.error, raised.value.message) == (503, "unavailable", "unavailable!")
    assert len(recorder.requests) == 4
    assert len(recorder.waits) == 3
    for attempt, waited in enumerate(recorder.waits):
        assert 0 <= waited <= 0.5 * 2**attempt


def test_the_backoff_draws_up_to_its_cap_and_not_always_the_same() -> None:
    backoff = Backoff(base=1, cap=4)
    delays = [backoff.delay(10) for _ in range(200)]
    assert max(delays) <= 4
    assert len(set(delays)) > 100


def test_a_connection_error_is_retried_then_reported_without_a_status() -> None:
    recorder = Recorder(httpx.ConnectError("refused"), httpx.Response(200, json=ASSET))
    assert recorder.client().get_asset(ASSET_ID)["id"] == ASSET_ID

    recorder = Recorder(*(httpx.ConnectError("refused") for _ in range(3)))
    with pytest.raises(ApiError) as raised:
        recorder.client(retries=2).get_asset(ASSET_ID)
    assert (raised.value.status, raised.value.error) == (None, "connection_error")


def test_errors_carry_the_body_and_4xx_are_not_retried() -> None:
    recorder = Recorder(error(400, "invalid_request", field="size"))
    with pytest.raises(ApiError) as raised:
        recorder.client().create_upload({"filename": "a.jpg", "content_type": "image/jpeg", "size": -1})
    assert (raised.value.status, raised.value.error, raised.value.field) == (400, "invalid_request", "size")
    assert "size" in str(raised.value)
    assert len(recorder.requests) == 1


def test_an_error_that_is_not_the_apis_body_keeps_its_text() -> None:
    recorder = Recorder(httpx.Response(403, text="<Error><Code>AccessDenied</Code></Error>"))
    with pytest.raises(ApiError) as raised:
        recorder.client().get_asset(ASSET_ID)
    assert (raised.value.status, raised.value.error) == (403, "http_403")
    assert "AccessDenied" in raised.value.message


def test_a_post_taking_an_idempotency_key_sends_one_the_same_across_retries() -> None:
    created = {"asset": ASSET, "upload": None, "duplicate": True}
    recorder = Recorder(error(502, "bad_gateway"), httpx.ReadTimeout("lost"), httpx.Response(200, json=created))
    assert recorder.client().create_upload({"filename": "a.jpg", "content_type": "image/jpeg", "size": 3}) == created
    keys = {r.headers["Idempotency-Key"] for r in recorder.requests}
    assert len(recorder.requests) == 3
    assert len(keys) == 1


def test_a_post_without_an_idempotency_key_is_not_sent_twice_after_a_5xx() -> None:
    recorder = Recorder(error(503, "unavailable"), httpx.Response(200, json=ASSET))
    with pytest.raises(ApiError):
        recorder.client().restore_asset(ASSET_ID)
    assert len(recorder.requests) == 1
    assert "Idempotency-Key" not in recorder.requests[0].headers


def test_requests_carry_the_key_path_query_body_and_if_match() -> None:
    recorder = Recorder(httpx.Response(200, json={"items": [], "next_cursor": None}), httpx.Response(200, json=ASSET))
    client = recorder.client()
    client.list_assets(tag=["a", "b"], recursive=True, folder_id="root", limit=5)
    client.update_asset(ASSET_ID, {"tags": ["x"]}, if_match='"r1"')
    listing, update = recorder.requests
    assert listing.url.path == "/v1/assets"
    assert listing.url.params.get_list("tag") == ["a", "b"]
    assert dict(listing.url.params) | {"tag": "b"} == {
        "tag": "b",
        "recursive": "true",
        "folder_id": "root",
        "limit": "5",
    }
    assert listing.headers["Authorization"] == "Bearer dam_key"
    assert (update.method, update.url.path, update.headers["If-Match"]) == ("PATCH", f"/v1/assets/{ASSET_ID}", '"r1"')
    assert json.loads(update.content) == {"tags": ["x"]}


def test_a_redirect_is_answered_not_followed_and_a_204_is_none() -> None:
    location = "https://bucket.example/originals/x?sig=1"
    recorder = Recorder(httpx.Response(302, headers={"Location": location}), httpx.Response(204))
    client = recorder.client()
    assert client.download_asset(ASSET_ID) == {"status": 302, "location": location}
    assert client.delete_asset(ASSET_ID, permanent=True) is None
    assert recorder.requests[1].url.params["permanent"] == "true"


def test_a_public_route_is_called_without_the_key() -> None:
    recorder = Recorder(httpx.Response(200, json={"access": "a", "expires_at": "t"}))
    recorder.client().unlock_share("tok", {"password": "pw"})
    assert "Authorization" not in recorder.requests[0].headers


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after(httpx.Response(429, headers={"Retry-After": "3"})) == 3
    assert retry_after(httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0
    assert retry_after(httpx.Response(429)) is None


def test_iterate_follows_the_cursors() -> None:
    recorder = Recorder(
        httpx.Response(200, json={"items": [ASSET], "next_cursor": "c1"}),
        httpx.Response(200, json={"items": [ASSET], "next_cursor": None}),
    )
    client = recorder.client()
    assert len(list(client.iterate(client.list_assets, kind="image"))) == 2
    assert recorder.requests[1].url.params["cursor"] == "c1"


def test_the_generated_operations_match_openapi_json() -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "local.sdk", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


def test_every_operation_of_the_document_is_a_method() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    operations = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert operations
    assert all(callable(getattr(Client, name, None)) for name in operations)


def test_the_sdk_does_not_import_the_server() -> None:
    code = (
        "import sys, assets_client.cli, assets_client.uploads; "
        "print(any(m.split('.')[0] == 'functions' for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_settings_come_from_flags_then_the_environment_then_the_file(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text('api_url = "https://file.example"\napi_key = "dam_file"\n')
    environ = {"ASSETS_CONFIG": str(file)}
    assert config.load(environ=environ) == config.Settings("https://file.example", "dam_file")
    environ |= {"ASSETS_API_URL": "https://env.example", "ASSETS_API_KEY": "dam_env"}
    assert config.load(environ=environ) == config.Settings("https://env.example", "dam_env")
    assert config.load("https://flag.example", environ=environ).api_url == "https://flag.example"
    assert config.config_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/assets/config.toml")
    file.write_text("api_url = ")
    with pytest.raises(ValueError, match=r"config\.toml"):
        config.load(environ=environ)


def test_a_new_route_and_its_schemas_are_generated_without_a_hand_edit() -> None:
    """What a branch adding routes brings: an enum schema, a field Python cannot spell, a new operation."""
    document = {
        "paths": {
            "/v1/webhooks/{webhook_id}/deliveries": {
                "post": {
                    "operationId": "retry_delivery",
                    "summary": "Retry",
                    "parameters": [
                        {"name": "webhook_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "idempotency-key", "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hook"}}},
                    },
                    "responses": {
                        "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hook"}}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Hook": {
                    "type": "object",
                    "required": ["events"],
                    "properties": {
                        "events": {"type": "array", "items": {"$ref": "#/components/schemas/EventType"}},
                        "from": {"type": "string"},
                    },
                },
                "EventType": {"type": "string", "enum": ["asset.ready", "asset.failed"]},
            }
        },
    }
    namespace: dict = {}
    exec(compile(sdk.generate(document), "_generated.py", "exec"), namespace)
    calls = []
    operations = type("Fake", (namespace["Operations"],), {"_call": lambda self, *a, **k: calls.append((a, k))})()
    operations.retry_delivery("w1", {"events": ["asset.ready"], "from": "x"}, limit=5)
    assert calls == [
        (
            ("POST", "/v1/webhooks/{webhook_id}/deliveries"),
            {
                "path": {"webhook_id": "w1"},
                "query": {"limit": 5},
                "body": {"events": ["asset.ready"], "from": "x"},
                "idempotency_key": None,
                "idempotent": True,
            },
        )
    ]
    assert namespace["Hook"].__required_keys__ == frozenset({"events"})
