"""Comments over HTTP: the author is the label of the key that wrote them (`make dev`'s key is labelled)."""

from __future__ import annotations

import requests

from tests import files
from tests.e2e.conftest import LocalStack
from tests.e2e.test_upload_flow import create_and_upload


def test_a_comment_names_the_key_that_wrote_it(local_stack: LocalStack) -> None:
    asset = create_and_upload(local_stack, files.jpeg(32, 24), "c.jpg", "image/jpeg")
    url = f"{local_stack.url}/v1/assets/{asset['id']}/comments"
    made = requests.post(url, json={"text": "Nice"}, headers=local_stack.headers(), timeout=10)
    assert made.status_code == 201, made.text
    assert made.json()["author"] == "make dev"
    other = local_stack.make_key("acme")
    assert requests.get(url, headers=local_stack.headers(other), timeout=10).status_code == 404
    assert [c["text"] for c in requests.get(url, headers=local_stack.headers(), timeout=10).json()["items"]] == ["Nice"]
