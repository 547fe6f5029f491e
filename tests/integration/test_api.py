from __future__ import annotations

import base64
import json
import time
from urllib.parse import parse_qs, urlparse

import boto3

from functions import schema
from tests import files
from tests.integration.conftest import Stack

MISSING = "0123456789abcdef0123456789abcdef"


def error_shape(body: dict) -> bool:
    return set(body) == {"error", "message", "field"}


def test_create_upload_returns_pending_asset_and_pinned_policy(stack: Stack) -> None:
    status, body, _ = stack.call(
        "create_upload",
        body={"filename": "cat.jpg", "content_type": "image/jpeg", "size": 2048, "title": "Cat", "tags": ["pets"]},
    )
    assert status == 201
    asset, upload = body["asset"], body["upload"]
    assert (asset["status"], asset["kind"], asset["title"], asset["tags"]) == ("pending", "image", "Cat", ["pets"])
    assert upload["method"] == "POST"
    assert upload["fields"]["key"] == schema.upload_key("acme", asset["id"])
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    assert ["content-length-range", 1, 2048] in policy["conditions"]
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    item = boto3.client("dynamodb").get_item(
        TableName=stack.settings.table_name,
        Key={"pk": {"S": f"T#acme#A#{asset['id']}"}, "sk": {"S": "ASSET"}},
    )["Item"]
    assert int(item[schema.TTL_ATTRIBUTE]["N"]) > time.time()


def test_declared_size_over_the_limit_is_413(stack: Stack) -> None:
    status, body, _ = stack.call(
        "create_upload", body={"filename": "big.mov", "content_type": "video/quicktime", "size": 10**12}
    )
    assert status == 413
    assert error_shape(body)
    assert body["field"] == "size"
    assert body["error"] == "too_large"


def test_validation_errors_are_400_with_the_field(stack: Stack) -> None:
    cases = [
        ({"filename": "a.jpg", "size": 1}, "content_type"),
        ({"filename": "a.jpg", "content_type": "image/jpeg", "size": 1, "alt": "x" * 501}, "alt"),
        ({"filename": "a.jpg", "content_type": "image/jpeg", "size": "many"}, "size"),
    ]
    for payload, field in cases:
        status, body, _ = stack.call("create_upload", body=payload)
        assert (status, body["field"]) == (400, field), body
        assert error_shape(body)
    status, body, _ = stack.call("create_upload", raw_body="{not json")
    assert (status, body["error"], body["field"]) == (400, "invalid_json", "body")


def test_get_and_cross_tenant_isolation(stack: Stack) -> None:
    asset = stack.upload(files.jpeg())
    status, body, _ = stack.call("get_asset", path_params={"asset_id": asset["id"]})
    assert (status, body["id"]) == (200, asset["id"])
    for route in ("get_asset", "download_asset", "delete_asset"):
        status, body, _ = stack.call(route, path_params={"asset_id": asset["id"]}, tenant="other")
        assert (status, body["error"]) == (404, "not_found"), route
    status, body, _ = stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={}, tenant="other")
    assert status == 404
    status, body, _ = stack.call("get_asset", path_params={"asset_id": MISSING})
    assert status == 404
    assert error_shape(body)
    status, body, _ = stack.call("get_asset", path_params={"asset_id": "NOT-AN-ID"})
    assert (status, body["field"]) == (400, "asset_id")


def test_list_paginates_newest_first_and_filters_by_kind(stack: Stack) -> None:
    ids = [stack.upload(files.jpeg())["id"] for _ in range(3)]
    document = stack.upload(b"%PDF-1.4\n", content_type="application/pdf")["id"]
    stack.upload(files.jpeg(), tenant="other")
    status, page, _ = stack.call("list_assets", query={"limit": "2"})
    assert status == 200
    assert [a["id"] for a in page["items"]] == [document, ids[2]]
    seen = [a["id"] for a in page["items"]]
    while page["next_cursor"]:
        _, page, _ = stack.call("list_assets", query={"limit": "2", "cursor": page["next_cursor"]})
        seen += [a["id"] for a in page["items"]]
    assert seen == [document, *reversed(ids)]
    _, images, _ = stack.call("list_assets", query={"kind": "image"})
    assert [a["id"] for a in images["items"]] == list(reversed(ids))
    for query, field in (({"cursor": "tampered"}, "cursor"), ({"limit": "251"}, "limit"), ({"kind": "x"}, "kind")):
        status, body, _ = stack.call("list_assets", query=query)
        assert (status, body["field"]) == (400, field)


def test_patch_changes_only_given_fields_and_null_clears(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg(), title="Old", alt="alt text")["id"]
    stack.events()
    status, body, _ = stack.call(
        "update_asset", path_params={"asset_id": asset_id}, body={"title": "New", "alt": None, "tags": ["a"]}
    )
    assert status == 200
    assert (body["title"], body["alt"], body["tags"]) == ("New", None, ["a"])
    assert body["updated_at"] > body["created_at"]
    assert [e["detail-type"] for e in stack.events()] == ["asset.updated"]
    status, body, _ = stack.call("update_asset", path_params={"asset_id": asset_id}, body={"notes": "n" * 501})
    assert (status, body["field"]) == (400, "notes")
    status, body, _ = stack.call("update_asset", path_params={"asset_id": asset_id}, body={"status": "ready"})
    assert (status, body["field"]) == (400, "status")


def test_a_permanent_delete_removes_record_original_and_derived_objects(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    stack.drain()
    stack.put_upload("acme", asset_id, files.jpeg())  # a late second POST, not yet processed
    assert stack.keys(schema.originals_prefix("acme", asset_id))
    assert len(stack.keys(schema.derived_prefix("acme", asset_id))) == 2
    status, body, _ = stack.call("delete_asset", path_params={"asset_id": asset_id}, query={"permanent": "true"})
    assert (status, body) == (204, None)
    assert stack.keys() == []
    assert stack.call("get_asset", path_params={"asset_id": asset_id})[0] == 404
    assert stack.call("delete_asset", path_params={"asset_id": asset_id})[0] == 404


def test_download_redirects_only_when_ready(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    status, body, _ = stack.call("download_asset", path_params={"asset_id": asset_id})
    assert (status, body["error"]) == (409, "conflict")
    stack.drain()
    status, body, headers = stack.call("download_asset", path_params={"asset_id": asset_id})
    assert status == 302
    query = parse_qs(urlparse(headers["Location"]).query)
    assert query["response-content-disposition"] == ["attachment; filename=\"file.bin\"; filename*=utf-8''file.bin"]
    revision = stack.keys(schema.originals_prefix("acme", asset_id))[0].rsplit("/", 1)[1]
    assert urlparse(headers["Location"]).path.endswith(schema.original_key("acme", asset_id, revision))


def test_scopes_and_missing_principal(stack: Stack) -> None:
    payload = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 1}
    status, body, _ = stack.call("create_upload", body=payload, scopes="assets:read")
    assert (status, body["error"]) == (403, "forbidden")
    assert stack.call("list_assets", scopes="assets:write")[0] == 403
    status, body, _ = stack.call("list_assets", tenant=None)
    assert (status, body["error"]) == (401, "unauthorized")
