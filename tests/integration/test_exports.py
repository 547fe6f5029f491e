"""Zip exports: asked for by ids, folder or query, streamed S3 to S3 in the background, continued across runs."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import time
import zipfile
from datetime import datetime, timedelta

import boto3
import pytest

from functions import run_export, schema
from functions.adapters import exports as exports_adapter
from functions.services import export_plan, exports
from local.worker import RETRY_DELAY_SECONDS
from tests import files
from tests.integration.conftest import Stack

UNKNOWN = "0" * 32
TEXT = "text/plain"
BINARY = "application/octet-stream"


def ready(stack: Stack, data: bytes, filename: str, content_type: str = "image/jpeg", **fields) -> dict:
    asset = stack.upload(data, content_type=content_type, filename=filename, **fields)
    stack.drain()
    return asset


def export(stack: Stack, body: dict, tenant: str = "acme") -> tuple[int, dict]:
    status, answer, _ = stack.call("create_export", body=body, tenant=tenant)
    return status, answer


def get(stack: Stack, export_id: str, tenant: str = "acme") -> tuple[int, dict]:
    status, answer, _ = stack.call("get_export", path_params={"export_id": export_id}, tenant=tenant)
    return status, answer


def finished(stack: Stack, body: dict, tenant: str = "acme") -> tuple[dict, zipfile.ZipFile]:
    """Ask for the export, run the worker until the queue is empty; the export and its zip."""
    status, created = export(stack, body, tenant)
    assert status == 202, created
    assert created["status"] == "pending"
    stack.run_exports()
    status, done = get(stack, created["id"], tenant)
    assert status == 200
    assert done["status"] == "ready", done
    data = zip_bytes(stack, tenant, created["id"])
    assert done["size"] == len(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every entry's CRC checks
    return done, archive


def zip_bytes(stack: Stack, tenant: str, export_id: str) -> bytes:
    key = schema.export_key(tenant, export_id)
    return boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()


def manifest(archive: zipfile.ZipFile) -> list[dict]:
    return list(csv.DictReader(io.TextIOWrapper(archive.open(exports.MANIFEST), encoding="utf-8")))


def test_an_export_of_ids_holds_the_ready_ones_with_unique_names_and_a_manifest(stack: Stack) -> None:
    photo, other_photo, text = files.jpeg(40, 30), files.jpeg(20, 10), b"hello, zip\n" * 200
    first = ready(stack, photo, "photo.jpg")
    second = ready(stack, other_photo, "Photo.jpg")
    notes = ready(stack, text, "notes.txt", content_type=TEXT)
    pending = stack.call("create_upload", body={"filename": "late.jpg", "content_type": "image/jpeg", "size": 9})[1]
    theirs = ready(stack, photo, "theirs.jpg", tenant="globex")
    ids = [first["id"], second["id"], pending["asset"]["id"], notes["id"], theirs["id"], UNKNOWN]

    done, archive = finished(stack, {"asset_ids": ids})

    assert done["progress"] == {"done": 6, "total": 6}
    assert done["skipped"] == 3
    assert archive.namelist() == ["photo.jpg", "Photo (1).jpg", "notes.txt", exports.MANIFEST]
    assert archive.read("photo.jpg") == photo
    assert archive.read("Photo (1).jpg") == other_photo
    assert archive.read("notes.txt") == text
    assert archive.getinfo("photo.jpg").compress_type == zipfile.ZIP_STORED  # JPEG: already compressed
    assert archive.getinfo("notes.txt").compress_type == zipfile.ZIP_DEFLATED
    assert archive.getinfo("notes.txt").compress_size < len(text)
    rows = manifest(archive)
    assert [(row["asset_id"], row["status"], row["path"]) for row in rows] == [
        (first["id"], "exported", "photo.jpg"),
        (second["id"], "exported", "Photo (1).jpg"),
        (pending["asset"]["id"], "not_ready", ""),
        (notes["id"], "exported", "notes.txt"),
        (theirs["id"], "not_found", ""),  # another tenant's asset looks exactly like a missing one
        (UNKNOWN, "not_found", ""),
    ]
    assert rows[0]["sha256"] == hashlib.sha256(photo).hexdigest()
    assert rows[3]["size"] == str(len(text))
    assert b"theirs" not in zip_bytes(stack, "acme", done["id"])

    assert f"/{schema.export_key('acme', done['id'])}?" in done["url"]
    assert "response-content-disposition=attachment" in done["url"]
    assert done["url_expires_at"] is not None
    created = datetime.fromisoformat(done["created_at"])
    lifetime = datetime.fromisoformat(done["expires_at"]) - created
    assert timedelta(days=schema.EXPORT_EXPIRY_DAYS, seconds=-1) < lifetime <= timedelta(days=schema.EXPORT_EXPIRY_DAYS)
    assert stack.keys(schema.exports_prefix("acme", done["id"])) == [schema.export_key("acme", done["id"])]


def test_a_folder_export_keeps_the_folder_paths(stack: Stack) -> None:
    brand = stack.call("create_folder", body={"name": "Brand"})[1]
    logos = stack.call("create_folder", body={"name": "Logos", "parent_id": brand["id"]})[1]
    dots = stack.call("create_folder", body={"name": "..", "parent_id": brand["id"]})[1]
    outside = ready(stack, files.png(), "logo.png", content_type="image/png")
    top = ready(stack, files.jpeg(), "logo.png", content_type="image/jpeg", folder_id=brand["id"])
    inner = ready(stack, files.png(), "logo.png", content_type="image/png", folder_id=logos["id"])
    twin = ready(stack, files.png(8, 8), "LOGO.png", content_type="image/png", folder_id=logos["id"])
    trashed = ready(stack, files.png(), "old.png", content_type="image/png", folder_id=logos["id"])
    escaping = ready(stack, b"up", "up.txt", content_type=TEXT, folder_id=dots["id"])
    stack.call("delete_asset", path_params={"asset_id": trashed["id"]})

    done, archive = finished(stack, {"folder_id": brand["id"]})

    paths = {row["asset_id"]: row["path"] for row in manifest(archive)}
    assert outside["id"] not in paths
    assert trashed["id"] not in paths  # in the trash: no longer in the folder
    assert paths[top["id"]] == "Brand/logo.png"
    assert {paths[inner["id"]].casefold(), paths[twin["id"]].casefold()} == {
        "brand/logos/logo.png",
        "brand/logos/logo (1).png",
    }
    assert archive.read(paths[twin["id"]]) == files.png(8, 8)
    assert paths[escaping["id"]] == "Brand/_/up.txt"  # a folder named `..` extracts inside the zip's folder
    assert done["progress"] == {"done": 4, "total": 4}
    assert "Brand.zip" in done["url"]


def test_a_query_export_uses_the_listing_filters(stack: Stack) -> None:
    tagged = ready(stack, files.jpeg(), "a.jpg", tags=["Launch"])
    ready(stack, files.jpeg(), "b.jpg", tags=["other"])
    words = ready(stack, b"launch notes", "launch-plan.txt", content_type=TEXT)

    _, by_tag = finished(stack, {"query": {"tag": ["launch"]}})
    assert [row["asset_id"] for row in manifest(by_tag)] == [tagged["id"]]
    _, by_kind = finished(stack, {"query": {"content_type": TEXT}})
    assert by_kind.namelist() == ["launch-plan.txt", exports.MANIFEST]
    _, searched = finished(stack, {"query": {"q": "launch", "created_after": "2000-01-01T00:00:00Z"}})
    assert {row["asset_id"] for row in manifest(searched)} == {tagged["id"], words["id"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"asset_ids": [UNKNOWN], "folder_id": UNKNOWN}, None),
        ({"asset_ids": [UNKNOWN], "folder_id": None}, "folder_id"),  # absent, not null: as the schema's oneOf says
        ({"asset_ids": []}, "asset_ids"),
        ({"asset_ids": [f"{n:032x}" for n in range(1001)]}, "asset_ids"),
        ({"asset_ids": [UNKNOWN, UNKNOWN]}, "asset_ids"),
        ({"asset_ids": ["nope"]}, "asset_ids"),
        ({"folder_id": "x"}, "folder_id"),
        ({"query": {"status": "ready"}}, "query"),
        ({"query": {"created_after": "yesterday"}}, "query"),
        ({"asset_ids": [UNKNOWN], "format": "tar"}, "format"),
    ],
)
def test_bad_input_is_400_naming_the_field(stack: Stack, body: dict, field: str | None) -> None:
    status, refused = export(stack, body)
    assert status == 400, refused
    assert refused["error"] == "invalid_request"
    if field is not None:
        assert refused["field"].split(".")[0] == field


def test_another_tenants_folder_and_export_are_404(stack: Stack) -> None:
    theirs = stack.call("create_folder", body={"name": "Secret"}, tenant="globex")[1]
    for folder_id in (theirs["id"], UNKNOWN):
        status, refused = export(stack, {"folder_id": folder_id})
        assert (status, refused["field"]) == (404, "folder_id")
    ours = ready(stack, files.jpeg(), "ours.jpg")
    status, created = export(stack, {"asset_ids": [ours["id"]]})
    assert get(stack, created["id"], tenant="globex")[0] == 404
    assert get(stack, UNKNOWN)[0] == 404

    done, archive = finished(stack, {"asset_ids": [ours["id"]]}, tenant="globex")
    assert archive.namelist() == [exports.MANIFEST]
    assert [(row["asset_id"], row["status"]) for row in manifest(archive)] == [(ours["id"], "not_found")]
    assert done["skipped"] == 1


def test_an_export_runs_out_of_time_and_continues_in_the_next_run(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every run stops after one entry (the clock says time is up), with 5 MiB parts and a carry between runs."""
    monkeypatch.setattr(schema, "MIN_PART_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(run_export, "RESERVE_MS", schema.EXPORT_TIMEOUT_SECONDS * 1000 + 1)
    blobs = [os.urandom(3 * 1024 * 1024 + n) for n in range(4)] + [b"tiny text " * 1000]
    assets = [
        ready(stack, blob, f"part{n}.bin", content_type=BINARY if len(blob) > 20_000 else TEXT)
        for n, blob in enumerate(blobs)
    ]
    created = export(stack, {"asset_ids": [asset["id"] for asset in assets]})[1]
    prefix = schema.exports_prefix("acme", created["id"])

    worker_calls = []
    original_run = exports.run

    def counted(deps, job, out_of_time):
        worker_calls.append(job.round)
        result = original_run(deps, job, out_of_time)
        if not result:
            left = [schema.export_carry_key("acme", created["id"]), schema.export_state_key("acme", created["id"])]
            assert stack.keys(prefix) == left
        return result

    monkeypatch.setattr(exports, "run", counted)
    rounds = stack.run_exports()
    assert rounds == len(blobs)
    assert worker_calls == list(range(len(blobs)))

    assert get(stack, created["id"])[1]["status"] == "ready"
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(stack, "acme", created["id"])))
    assert archive.testzip() is None
    assert [archive.read(f"part{n}.bin") for n in range(len(blobs))] == blobs
    infos = archive.infolist()
    assert [info.CRC for info in infos[:-1]] == [zipfile.crc32(blob) & 0xFFFFFFFF for blob in blobs]
    assert stack.keys(prefix) == [schema.export_key("acme", created["id"])]  # the state and carry are gone
    parts = boto3.client("s3").head_object(
        Bucket=stack.settings.bucket_name, Key=schema.export_key("acme", created["id"]), PartNumber=1
    )
    assert parts["PartsCount"] == 3  # 12 MiB in 5 MiB parts


