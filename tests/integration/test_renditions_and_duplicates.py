"""Renditions written, listed, served and deleted with the asset; duplicates found by SHA-256, per tenant."""

from __future__ import annotations

import hashlib
import io
from urllib.parse import urlparse

import boto3
from PIL import Image

from functions import schema
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import Stack


def asset(stack: Stack, asset_id: str, tenant: str = "acme") -> dict:
    return stack.call("get_asset", path_params={"asset_id": asset_id}, tenant=tenant)[1]


def derived_keys(stack: Stack, asset_id: str) -> list[str]:
    return stack.keys(schema.derived_prefix("acme", asset_id))


def revision(stack: Stack, asset_id: str) -> str:
    """The revision the asset serves: the one sealed original left under its prefix."""
    (sealed,) = stack.keys(schema.originals_prefix("acme", asset_id))
    return sealed.rsplit("/", 1)[1]


def test_image_gets_webp_renditions_listed_stored_and_served(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg(1600, 1200, orientation=6))["id"]
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "ready"
    assert found["renditions"] == [
        {
            "name": "large",
            "width": 768,
            "height": 1024,
            "content_type": "image/webp",
            "size": found["renditions"][0]["size"],
            "url": None,  # no DELIVERY_URL here: tests/integration/test_delivery.py
        },
        {
            "name": "small",
            "width": 192,
            "height": 256,
            "content_type": "image/webp",
            "size": found["renditions"][1]["size"],
            "url": None,
        },
    ]
    small_key = schema.rendition_key("acme", asset_id, revision(stack, asset_id), "small")
    assert derived_keys(stack, asset_id) == [
        schema.rendition_key("acme", asset_id, revision(stack, asset_id), "large"),
        small_key,
    ]
    body = boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=small_key)["Body"].read()
    assert len(body) == found["renditions"][1]["size"]
    with Image.open(io.BytesIO(body)) as small:
        assert (small.format, small.size) == ("WEBP", (192, 256))
        assert not small.getexif()

    status, _, headers = stack.call("download_rendition", path_params={"asset_id": asset_id, "name": "small"})
    assert status == 302
    location = urlparse(headers["Location"])
    assert location.path.endswith(small_key)
    assert "file-small.webp" in headers["Location"]


def test_rendition_errors(stack: Stack) -> None:
    text_id = stack.upload(b"hello world\n", content_type="text/plain")["id"]
    stack.drain()
    status, body, _ = stack.call("download_rendition", path_params={"asset_id": text_id, "name": "small"})
    assert (status, body["error"]) == (404, "not_found")
    status, body, _ = stack.call("download_rendition", path_params={"asset_id": text_id, "name": "huge"})
    assert (status, body["field"]) == (400, "name")
    status, _, _ = stack.call("download_rendition", path_params={"asset_id": text_id, "name": "small"}, tenant="other")
    assert status == 404


def test_purging_the_asset_deletes_its_renditions(stack: Stack) -> None:
    asset_id = stack.upload(files.png(300, 200))["id"]
    stack.drain()
    assert len(derived_keys(stack, asset_id)) == 2
    assert stack.call("delete_asset", path_params={"asset_id": asset_id})[0] == 204
    assert len(derived_keys(stack, asset_id)) == 2  # in the trash: restorable, files and all
    assert stack.call("purge_asset", path_params={"asset_id": asset_id})[0] == 204
    assert derived_keys(stack, asset_id) == []


def test_an_asset_deleted_while_processed_leaves_no_renditions(stack: Stack, monkeypatch) -> None:
    asset_id = stack.upload(files.png(300, 200))["id"]
    storage = get_deps().storage
    put = storage.put

    def delete_then_put(key: str, data: bytes, content_type: str) -> None:
        if key.endswith("large.webp"):  # the DELETE lists the prefix just before our first write
            assert stack.call("delete_asset", path_params={"asset_id": asset_id})[0] == 204
        put(key, data, content_type)

    monkeypatch.setattr(storage, "put", delete_then_put)
    stack.drain()
    assert stack.keys() == []
    assert [e["detail-type"] for e in stack.events()] == ["asset.deleted", "asset.purged"]  # pending: no file to keep


def test_known_bytes_are_not_uploaded_again(stack: Stack) -> None:
    data = files.jpeg(200, 100)
    digest = hashlib.sha256(data).hexdigest()
    first = stack.upload(data)["id"]
    stack.drain()
    request = {"filename": "again.jpg", "content_type": "image/jpeg", "size": len(data), "sha256": digest}

    status, body, _ = stack.call("create_upload", body=request)
    assert status == 200
    assert (body["duplicate"], body["upload"], body["asset"]["id"]) == (True, None, first)

    status, body, _ = stack.call("create_upload", body=request, tenant="other")
    assert status == 201
    assert body["duplicate"] is False
    assert body["upload"]["url"]


def test_processed_copy_records_duplicate_of_the_first(stack: Stack) -> None:
    data = files.png(50, 40)
    first = stack.upload(data, content_type="image/png")["id"]
    stack.drain()
    second = stack.upload(data, content_type="image/png")["id"]
    elsewhere = stack.upload(data, content_type="image/png", tenant="other")["id"]
    stack.drain()
    assert asset(stack, first).get("duplicate_of") is None
    assert asset(stack, second)["duplicate_of"] == first
    assert asset(stack, elsewhere, tenant="other").get("duplicate_of") is None


def test_bytes_that_do_not_match_the_declared_sha256_fail(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg(), sha256="0" * 64)["id"]
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "failed"
    assert "SHA-256 does not match" in found["error"]
    assert [e["detail-type"] for e in stack.events()] == ["asset.failed"]


def test_invalid_sha256_is_a_400(stack: Stack) -> None:
    status, body, _ = stack.call(
        "create_upload", body={"filename": "a.jpg", "content_type": "image/jpeg", "size": 10, "sha256": "abc"}
    )
    assert (status, body["field"]) == (400, "sha256")
