"""Versions: a new file for the same asset id, a failed one that changes nothing, restores, deletes, purges."""

from __future__ import annotations

import hashlib
from urllib.parse import urlparse

import boto3

from functions import schema
from functions.adapters.versions import version_key
from functions.services import processing
from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_folders import make
from tests.integration.test_processor import invoke, queued
from tests.integration.test_sealing import served
from tests.integration.test_search import ids, page

PHOTO, OTHER, THIRD = files.jpeg(120, 80), files.png(40, 40), files.png(64, 32)


def ready_asset(stack: Stack, data: bytes = PHOTO, **fields) -> dict:
    asset = stack.upload(data, **fields)
    stack.drain()
    return get(stack, asset["id"])


def get(stack: Stack, asset_id: str) -> dict:
    status, body, _ = stack.call("get_asset", path_params={"asset_id": asset_id})
    assert status == 200, body
    return body


def new_version(stack: Stack, asset_id: str, data: bytes | None, content_type: str = "image/png", **fields) -> dict:
    """POST a version; with `data`, put its bytes where its presigned POST writes."""
    body = {"filename": "v.png", "content_type": content_type, "size": len(data or b"x"), **fields}
    status, created, _ = stack.call("create_version", path_params={"asset_id": asset_id}, body=body)
    assert status == 201, created
    if data is not None:
        key = created["upload"]["fields"]["key"]
        boto3.client("s3").put_object(Bucket=stack.settings.bucket_name, Key=key, Body=data, ContentType=content_type)
    return created


def versions(stack: Stack, asset_id: str, **query: str) -> list[dict]:
    status, body, _ = stack.call("list_versions", path_params={"asset_id": asset_id}, query=query or None)
    assert status == 200, body
    return body["items"]


def version_bytes(stack: Stack, asset_id: str, number: int) -> bytes:
    status, body, headers = stack.call("download_version", path_params={"asset_id": asset_id, "number": str(number)})
    assert status == 302, body
    key = urlparse(headers["Location"]).path.lstrip("/").removeprefix(f"{stack.settings.bucket_name}/")
    return boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_new_version_replaces_the_file_and_keeps_everything_else(stack: Stack) -> None:
    folder = make(stack, "Brand")
    before = ready_asset(stack, folder_id=folder["id"], title="Sunset", tags=["Beach"], custom={"sku": "A1"})
    stack.events()

    created = new_version(stack, before["id"], OTHER, filename="sunset-v2.png")
    assert created["version"] | {"created_at": None} == {
        "number": 2,
        "status": "pending",
        "current": False,
        "filename": "sunset-v2.png",
        "content_type": "image/png",
        "size": len(OTHER),
        "sha256": None,
        "created_at": None,
        "error": None,
        "restored_from": None,
    }
    assert created["upload"]["fields"]["key"] == schema.upload_key("acme", before["id"], 2)
    assert created["asset"] == before
    assert served(stack, before["id"]) == PHOTO  # still the current file until the new one is processed
    assert [(v["number"], v["status"], v["current"]) for v in versions(stack, before["id"])] == [
        (2, "pending", False),
        (1, "ready", True),
    ]

    stack.drain()
    after = get(stack, before["id"])
    assert after["version"] == 2
    assert (after["sha256"], after["content_type"], after["filename"], after["size"]) == (
        sha(OTHER),
        "image/png",
        "sunset-v2.png",
        len(OTHER),
    )
    assert after["metadata"]["dimensions"]["width"] == 40
    for field in ("id", "folder_id", "title", "tags", "custom", "created_at"):
        assert after[field] == before[field], field
    assert after["revision"] != before["revision"]
    assert served(stack, before["id"]) == OTHER
    assert [(e["detail-type"], e["detail"]["asset"]["version"]) for e in stack.events()] == [("asset.replaced", 2)]
    assert ids(page(stack, content_type="image/png")["items"]) == {before["id"]}
    assert page(stack, content_type="image/jpeg")["items"] == []

    listed = versions(stack, before["id"])
    assert [(v["number"], v["status"], v["current"], v["sha256"]) for v in listed] == [
        (2, "ready", True, sha(OTHER)),
        (1, "ready", False, sha(PHOTO)),
    ]
    assert version_bytes(stack, before["id"], 1) == PHOTO
    assert version_bytes(stack, before["id"], 2) == OTHER
    rendition = stack.call("download_rendition", path_params={"asset_id": before["id"], "name": "small"})[2]
    assert f"/{after['id']}/" in rendition["Location"]
    assert stack.keys(schema.UPLOADS_PREFIX) == []


def test_a_failed_version_leaves_the_asset_served_unchanged(stack: Stack) -> None:
    before = ready_asset(stack)
    originals = stack.keys(schema.originals_prefix("acme", before["id"]))
    stack.events()

    new_version(stack, before["id"], files.text_as_png())
    stack.drain()

    assert get(stack, before["id"]) == before
    assert served(stack, before["id"]) == PHOTO
    failed, first = versions(stack, before["id"])
    assert (failed["number"], failed["status"], failed["current"]) == (2, "failed", False)
    assert failed["error"].startswith("the content is not")
    assert first["current"]
    assert stack.events() == []
    assert stack.keys(schema.originals_prefix("acme", before["id"])) == originals  # nothing of the failed one kept
    assert stack.keys(schema.UPLOADS_PREFIX) == []
    status, body, _ = stack.call("download_version", path_params={"asset_id": before["id"], "number": "2"})
    assert (status, body["error"]) == (409, "conflict")


