from __future__ import annotations

import base64
import ctypes
import importlib
import json
from urllib.parse import parse_qs, urlparse

import boto3
from botocore.config import Config

from functions.adapters import clients
from functions.adapters.storage import BLOCK_BYTES, CACHED_BLOCKS, Storage, content_disposition
from functions.routes import ROUTES
from tests.memory_storage import MemoryStorage


def offline_s3():
    return boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
        config=Config(signature_version="s3v4"),
    )


def test_content_disposition_keeps_non_ascii_names() -> None:
    value = content_disposition('Fête "été" 100%.jpg')
    assert value == (
        "attachment; filename=\"F_te __t__ 100_.jpg\"; filename*=utf-8''F%C3%AAte%20%22%C3%A9t%C3%A9%22%20100%25.jpg"
    )


def test_presigned_post_pins_key_type_and_size() -> None:
    post = Storage("bucket-x", offline_s3()).presign_post("originals/t/abc", "image/png", 1234, 900)
    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": "originals/t/abc"} in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", 1, 1234] in conditions
    assert post["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"


def test_presigned_get_carries_the_original_filename() -> None:
    url = Storage("bucket-x", offline_s3()).presign_get("originals/t/abc", "résumé.pdf", "application/pdf", 60)
    query = parse_qs(urlparse(url).query)
    assert query["response-content-disposition"][0].endswith("filename*=utf-8''r%C3%A9sum%C3%A9.pdf")
    assert query["X-Amz-Expires"] == ["60"]


def test_every_route_has_a_module_with_router_and_handler() -> None:
    assert len({(r.method, r.path) for r in ROUTES}) == len(ROUTES)
    for route in ROUTES:
        module = importlib.import_module(route.module)
        assert callable(module.handler)
        registered = {(rule, method) for rule, method, *_ in module.router._routes}
        assert (route.rule, (route.method,)) in registered or (route.rule, route.method) in registered


def test_rule_uses_event_handler_syntax() -> None:
    assert {r.rule for r in ROUTES} >= {"/v1/assets/<asset_id>", "/v1/assets/<asset_id>/download"}


def test_presigned_urls_use_the_regional_bucket_host(monkeypatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    clients.reset()
    try:
        post = Storage("bucket-x").presign_post("originals/t/abc", "image/png", 10, 60)
    finally:
        clients.reset()
    assert post["url"] == "https://bucket-x.s3.eu-west-1.amazonaws.com/"


def test_emulator_endpoint_uses_path_style(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5055")
    assert clients.s3_addressing() == {"addressing_style": "path"}


def test_ranged_object_reads_whole_blocks_once_and_counts_them() -> None:
    data = bytes(range(256)) * (BLOCK_BYTES // 256) * 40
    storage = MemoryStorage({"k": data})
    ranged = storage.open_ranged("k", len(data))
    assert ranged.read(10) == data[:10]
    ranged.seek(-5, 2)
    assert ranged.read() == data[-5:]
    ranged.seek(3)
    assert ranged.read(20) == data[3:23]
    assert storage.ranges == [(0, BLOCK_BYTES - 1), (39 * BLOCK_BYTES, 40 * BLOCK_BYTES - 1)]
    assert ranged.bytes_read == 2 * BLOCK_BYTES

    buffer = (ctypes.c_ubyte * 100)()  # PDFium hands readinto a ctypes buffer
    ranged.seek(BLOCK_BYTES - 50)
    assert ranged.readinto(buffer) == 100
    assert bytes(buffer) == data[BLOCK_BYTES - 50 : BLOCK_BYTES + 50]

    ranged.seek(0)
    assert ranged.read((CACHED_BLOCKS + 2) * BLOCK_BYTES) == data[: (CACHED_BLOCKS + 2) * BLOCK_BYTES]
    assert storage.ranges[-1] == (0, (CACHED_BLOCKS + 2) * BLOCK_BYTES - 1)


def test_ranged_object_with_a_limit_looks_truncated() -> None:
    storage = MemoryStorage({"k": b"x" * 1000})
    capped = storage.open_ranged("k", 1000).capped(100)
    assert len(capped.read()) == 100
    assert capped.seek(0, 2) == 100
    assert storage.ranges == [(0, 999)]  # whole blocks, shared with the uncapped object


def test_a_capped_view_shares_blocks_and_count() -> None:
    storage = MemoryStorage({"k": bytes(3 * BLOCK_BYTES)})
    ranged = storage.open_ranged("k", 3 * BLOCK_BYTES)
    ranged.read(10)
    view = ranged.capped(BLOCK_BYTES + 5)
    assert len(view.read()) == BLOCK_BYTES + 5
    ranged.seek(BLOCK_BYTES)
    assert len(ranged.read(BLOCK_BYTES)) == BLOCK_BYTES  # the view's second block is whole
    assert storage.ranges == [(0, BLOCK_BYTES - 1), (BLOCK_BYTES, 2 * BLOCK_BYTES - 1)]
    assert ranged.bytes_read == 2 * BLOCK_BYTES
