"""POST /v1/assets/{id}/copy: a new asset with its own files, the same metadata and fields."""

from __future__ import annotations

import boto3

from functions import schema
from tests import files
from tests.integration.conftest import Stack


def copy(stack: Stack, asset_id: str, body: dict | None = None, tenant: str = "acme"):
    return stack.call("copy_asset", path_params={"asset_id": asset_id}, body=body or {}, tenant=tenant)


def body_of(stack: Stack, key: str) -> bytes:
    return boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()


def test_a_ready_asset_copies_with_its_own_files(stack: Stack) -> None:
    _, folder, _ = stack.call("create_folder", body={"name": "Brand"})
    source = stack.upload(files.jpeg(), title="Teal", tags=["demo"], custom={"sku": "A-1"}, folder_id=folder["id"])
    stack.drain()
    _, source, _ = stack.call("get_asset", path_params={"asset_id": source["id"]})

    status, made, headers = copy(stack, source["id"])

    assert (status, made["status"], headers["ETag"]) == (201, "ready", f'"{made["revision"]}"')
    assert made["id"] != source["id"]
    same = ("title", "tags", "custom", "folder_id", "sha256", "size", "metadata", "renditions", "content_type")
    assert {k: made[k] for k in same} == {k: source[k] for k in same}
    assert made["duplicate_of"] == source["id"]
    copied = stack.keys(schema.originals_prefix("acme", made["id"])) + stack.keys(
        schema.derived_prefix("acme", made["id"])
    )
    assert len(copied) == 1 + len(source["renditions"])
    assert body_of(stack, copied[0]) == files.jpeg()
    status, _, headers = stack.call("download_asset", path_params={"asset_id": made["id"]})
    assert status == 302

    stack.call("delete_asset", path_params={"asset_id": source["id"]})
    assert stack.keys(schema.originals_prefix("acme", made["id"])) == copied[:1]


def test_the_copy_goes_where_it_is_told(stack: Stack) -> None:
    _, folder, _ = stack.call("create_folder", body={"name": "Brand"})
    source = stack.upload(files.jpeg(), folder_id=folder["id"])
    stack.drain()
    assert copy(stack, source["id"], {"folder_id": None})[1]["folder_id"] is None
    _, other, _ = stack.call("create_folder", body={"name": "Other"})
    assert copy(stack, source["id"], {"folder_id": other["id"]})[1]["folder_id"] == other["id"]
    status, body, _ = copy(stack, source["id"], {"folder_id": "0" * 32})
    assert (status, body["field"]) == (400, "folder_id")


def test_a_failed_asset_copies_as_failed_and_a_pending_one_not_at_all(stack: Stack) -> None:
    failed = stack.upload(b"not an image" * 20, content_type="image/png")
    stack.drain()
    status, made, _ = copy(stack, failed["id"])
    assert (status, made["status"], made["error"]) == (201, "failed", "the content is not a image/png file")
    assert stack.keys(schema.originals_prefix("acme", made["id"])) == []

    pending = stack.upload(files.jpeg())
    status, body, _ = copy(stack, pending["id"])
    assert (status, body["error"]) == (409, "conflict")


def test_another_tenants_asset_can_not_be_copied(stack: Stack) -> None:
    theirs = stack.upload(files.jpeg(), tenant="globex")
    stack.drain()
    assert copy(stack, theirs["id"])[0] == 404
    assert copy(stack, "0" * 32)[0] == 404