def test_a_failed_asset_becomes_ready_with_a_good_version(stack: Stack) -> None:
    broken = stack.upload(files.text_as_png(), content_type="image/png")
    stack.drain()
    assert get(stack, broken["id"])["status"] == "failed"
    stack.events()
    new_version(stack, broken["id"], OTHER)
    stack.drain()
    fixed = get(stack, broken["id"])
    assert (fixed["status"], fixed["version"], fixed["error"]) == ("ready", 2, None)
    assert [e["detail-type"] for e in stack.events()] == ["asset.replaced"]


def test_restore_makes_an_old_version_current_again_as_a_new_one(stack: Stack) -> None:
    asset = ready_asset(stack)
    new_version(stack, asset["id"], OTHER)
    stack.drain()
    stack.events()

    status, restored, _ = stack.call("restore_version", path_params={"asset_id": asset["id"], "number": "1"})
    assert status == 201, restored
    assert restored["version"]["number"] == 3
    assert (restored["version"]["restored_from"], restored["version"]["current"]) == (1, True)
    assert restored["asset"]["version"] == 3
    assert restored["asset"]["sha256"] == sha(PHOTO)
    assert restored["asset"]["renditions"] == asset["renditions"]
    assert get(stack, asset["id"]) == restored["asset"]
    assert served(stack, asset["id"]) == PHOTO
    assert [e["detail-type"] for e in stack.events()] == ["asset.replaced"]
    assert [v["number"] for v in versions(stack, asset["id"])] == [3, 2, 1]
    assert [v["number"] for v in versions(stack, asset["id"], limit="2")] == [3, 2]
    assert version_bytes(stack, asset["id"], 3) == PHOTO

    new_version(stack, asset["id"], files.text_as_png())
    stack.drain()
    for number, expected in (("4", 409), ("9", 404)):
        status, body, _ = stack.call("restore_version", path_params={"asset_id": asset["id"], "number": number})
        assert status == expected, body


def test_versions_page_with_cursors_newest_first(stack: Stack) -> None:
    asset = ready_asset(stack)
    for data in (OTHER, THIRD):
        new_version(stack, asset["id"], data)
        stack.drain()
    _, first, _ = stack.call("list_versions", path_params={"asset_id": asset["id"]}, query={"limit": "2"})
    assert [v["number"] for v in first["items"]] == [3, 2]
    _, second, _ = stack.call(
        "list_versions", path_params={"asset_id": asset["id"]}, query={"limit": "2", "cursor": first["next_cursor"]}
    )
    assert [v["number"] for v in second["items"]] == [1]
    assert second["next_cursor"] is None


def test_deleting_versions(stack: Stack) -> None:
    asset = ready_asset(stack)
    new_version(stack, asset["id"], OTHER)
    stack.drain()
    path = {"asset_id": asset["id"]}
    first_files = stack.keys(schema.originals_prefix("acme", asset["id"]))

    status, body, _ = stack.call("delete_version", path_params=path | {"number": "2"})
    assert (status, body["error"]) == (409, "conflict")  # the current one
    assert stack.call("delete_version", path_params=path | {"number": "1"})[0] == 204
    assert stack.call("delete_version", path_params=path | {"number": "1"})[0] == 404
    assert [v["number"] for v in versions(stack, asset["id"])] == [2]
    assert stack.call("download_version", path_params=path | {"number": "1"})[0] == 404
    assert len(stack.keys(schema.originals_prefix("acme", asset["id"]))) == len(first_files) - 1
    assert served(stack, asset["id"]) == OTHER

    assert new_version(stack, asset["id"], None)["version"]["number"] == 3  # a number is never given twice
    assert stack.call("delete_version", path_params=path | {"number": "3"})[0] == 204  # a pending one: cancelled


def test_a_version_finishing_after_a_newer_one_stays_beside_it(stack: Stack) -> None:
    asset = ready_asset(stack)
    second = new_version(stack, asset["id"], None, size=len(OTHER))
    new_version(stack, asset["id"], THIRD)
    stack.drain()
    boto3.client("s3").put_object(
        Bucket=stack.settings.bucket_name, Key=second["upload"]["fields"]["key"], Body=OTHER, ContentType="image/png"
    )
    stack.drain()
    assert get(stack, asset["id"])["version"] == 3
    assert served(stack, asset["id"]) == THIRD
    assert [(v["number"], v["status"], v["current"]) for v in versions(stack, asset["id"])] == [
        (3, "ready", True),
        (2, "ready", False),
        (1, "ready", False),
    ]
    assert version_bytes(stack, asset["id"], 2) == OTHER


