"""Multipart uploads: a file over SINGLE_UPLOAD_BYTES goes up in presigned parts, checked before it is completed.

These tests lower `SINGLE_UPLOAD_BYTES` to 6 MiB so that a 20 MiB file (two parts of at least 16 MiB) is
multipart; tests/e2e/test_multipart.py sends a file over the default 100 MiB to the local stack.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

import boto3
import pytest
import requests

from functions import schema
from functions.services.deps import get_deps
from functions.settings import MIB, get_settings
from tests.integration.conftest import Stack
from tests.integration.test_sealing import served

DATA = random.Random(7).randbytes(20 * MIB)


@pytest.fixture
def small_limit(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    monkeypatch.setenv("SINGLE_UPLOAD_BYTES", str(6 * MIB))
    get_settings.cache_clear()
    get_deps.cache_clear()
    yield stack
    get_settings.cache_clear()
    get_deps.cache_clear()


def start(stack: Stack, size: int = len(DATA), route: str = "create_upload", **path: str) -> dict:
    body = {"filename": "big.bin", "content_type": "application/octet-stream", "size": size}
    status, created, _ = stack.call(route, body=body, path_params=path or None)
    assert status == 201, created
    return created


def put_parts(upload: dict, data: bytes = DATA) -> list[dict]:
    """PUT each part to its URL, as a client does; the parts to complete with."""
    size = upload["part_size"]
    done = []
    for part in upload["parts"]:
        chunk = data[(part["number"] - 1) * size : part["number"] * size]
        response = requests.put(part["url"], data=chunk, timeout=30)
        assert response.status_code == 200, response.text
        done.append({"number": part["number"], "etag": response.headers["ETag"]})
    return done


def complete(stack: Stack, upload_id: str, parts: list[dict]) -> tuple[int, dict]:
    status, body, _ = stack.call("complete_upload", path_params={"upload_id": upload_id}, body={"parts": parts})
    return status, body


def test_a_large_file_goes_up_in_parts_and_is_processed(small_limit: Stack) -> None:
    stack = small_limit
    created = start(stack)
    upload = created["upload"]
    assert upload["method"] == "multipart"
    assert (upload["part_size"], upload["part_count"]) == (16 * MIB, 2)
    assert [p["number"] for p in upload["parts"]] == [1, 2]

    parts = put_parts(upload)
    status, body = complete(stack, upload["upload_id"], parts)
    assert status == 200, body
    assert (body["asset"]["id"], body["asset"]["status"], body["version"]) == (created["asset"]["id"], "pending", 1)
    stack.drain()  # moto notifies a completed upload twice: the second finds it processed
    _, asset, _ = stack.call("get_asset", path_params={"asset_id": created["asset"]["id"]})
    assert (asset["status"], asset["size"], asset["sha256"]) == ("ready", len(DATA), hashlib.sha256(DATA).hexdigest())
    assert served(stack, asset["id"]) == DATA
    assert stack.keys(schema.UPLOADS_PREFIX) == []
    downloaded = {**asset, "download_count": 1}  # `served` downloaded it once
    assert complete(stack, upload["upload_id"], parts) == (200, {"asset": downloaded, "version": 1})  # again: the same


def test_completion_checks_every_part(small_limit: Stack) -> None:
    stack = small_limit
    upload = start(stack)["upload"]
    parts = put_parts(upload)
    upload_id = upload["upload_id"]
    wrong = [parts[0], {"number": 2, "etag": '"0123456789abcdef0123456789abcdef"'}]
    cases = {
        "part 2: the etag is not the one S3 answered for it": wrong,
        "parts must be listed from 1, in order: part 1 is missing": parts[1:],
        "parts must be listed from 1, in order: part 2 is missing": [parts[0], parts[0]],
    }
    for message, listed in cases.items():
        status, body = complete(stack, upload_id, listed)
        assert (status, body["error"], body["field"], body["message"]) == (400, "invalid_request", "parts", message)
    assert stack.keys(schema.UPLOADS_PREFIX) == []  # nothing was assembled

    missing = start(stack)["upload"]
    first = put_parts({**missing, "parts": missing["parts"][:1]})
    status, body = complete(stack, missing["upload_id"], [*first, {"number": 2, "etag": parts[1]["etag"]}])
    assert (status, body["message"]) == (400, "part 2 was not uploaded")


def test_parts_over_the_declared_size_are_refused(small_limit: Stack) -> None:
    stack = small_limit
    upload = start(stack, size=len(DATA) - MIB)["upload"]
    status, body = complete(stack, upload["upload_id"], put_parts(upload))  # the whole 20 MiB
    assert (status, body["field"]) == (400, "parts")
    assert body["message"] == f"the parts hold {len(DATA)} bytes, more than the {len(DATA) - MIB} declared"


def test_fresh_part_urls_and_an_abort_that_leaves_nothing(small_limit: Stack) -> None:
    stack = small_limit
    created = start(stack)
    upload_id = created["upload"]["upload_id"]
    path = {"upload_id": upload_id}
    status, signed, _ = stack.call("sign_upload_parts", path_params=path, body={"numbers": [2, 1, 2]})
    assert status == 200, signed
    assert [p["number"] for p in signed["parts"]] == [1, 2]
    put_parts({**created["upload"], "parts": signed["parts"][:1]})
    status, body, _ = stack.call("sign_upload_parts", path_params=path, body={"numbers": [3]})
    assert (status, body["field"]) == (400, "numbers")
    assert stack.call("sign_upload_parts", path_params=path, body={"numbers": [1]}, tenant="globex")[0] == 404
    assert stack.call("abort_upload", path_params=path, tenant="globex")[0] == 404

    assert stack.call("abort_upload", path_params=path)[0] == 204
    assert stack.call("get_asset", path_params={"asset_id": created["asset"]["id"]})[0] == 404
    assert stack.call("list_trash")[1]["items"] == []  # purged, not trashed
    s3 = boto3.client("s3")
    assert s3.list_multipart_uploads(Bucket=stack.settings.bucket_name).get("Uploads", []) == []
    assert stack.call("abort_upload", path_params=path)[0] == 404
    assert [e["detail-type"] for e in stack.events()] == ["asset.deleted", "asset.purged"]


def test_a_large_new_version_goes_up_in_parts(small_limit: Stack) -> None:
    stack = small_limit
    first = stack.upload(b"small first version", content_type="application/octet-stream")
    stack.drain()
    created = start(stack, route="create_version", asset_id=first["id"])
    upload = created["upload"]
    assert (upload["method"], created["version"]["number"]) == ("multipart", 2)
    status, body = complete(stack, upload["upload_id"], put_parts(upload))
    assert (status, body["version"], body["asset"]["version"]) == (200, 2, 1)  # served until processed
    stack.drain()
    _, asset, _ = stack.call("get_asset", path_params={"asset_id": first["id"]})
    assert (asset["version"], asset["size"]) == (2, len(DATA))

    aborted = start(stack, route="create_version", asset_id=first["id"])
    assert stack.call("abort_upload", path_params={"upload_id": aborted["upload"]["upload_id"]})[0] == 204
    _, listed, _ = stack.call("list_versions", path_params={"asset_id": first["id"]})
    assert [v["number"] for v in listed["items"]] == [2, 1]  # the aborted version 3 is gone


def test_a_completed_upload_cannot_be_aborted_and_a_small_one_is_a_post(small_limit: Stack) -> None:
    stack = small_limit
    upload = start(stack)["upload"]
    assert complete(stack, upload["upload_id"], put_parts(upload))[0] == 200
    status, body, _ = stack.call("abort_upload", path_params={"upload_id": upload["upload_id"]})
    assert (status, body["error"]) == (409, "conflict")
    assert start(stack, size=6 * MIB)["upload"]["method"] == "POST"
