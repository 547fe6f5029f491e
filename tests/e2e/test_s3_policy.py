"""The local emulator refuses a presigned POST that real S3 would refuse, over real HTTP."""

from __future__ import annotations

import hashlib
import uuid
from xml.etree import ElementTree

import requests

from tests import files
from tests.e2e.conftest import ORIGIN, LocalStack
from tests.e2e.test_upload_flow import wait_until_processed


def error_code(response: requests.Response) -> str | None:
    return ElementTree.fromstring(response.content).findtext("Code")


def test_the_emulator_enforces_the_presigned_post_policy(local_stack: LocalStack) -> None:
    data = files.jpeg(32, 24)
    created = requests.post(
        f"{local_stack.url}/v1/uploads",
        json={"filename": "policy.jpg", "content_type": "image/jpeg", "size": len(data)},
        headers=local_stack.headers(),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    upload = created.json()["upload"]
    url, fields, key = upload["url"], upload["fields"], upload["fields"]["key"]

    def post(form: dict[str, str], body: bytes, content_type: str = "image/jpeg") -> requests.Response:
        return requests.post(
            url, data=form, files={"file": ("policy.jpg", body, content_type)}, headers={"Origin": ORIGIN}, timeout=10
        )

    other_key = f"uploads/other-tenant/{uuid.uuid4().hex}"
    rewritten = post({**fields, "key": other_key}, data)
    assert (rewritten.status_code, error_code(rewritten)) == (403, "AccessDenied"), rewritten.text
    assert rewritten.headers["Content-Type"] == "application/xml"
    assert rewritten.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert local_stack.objects(other_key) == []

    wrong_type = post({**fields, "Content-Type": "text/html"}, data, "text/html")
    assert (wrong_type.status_code, error_code(wrong_type)) == (403, "AccessDenied"), wrong_type.text

    too_large = post(fields, data + b"\0")
    assert (too_large.status_code, error_code(too_large)) == (400, "EntityTooLarge"), too_large.text
    assert local_stack.objects(key) == []

    accepted = post(fields, data)
    assert accepted.status_code == 204, accepted.text
    asset_id = created.json()["asset"]["id"]
    assert wait_until_processed(local_stack, asset_id)["sha256"] == hashlib.sha256(data).hexdigest()