def test_purge_removes_every_object_and_item_of_every_version(stack: Stack) -> None:
    asset = ready_asset(stack)
    new_version(stack, asset["id"], OTHER)
    stack.drain()
    new_version(stack, asset["id"], THIRD)  # uploaded, not processed yet
    assert stack.keys(schema.UPLOADS_PREFIX)
    stack.events()

    query = {"permanent": "true"}
    assert stack.call("delete_asset", path_params={"asset_id": asset["id"]}, query=query)[0] == 204
    assert stack.keys() == []
    table = boto3.client("dynamodb")
    for number in (1, 2, 3):
        key = version_key("acme", asset["id"], number)
        assert "Item" not in table.get_item(TableName=stack.settings.table_name, Key=key), number
    assert [e["detail-type"] for e in stack.events()] == ["asset.deleted", "asset.purged"]
    stack.drain()  # the third upload's notification finds nothing to process and leaves nothing
    assert stack.keys() == []


def test_an_asset_made_before_versions_keeps_its_first_file(stack: Stack) -> None:
    """An asset whose version 1 has no item of its own: the record stands for it until it is replaced."""
    asset = ready_asset(stack)
    boto3.client("dynamodb").delete_item(TableName=stack.settings.table_name, Key=version_key("acme", asset["id"], 1))
    assert [(v["number"], v["current"]) for v in versions(stack, asset["id"])] == [(1, True)]
    new_version(stack, asset["id"], OTHER)
    stack.drain()
    assert [(v["number"], v["current"]) for v in versions(stack, asset["id"])] == [(2, True), (1, False)]
    assert version_bytes(stack, asset["id"], 1) == PHOTO


def test_versions_are_refused_where_they_do_not_apply(stack: Stack) -> None:
    pending = stack.upload(PHOTO)
    path = {"asset_id": pending["id"]}
    body = {"filename": "v.png", "content_type": "image/png", "size": 10}
    status, refused, _ = stack.call("create_version", path_params=path, body=body)
    assert (status, refused["error"]) == (409, "conflict")
    assert [(v["number"], v["status"]) for v in versions(stack, pending["id"])] == [(1, "pending")]
    stack.drain()

    status, refused, _ = stack.call("create_version", path_params=path, body=body | {"size": 10**12})
    assert (status, refused["error"], refused["field"]) == (413, "too_large", "size")
    for route, extra in (("create_version", {"body": body}), ("list_versions", {})):
        assert stack.call(route, path_params=path, tenant="globex", **extra)[0] == 404, route
    status, _, _ = stack.call("download_version", path_params=path | {"number": "1"}, tenant="globex")
    assert status == 404
    assert stack.call("download_version", path_params=path | {"number": "0"})[0] == 400


def test_a_copy_starts_a_history_of_its_own(stack: Stack) -> None:
    asset = ready_asset(stack)
    new_version(stack, asset["id"], OTHER)
    stack.drain()
    status, copy, _ = stack.call("copy_asset", path_params={"asset_id": asset["id"]}, body={})
    assert status == 201, copy
    assert copy["version"] == 1
    assert [(v["number"], v["sha256"]) for v in versions(stack, copy["id"])] == [(1, sha(OTHER))]
    assert version_bytes(stack, copy["id"], 1) == OTHER


def test_a_version_that_crashes_every_attempt_fails_and_leaves_no_file(stack: Stack, monkeypatch) -> None:
    asset = ready_asset(stack)
    originals = stack.keys(schema.originals_prefix("acme", asset["id"]))
    new_version(stack, asset["id"], OTHER)
    event = queued(stack)

    def crash(*args, **kwargs):
        raise MemoryError("the decoder blew up")

    monkeypatch.setattr(processing, "inspect", crash)
    for _ in range(schema.PROCESSING_ATTEMPTS):
        assert invoke(event)["batchItemFailures"]
    assert len(stack.keys(schema.originals_prefix("acme", asset["id"]))) == len(originals) + 3  # one per attempt
    assert invoke(event) == {"batchItemFailures": []}
    failed, _ = versions(stack, asset["id"])
    assert (failed["status"], failed["error"]) == (
        "failed",
        f"processing crashed or timed out on {schema.PROCESSING_ATTEMPTS} attempts",
    )
    assert get(stack, asset["id"]) == asset
    assert stack.keys(schema.originals_prefix("acme", asset["id"])) == originals
    assert stack.keys(schema.UPLOADS_PREFIX) == []


def test_two_attempts_at_one_version_keep_one_revision(stack: Stack) -> None:
    asset = ready_asset(stack)
    new_version(stack, asset["id"], OTHER)
    event = queued(stack)
    key = schema.upload_key("acme", asset["id"], 2)
    upload = boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()
    assert invoke(event) == {"batchItemFailures": []}
    boto3.client("s3").put_object(Bucket=stack.settings.bucket_name, Key=key, Body=upload, ContentType="image/png")
    assert invoke(event) == {"batchItemFailures": []}  # the version is no longer pending: the upload goes unread
    current = get(stack, asset["id"])
    kept = {key.rsplit("/", 1)[-1] for key in stack.keys(schema.originals_prefix("acme", asset["id"]))}
    assert current["version"] == 2
    assert len(kept) == 2  # version 1's and version 2's
    assert stack.keys(schema.UPLOADS_PREFIX) == []
