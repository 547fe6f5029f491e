"""Webhooks over real HTTP against the local stack: a receiver on 127.0.0.1 (which only the local stack accepts)
gets the upload's `asset.ready`, signed per Standard Webhooks (checked with the reference library), through the
same path as on AWS (the bus's rule -> fan-out queue -> delivery queue, drained by the local workers)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests
from standardwebhooks.webhooks import Webhook as Verifier

from tests import files
from tests.e2e.conftest import LocalStack
from tests.e2e.test_upload_flow import create_and_upload
from tests.webhook_receiver import Receiver, serve


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serve() as receiving:
        yield receiving


def _received(receiver: Receiver, count: int, timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while len(receiver.received) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(receiver.received) >= count, f"{len(receiver.received)} of {count} deliveries after {timeout}s"
    return receiver.received


def test_an_upload_reaches_a_local_receiver_signed_and_a_retry_sends_it_again(
    local_stack: LocalStack, receiver: Receiver
) -> None:
    hooks = f"{local_stack.url}/v1/webhooks"
    made = requests.post(
        hooks, json={"url": receiver.url, "events": ["asset.ready"]}, headers=local_stack.headers(), timeout=10
    )
    assert made.status_code == 201, made.text
    hook = made.json()

    asset = create_and_upload(local_stack, files.jpeg(24, 16), "hook.jpg", "image/jpeg")
    (delivered,) = _received(receiver, 1)
    payload = Verifier(hook["secret"]).verify(delivered["body"], delivered["headers"])
    assert (payload["type"], payload["data"]["asset"]["id"]) == ("asset.ready", asset["id"])

    deliveries = f"{hooks}/{hook['id']}/deliveries"
    (delivery,) = requests.get(deliveries, headers=local_stack.headers(), timeout=10).json()["items"]
    assert (delivery["status"], delivery["attempts"][0]["status_code"]) == ("succeeded", 204)
    retried = requests.post(f"{deliveries}/{delivery['id']}/retry", headers=local_stack.headers(), timeout=10)
    assert retried.status_code == 202, retried.text
    again = _received(receiver, 2)[1]
    assert (again["body"], again["headers"]["webhook-id"]) == (delivered["body"], delivered["headers"]["webhook-id"])
    assert json.loads(again["body"])["data"]["id"] == delivered["headers"]["webhook-id"]


def test_a_private_address_is_refused_even_locally(local_stack: LocalStack) -> None:
    refused = requests.post(
        f"{local_stack.url}/v1/webhooks",
        json={"url": "http://10.0.0.1:8080/", "events": ["*"]},
        headers=local_stack.headers(),
        timeout=10,
    )
    assert (refused.status_code, refused.json()["field"]) == (400, "url")
