"""Large originals through the processor against moto: parallel ranged reads, the decode and hash limits."""

from __future__ import annotations

import hashlib
import json

import boto3
import pytest

from functions import schema
from functions.adapters.storage import RANGE_BYTES, Storage
from functions.services.deps import get_deps
from functions.settings import get_settings
from tests import files
from tests.integration.conftest import Stack


def configure(monkeypatch: pytest.MonkeyPatch, **values: int) -> None:
    """Processor settings for this test, read from the environment as a cold start would."""
    for name, value in values.items():
        monkeypatch.setenv(name.upper(), str(value))
    get_settings.cache_clear()
    get_deps.cache_clear()


def asset(stack: Stack, asset_id: str) -> dict:
    return stack.call("get_asset", path_params={"asset_id": asset_id})[1]


def test_a_large_upload_is_hashed_from_parallel_ranged_gets(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, parallel_read_bytes=1024 * 1024)
    ranges: list[tuple[int, int]] = []
    read_range = Storage.read_range

    def spy(self: Storage, key: str, start: int, end: int) -> bytes:
        ranges.append((start, end))
        return read_range(self, key, start, end)

    monkeypatch.setattr(Storage, "read_range", spy)
    data = bytes(range(256)) * (RANGE_BYTES // 256) + b"x" * (RANGE_BYTES // 8)
    asset_id = stack.upload(data, content_type="application/octet-stream")["id"]
    stack.drain()
    found = asset(stack, asset_id)
    assert (found["status"], found["size"]) == ("ready", len(data))
    assert (found["sha1"], found["sha256"]) == (hashlib.sha1(data).hexdigest(), hashlib.sha256(data).hexdigest())
    assert {(0, RANGE_BYTES - 1), (RANGE_BYTES, len(data))} <= set(ranges)


def test_ranged_gets_past_the_end_of_an_object_are_short_or_empty(stack: Stack) -> None:
    """What lets a parallel read see an object that changed: S3 (here moto) clips a range, or answers 416."""
    boto3.client("s3").put_object(Bucket=stack.settings.bucket_name, Key="k", Body=b"0123456789" * 10)
    storage = Storage(stack.settings.bucket_name)
    assert storage.read_range("k", 95, 120) == b"56789"
    assert storage.read_range("k", 100, 120) == b""
    assert b"".join(storage.read_ranges("k", 99, range_bytes=30)) == b"0123456789" * 10
    assert sum(map(len, storage.read_ranges("k", 150, range_bytes=30))) == 100


def test_an_image_over_the_decode_limit_is_ready_with_its_header_metadata_only(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, max_decoded_bytes=1000)
    data = files.camera_jpeg()
    asset_id = stack.upload(data)["id"]
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "ready"
    assert found["sha256"] == hashlib.sha256(data).hexdigest()
    assert found["metadata"]["dimensions"]["width"] == 40
    assert found["metadata"]["exif"]["make"] == "Canon"
    assert "lqip" not in found["metadata"]
    assert found["renditions"] == []
    assert stack.keys(schema.DERIVED_PREFIX) == []
    assert [e["detail-type"] for e in stack.events()] == ["asset.ready"]


def test_a_file_over_the_hash_limit_fails_as_too_large(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = files.camera_jpeg()
    asset_id = stack.upload(data)["id"]
    configure(monkeypatch, max_hashed_bytes=1000)  # lowered after the upload was accepted
    capsys.readouterr()
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "failed"
    assert found["error"] == (
        f"the file has {len(data)} bytes, more than the 1000 the processor can read within its time limit "
        "(MAX_HASHED_BYTES)"
    )
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"UploadFailed"' in line]
    assert [m["reason"] for m in emitted] == ["too_large"]
    assert stack.keys(schema.ORIGINALS_PREFIX) == []


def test_an_upload_over_the_hash_limit_is_refused_before_it_is_sent(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, max_hashed_bytes=1000)
    body = {"filename": "big.bin", "content_type": "application/octet-stream", "size": 1001}
    status, refused, _ = stack.call("create_upload", body=body)
    assert (status, refused["error"], refused["field"]) == (413, "too_large", "size")
    assert "MAX_HASHED_BYTES" in refused["message"]
    assert stack.call("create_upload", body=body | {"size": 1000})[0] == 201