def test_an_export_that_cannot_be_made_fails_and_aborts_its_upload(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    assets = [ready(stack, files.jpeg(), f"{n}.jpg") for n in range(2)]
    stack.events()
    monkeypatch.setattr(export_plan, "MAX_ENTRIES", 1)
    created = export(stack, {"asset_ids": [asset["id"] for asset in assets]})[1]
    stack.run_exports()
    failed = get(stack, created["id"])[1]
    assert failed["status"] == "failed"
    assert "more than 1" in failed["error"]
    assert failed["url"] is None

    uploads = boto3.client("s3").list_multipart_uploads(Bucket=stack.settings.bucket_name, Prefix="exports/")
    assert uploads.get("Uploads", []) == []
    assert stack.keys("exports/") == []
    sent = [(e["detail-type"], e["detail"]["export"]["id"]) for e in stack.events() if e["source"] == "assets"]
    assert ("export.failed", created["id"]) in sent


def test_a_round_that_crashes_on_its_last_delivery_fails_the_export(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset = ready(stack, files.jpeg(), "a.jpg")
    created = export(stack, {"asset_ids": [asset["id"]]})[1]

    def broken(archive, item, chunks):
        raise RuntimeError("S3 went away")

    monkeypatch.setattr(exports, "_add", broken)
    monkeypatch.setattr(schema, "EXPORT_MAX_RECEIVES", 1)
    stack.run_exports()
    failed = get(stack, created["id"])[1]
    assert (failed["status"], failed["error"]) == ("failed", run_export.FAILED)
    uploads = boto3.client("s3").list_multipart_uploads(Bucket=stack.settings.bucket_name, Prefix="exports/")
    assert uploads.get("Uploads", []) == []


def test_ready_sends_one_event_and_the_record_expires_by_ttl(stack: Stack) -> None:
    asset = ready(stack, files.jpeg(), "a.jpg")
    stack.events()
    done, _ = finished(stack, {"asset_ids": [asset["id"]]})
    sent = [e for e in stack.events() if e["detail-type"].startswith("export.")]
    assert [(e["detail-type"], e["detail"]["export"]["id"], e["detail"]["export"]["url"]) for e in sent] == [
        ("export.ready", done["id"], None)
    ]
    assert sent[0]["detail"]["export"]["progress"] == {"done": 1, "total": 1}
    item = boto3.client("dynamodb").get_item(
        TableName=stack.settings.table_name,
        Key={"pk": {"S": schema.export_pk("acme", done["id"])}, "sk": {"S": schema.EXPORT_SK}},
    )["Item"]
    expires = int(item[schema.TTL_ATTRIBUTE]["N"])
    assert expires == int(datetime.fromisoformat(done["expires_at"]).timestamp())

    boto3.client("dynamodb").update_item(  # past its expiry, before TTL (which may take days) removes it
        TableName=stack.settings.table_name,
        Key={"pk": {"S": schema.export_pk("acme", done["id"])}, "sk": {"S": schema.EXPORT_SK}},
        UpdateExpression="SET #ttl = :past",
        ExpressionAttributeNames={"#ttl": schema.TTL_ATTRIBUTE},
        ExpressionAttributeValues={":past": {"N": str(expires - 8 * 86_400)}},
    )
    assert get(stack, done["id"])[0] == 404
    assert stack.events() == []  # the expiry of an export sends nothing


def test_the_service_starts_an_export_for_other_code(stack: Stack) -> None:
    """What a share's "download all" calls."""
    from functions.services.deps import get_deps

    asset = ready(stack, files.jpeg(), "a.jpg")
    record = exports.start(get_deps(), "acme", asset_ids=[asset["id"]])
    assert record.status == "pending"
    stack.run_exports()
    assert get(stack, record.id)[1]["status"] == "ready"
    with pytest.raises(exports.InvalidInput):
        exports.start(get_deps(), "acme", asset_ids=[asset["id"]], folder_id=UNKNOWN)


def test_a_round_that_fails_after_completing_the_zip_is_finished_by_the_next(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset = ready(stack, files.jpeg(), "a.jpg")
    created = export(stack, {"asset_ids": [asset["id"]]})[1]
    original = exports_adapter.Exports.update
    ready_writes = []

    def update(self, record, changes, **options):
        if changes.get("status") == "ready":
            ready_writes.append(changes)
            if len(ready_writes) == 1:
                raise RuntimeError("DynamoDB went away")  # the zip is complete, its record not yet
        return original(self, record, changes, **options)

    monkeypatch.setattr(exports_adapter.Exports, "update", update)
    stack.run_exports()
    time.sleep(RETRY_DELAY_SECONDS + 0.5)  # the failed delivery becomes visible again
    stack.run_exports()
    done = get(stack, created["id"])[1]
    assert done["status"] == "ready"
    assert len(ready_writes) == 2  # the second delivery found the zip complete and finished it
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(stack, "acme", created["id"])))
    assert archive.namelist() == ["a.jpg", exports.MANIFEST]
    assert stack.keys(schema.exports_prefix("acme", created["id"])) == [schema.export_key("acme", created["id"])]
