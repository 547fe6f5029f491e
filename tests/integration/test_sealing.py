"""Originals are sealed once processed: what was inspected is what is served, and nothing is left behind.

A presigned POST stays usable until it expires and cannot be revoked, so these tests POST again
(a `put_upload`, which is what S3 does with a second POST to the same form) at every moment.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlparse

import boto3

from functions import schema
from functions.services import processing
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import Stack

PHOTO, OTHER = files.jpeg(120, 80), files.png(40, 40)


def asset(stack: Stack, asset_id: str) -> dict:
    return stack.call("get_asset", path_params={"asset_id": asset_id})[1]


def served(stack: Stack, asset_id: str) -> bytes:
    """The bytes `/download` redirects to."""
    status, _, headers = stack.call("download_asset", path_params={"asset_id": asset_id})
    assert status == 302
    key = urlparse(headers["Location"]).path.lstrip("/").removeprefix(f"{stack.settings.bucket_name}/")
    return boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()


def sealed_keys(stack: Stack, asset_id: str) -> list[str]:
    return stack.keys(schema.originals_prefix("acme", asset_id))


def test_a_second_post_after_processing_changes_nothing_and_is_removed(stack: Stack) -> None:
    asset_id = stack.upload(PHOTO)["id"]
    stack.drain()
    before = asset(stack, asset_id)
    stack.events()
    stack.put_upload("acme", asset_id, b"<html><script>alert(1)</script></html>", "image/jpeg")
    stack.drain()
    assert asset(stack, asset_id) == before
    assert served(stack, asset_id) == PHOTO
    assert hashlib.sha256(served(stack, asset_id)).hexdigest() == before["sha256"]
    assert stack.keys(schema.UPLOADS_PREFIX) == []
    assert len(sealed_keys(stack, asset_id)) == 1
    assert stack.events() == []


def test_a_second_post_before_processing_is_the_one_inspected_and_served(stack: Stack) -> None:
    asset_id = stack.upload(PHOTO, content_type="image/png")["id"]
    stack.put_upload("acme", asset_id, OTHER, "image/png")
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "ready"
    assert found["sha256"] == hashlib.sha256(served(stack, asset_id)).hexdigest() == hashlib.sha256(OTHER).hexdigest()
    assert stack.keys(schema.UPLOADS_PREFIX) == []
    assert [e["detail-type"] for e in stack.events()] == ["asset.ready"]


def test_a_post_after_delete_is_removed_and_the_trashed_files_kept(stack: Stack) -> None:
    asset_id = stack.upload(PHOTO)["id"]
    stack.drain()
    kept = sealed_keys(stack, asset_id)
    assert stack.call("delete_asset", path_params={"asset_id": asset_id})[0] == 204
    stack.put_upload("acme", asset_id, OTHER, "image/png")
    stack.drain()
    assert stack.keys(schema.UPLOADS_PREFIX) == []
    assert sealed_keys(stack, asset_id) == kept
    assert stack.call("restore_asset", path_params={"asset_id": asset_id})[0] == 200
    assert served(stack, asset_id) == PHOTO


def test_a_post_after_a_purge_leaves_no_orphan(stack: Stack) -> None:
    asset_id = stack.upload(PHOTO)["id"]
    stack.drain()
    deleted = stack.call("delete_asset", path_params={"asset_id": asset_id}, query={"permanent": "true"})
    assert deleted[0] == 204
    stack.put_upload("acme", asset_id, PHOTO)
    stack.drain()
    assert stack.keys() == []


def test_a_failed_upload_keeps_no_bytes(stack: Stack) -> None:
    asset_id = stack.upload(files.text_as_png(), content_type="image/png")["id"]
    stack.drain()
    assert asset(stack, asset_id)["status"] == "failed"
    assert stack.keys() == []


def test_bytes_replaced_while_inspected_are_never_served(stack: Stack, monkeypatch) -> None:
    """The inspection reads the sealed copy: a POST landing meanwhile can't reach what is inspected."""
    asset_id = stack.upload(PHOTO)["id"]
    inspect = processing.inspect

    def post_meanwhile(*args, **kwargs):
        stack.put_upload("acme", asset_id, OTHER)
        return inspect(*args, **kwargs)

    monkeypatch.setattr(processing, "inspect", post_meanwhile)
    stack.drain()
    monkeypatch.setattr(processing, "inspect", inspect)
    stack.drain()
    found = asset(stack, asset_id)
    assert found["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert served(stack, asset_id) == PHOTO
    assert stack.keys(schema.UPLOADS_PREFIX) == []


def test_concurrent_attempts_keep_the_winner_only(stack: Stack, monkeypatch) -> None:
    """Two processor instances on two POSTs to one form: one wins, its bytes, metadata and renditions agree."""
    asset_id = stack.upload(PHOTO, content_type="image/png")["id"]
    inspect = processing.inspect
    nested = []

    def another_instance_wins(*args, **kwargs):
        if not nested:
            nested.append(True)
            stack.put_upload("acme", asset_id, OTHER, "image/png")
            assert processing.process_object(get_deps(), schema.upload_key("acme", asset_id)) == "ready"
        return inspect(*args, **kwargs)

    monkeypatch.setattr(processing, "inspect", another_instance_wins)
    stack.drain()
    found = asset(stack, asset_id)
    assert found["sha256"] == hashlib.sha256(OTHER).hexdigest() == hashlib.sha256(served(stack, asset_id)).hexdigest()
    (sealed,) = sealed_keys(stack, asset_id)
    revision = sealed.rsplit("/", 1)[1]
    assert stack.keys(schema.derived_prefix("acme", asset_id)) == [
        schema.rendition_key("acme", asset_id, revision, name) for name in ("large", "small")
    ]
    assert stack.keys(schema.UPLOADS_PREFIX) == []
    assert [e["detail-type"] for e in stack.events() if e["detail"]["asset"]["id"] == asset_id] == ["asset.ready"]
