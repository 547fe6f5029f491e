"""Real and hostile files through the deployed path (S3 -> SQS -> processor -> table + one event)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests import documents, files
from tests.integration.conftest import Stack

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def processed(stack: Stack, data: bytes, content_type: str) -> dict[str, Any]:
    asset_id = stack.upload(data, content_type=content_type)["id"]
    stack.drain()
    asset = stack.call("get_asset", path_params={"asset_id": asset_id})[1]
    events = stack.events()
    assert [(e["detail-type"], e["detail"]["asset"]["id"]) for e in events] == [(f"asset.{asset['status']}", asset_id)]
    return asset


HOSTILE: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("truncated JPEG", files.truncated_jpeg, "image/jpeg", "the image is corrupt or truncated"),
    (
        "PNG signature then noise",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        "image/png",
        "the image is corrupt or truncated",
    ),
    (
        "HTML saved as .png",
        lambda: b"<html><script>alert(1)</script></html>" * 50,
        "image/png",
        "the content is not a image/png file",
    ),
    (
        "decompression bomb",
        lambda: files.bomb_png(11_000),
        "image/png",
        "the image has more pixels than MAX_IMAGE_PIXELS allows: it is not decoded",
    ),
    ("truncated PDF", documents.truncated_pdf, "application/pdf", "the PDF could not be read"),
    ("garbage behind %PDF", documents.garbage_pdf, "application/pdf", "the PDF could not be read"),
    ("billion laughs SVG", lambda: files.BILLION_LAUGHS_SVG, "image/svg+xml", "the SVG could not be parsed safely"),
    (
        "XML that is not SVG",
        lambda: files.NOT_SVG_XML,
        "image/svg+xml",
        "the file is not an SVG document: its root element is not svg",
    ),
    (
        "noise behind an ID3 tag",
        lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 40,
        "audio/mpeg",
        "the audio file could not be read",
    ),
]
INTERNALS = ("0x", "<", ">", "Error", "Traceback", "object at", "/tmp", "(", "'")
"""What a parser's own message can carry (exception names, reprs, addresses, paths): never in a client's `error`."""


@pytest.mark.parametrize(("name", "make", "content_type", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_fail_once_with_a_fixed_reason(
    stack: Stack, name: str, make: Callable[[], bytes], content_type: str, reason: str
) -> None:
    asset = processed(stack, make(), content_type)
    assert asset["status"] == "failed", asset
    assert asset["error"] == reason
    assert not [internal for internal in INTERNALS if internal in asset["error"]]
    assert asset["renditions"] == []


def test_pdf_that_pdfium_refuses_is_ready_with_its_pages(stack: Stack) -> None:
    asset = processed(stack, documents.damaged_trailer_pdf(), "application/pdf")

    assert (asset["status"], asset["kind"], asset["error"]) == ("ready", "document", None)
    assert (asset["metadata"]["page_count"], asset["metadata"]["title"]) == (3, documents.TITLE)
    assert "word_count" not in asset["metadata"]
    assert asset["renditions"] == []


def test_zero_byte_upload_fails(stack: Stack) -> None:
    _, created, _ = stack.call("create_upload", body={"filename": "a.png", "content_type": "image/png", "size": 10})
    boto3.client("s3").put_object(Bucket=stack.settings.bucket_name, Key=created["upload"]["fields"]["key"], Body=b"")
    stack.drain()
    asset = stack.call("get_asset", path_params={"asset_id": created["asset"]["id"]})[1]
    assert (asset["status"], asset["error"]) == ("failed", "the file is empty")
    assert [e["detail-type"] for e in stack.events()] == ["asset.failed"]


def test_huge_and_garbage_exif_still_give_a_ready_image(stack: Stack) -> None:
    for data in (files.huge_exif_jpeg(), files.garbage_exif_jpeg()):
        asset = processed(stack, data, "image/jpeg")
        assert asset["status"] == "ready"
        assert asset["metadata"]["dimensions"]["width"] > 0
        assert len(asset["renditions"]) == 2


def test_camera_jpeg_metadata_and_location(stack: Stack) -> None:
    metadata = processed(stack, files.camera_jpeg(), "image/jpeg")["metadata"]
    assert metadata["exif"]["make"]
    assert metadata["location"] == pytest.approx(
        {"lat": files.GPS_LAT, "lng": files.GPS_LNG, "alt": files.GPS_ALT}, abs=1e-4
    )
    assert "GPSInfo" not in str(metadata["exif"])
    assert metadata["lqip"].startswith("data:image/webp;base64,")
    assert metadata["palette"]["dominant"]["hex"].startswith("#")
    assert len(metadata["blurhash"]) == 28


def test_encrypted_pdf_is_ready_with_what_could_be_read(stack: Stack) -> None:
    asset = processed(
        stack, documents.text_pdf(["secret"], user_password="pw", owner_password="owner"), "application/pdf"
    )
    assert asset["status"] == "ready"
    assert asset["metadata"]["encrypted"] is True
    assert asset["metadata"].get("page_count") is None
    assert asset["renditions"] == []


def test_pdf_pages_words_and_first_page_renditions(stack: Stack) -> None:
    asset = processed(stack, documents.text_pdf(["one two three", "four five", "six"]), "application/pdf")
    metadata = asset["metadata"]
    assert (asset["status"], asset["kind"]) == ("ready", "document")
    assert (metadata["page_count"], metadata["word_count"], metadata["encrypted"]) == (3, 6, False)
    assert (metadata["title"], metadata["author"]) == (documents.TITLE, documents.AUTHOR)
    assert [(r["name"], r["height"]) for r in asset["renditions"]] == [("large", 1024), ("small", 256)]


def test_svg_with_script_is_ready_and_flagged_never_rendered(stack: Stack) -> None:
    asset = processed(stack, files.svg(body="<script>alert(1)</script>"), "image/svg+xml")
    assert asset["status"] == "ready"
    assert asset["metadata"]["has_script"] is True
    assert asset["metadata"]["dimensions"]["width"] == 120
    assert asset["renditions"] == []


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        (
            "clip.mp4",
            "video/mp4",
            {
                "dimensions": {"width": 64, "height": 48, "aspect_ratio": 1.3333},
                "video_codec": "avc1",
                "audio_codec": "aac",
            },
        ),
        (
            "clip.webm",
            "video/webm",
            {"dimensions": {"width": 64, "height": 48, "aspect_ratio": 1.3333}, "video_codec": "vp9"},
        ),
        ("tone.mp3", "audio/mpeg", {"codec": "mp3", "sample_rate": 44100, "channels": 1}),
        ("tone.flac", "audio/flac", {"codec": "flac", "sample_rate": 16000}),
    ],
)
def test_media_files_get_duration_and_streams(stack: Stack, name: str, content_type: str, expected: dict) -> None:
    asset = processed(stack, (CORPUS / name).read_bytes(), content_type)
    assert asset["status"] == "ready", asset["error"]
    assert asset["metadata"]["duration"] == pytest.approx(1.5, abs=0.05)
    assert {key: asset["metadata"].get(key) for key in expected} == expected


def test_renditions_are_not_processed_as_uploads(stack: Stack) -> None:
    processed(stack, files.png(400, 300), "image/png")
    assert stack.drain() == 0
    bucket = boto3.client("s3").list_objects_v2(Bucket=stack.settings.bucket_name)
    assert sum(1 for obj in bucket["Contents"] if obj["Key"].startswith("renditions/")) == 2


def test_bytes_read_are_published_as_metrics(stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    data = files.noise("JPEG", 1200)
    processed(stack, data, "image/jpeg")
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    (flushed,) = [m for m in emitted if "BytesRead" in m]
    assert flushed["HeaderBytesRead"] == [64 * 1024]
    assert flushed["BytesRead"] == [64 * 1024 + len(data)]
    assert flushed["Upload_ready"] == [1]
