"""A file over the single-POST limit (100 MiB) goes up to the local stack in presigned parts, as a browser would."""

from __future__ import annotations

import hashlib
import random

import requests

from functions.settings import MIB
from tests.e2e.conftest import ORIGIN, LocalStack
from tests.e2e.test_upload_flow import wait_until_processed


def test_a_file_over_100_mib_goes_up_in_parts(local_stack: LocalStack) -> None:
    size = 101 * MIB + 123
    created = requests.post(
        f"{local_stack.url}/v1/uploads",
        json={"filename": "archive.bin", "content_type": "application/octet-stream", "size": size},
        headers=local_stack.headers(),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    upload = created.json()["upload"]
    assert (upload["method"], upload["part_size"], upload["part_count"]) == ("multipart", 16 * MIB, 7)

    preflight = requests.options(
        upload["parts"][0]["url"],
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"},
        timeout=10,
    )
    assert preflight.status_code == 200
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]

    digest, parts, left = hashlib.sha256(), [], size
    for part in upload["parts"]:
        chunk = random.Random(part["number"]).randbytes(min(upload["part_size"], left))
        left -= len(chunk)
        digest.update(chunk)
        put = requests.put(part["url"], data=chunk, headers={"Origin": ORIGIN}, timeout=60)
        assert put.status_code == 200, put.text
        assert "ETag" in put.headers["Access-Control-Expose-Headers"]  # a browser's script may read it
        parts.append({"number": part["number"], "etag": put.headers["ETag"]})
    assert left == 0

    completed = requests.post(
        f"{local_stack.url}/v1/uploads/{upload['upload_id']}/complete",
        json={"parts": parts},
        headers=local_stack.headers(),
        timeout=60,
    )
    assert completed.status_code == 200, completed.text
    ready = wait_until_processed(local_stack, completed.json()["asset"]["id"], timeout=120)
    assert (ready["status"], ready["size"], ready["sha256"]) == ("ready", size, digest.hexdigest())
