"""Keys and limits against the local stack over HTTP: keys made, used and revoked through the API, and a tenant's
tier throttling it (429, `Retry-After`, the error body) while other tenants go on."""

from __future__ import annotations

import time

import requests

from infra.tiers import from_cdk_json
from tests.e2e.conftest import LocalStack


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


def test_past_its_tier_s_limit_a_tenant_gets_429_with_retry_after_then_goes_on(local_stack: LocalStack) -> None:
    """The standard tier's own bucket for `POST /v1/uploads` (5/s, burst 10): invalid bodies are enough, since the
    gateway counts a request before any function sees it."""
    standard = from_cdk_json()["standard"]
    key = local_stack.make_key("e2e-limited", tier="standard")
    url = f"{local_stack.url}/v1/uploads"
    answers = []
    for _ in range(standard.uploads_burst * 4):
        answers.append(requests.post(url, json={}, headers=local_stack.headers(key), timeout=10))
        if answers[-1].status_code == 429:
            break
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
