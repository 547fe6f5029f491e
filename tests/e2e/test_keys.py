"""Keys and limits against the local stack over HTTP: keys made, used and revoked through the API, and a tenant's
tier throttling it (429, `Retry-After`, the error body) while other tenants go on."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import requests

from infra.tiers import from_cdk_json
from tests.e2e.conftest import ROOT, LocalStack


def test_a_key_made_through_the_api_works_and_stops_at_once_when_revoked(local_stack: LocalStack) -> None:
    api = local_stack.url
    made = requests.post(
        f"{api}/v1/keys",
        json={"scopes": ["assets:read", "keys:admin"], "label": "e2e"},
        headers=local_stack.headers(),
        timeout=10,
    )
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert requests.get(f"{api}/v1/assets", headers=local_stack.headers(key), timeout=10).status_code == 200
    listed = requests.get(f"{api}/v1/keys", headers=local_stack.headers(key), timeout=10).json()
    assert made.json()["id"] in [item["id"] for item in listed["items"]]
    assert key not in str(listed)
    # the key revokes itself: the DELETE succeeds, the next request with it is a 401
    gone = requests.delete(f"{api}/v1/keys/{made.json()['id']}", headers=local_stack.headers(key), timeout=10)
    assert gone.status_code == 204
    after = requests.get(f"{api}/v1/assets", headers=local_stack.headers(key), timeout=10)
    assert after.status_code == 401
    assert after.json()["error"] == "unauthorized"


def uploads_until_throttled(local_stack: LocalStack, key: str, most: int) -> list[requests.Response]:
    """`POST /v1/uploads` with an invalid body (the gateway counts a request before any function sees it), as fast
    as the stack answers, until a 429 or `most` answers."""
    answers: list[requests.Response] = []
    while len(answers) < most and (not answers or answers[-1].status_code != 429):
        answers.append(
            requests.post(f"{local_stack.url}/v1/uploads", json={}, headers=local_stack.headers(key), timeout=10)
        )
    return answers


def test_past_its_tier_s_limit_a_tenant_gets_429_with_retry_after_then_goes_on(local_stack: LocalStack) -> None:
    """The standard tier's own bucket for `POST /v1/uploads` (5/s, burst 10)."""
    standard = from_cdk_json()["standard"]
    key = local_stack.make_key("e2e-limited", tier="standard")
    url = f"{local_stack.url}/v1/uploads"
    answers = uploads_until_throttled(local_stack, key, standard.uploads_burst * 4)
    throttled = answers[-1]
    assert throttled.status_code == 429, [a.status_code for a in answers]
    assert len(answers) > standard.uploads_burst  # the burst went through first
    assert {a.status_code for a in answers[:-1]} == {400}
    assert throttled.json() == {
        "error": "throttled",
        "message": "too many requests for this tenant's tier; retry after Retry-After seconds",
        "field": None,
    }
    wait = int(throttled.headers["Retry-After"])
    assert 1 <= wait <= 1 + 1 / standard.uploads_rate
    # another tenant (make dev's key), and the tenant's other routes, are not held back
    assert requests.get(f"{local_stack.url}/v1/assets", headers=local_stack.headers(), timeout=10).status_code == 200
    assert requests.get(f"{local_stack.url}/v1/assets", headers=local_stack.headers(key), timeout=10).status_code == 200
    time.sleep(wait)
    again = requests.post(url, json={}, headers=local_stack.headers(key), timeout=10)
    assert again.status_code == 400, again.text


def test_make_tier_moves_a_tenant_and_its_keys_to_another_tier(local_stack: LocalStack) -> None:
    standard = from_cdk_json()["standard"]
    key = local_stack.make_key("e2e-mover", tier="standard")
    assert uploads_until_throttled(local_stack, key, standard.uploads_burst * 4)[-1].status_code == 429
    moved = subprocess.run(
        [sys.executable, "-m", "local.keys", "--move", "--tenant", "e2e-mover", "--tier", "partner"],
        cwd=ROOT,
        env={**os.environ, "EMULATOR_PORT": str(local_stack.emulator_port)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert moved.returncode == 0, moved.stderr
    assert "e2e-mover and its 1 keys are in the partner tier" in moved.stdout
    answers = uploads_until_throttled(local_stack, key, standard.uploads_burst * 2)
    assert {a.status_code for a in answers} == {400}  # the partner tier's burst of 200 holds them all
