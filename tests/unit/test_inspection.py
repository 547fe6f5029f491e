from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from functions.adapters.storage import BLOCK_BYTES
from functions.models.assets import AssetMetadata
from functions.services.inspection import HEADER_BYTES, SVG_MAX_BYTES, Rejected, inspect, read_header
from functions.settings import Settings
from tests import documents, files
from tests.memory_storage import MemoryStorage

SETTINGS = Settings(max_image_pixels=10_000_000)
KEY = "originals/acme/0123456789abcdef0123456789abcdef"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def run(data: bytes, declared: str, settings: Settings = SETTINGS, **kwargs: str):
    return inspect(MemoryStorage({KEY: data}), KEY, len(data), declared, settings, **kwargs)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_dimensions_as_displayed_for_every_exif_orientation(orientation: int) -> None:
    found = run(files.jpeg(64, 32, orientation), "image/jpeg")
    dims = found.metadata["dimensions"]
    rotated = orientation >= 5
    assert (dims["width"], dims["height"]) == ((32, 64) if rotated else (64, 32))
    assert dims["aspect_ratio"] == (0.5 if rotated else 2.0)
    assert (dims["stored_width"], dims["stored_height"]) == (64, 32)
    assert dims["orientation"] == orientation
    assert found.metadata["format"] == "JPEG"
    assert found.kind == "image"
    assert {r.name: (r.width, r.height) for r in found.renditions} == {
        "large": (dims["width"], dims["height"]),
        "small": (dims["width"], dims["height"]),
    }


def test_hashes_size_and_bytes_read() -> None:
    data = files.png(300, 200)
    found = run(data, "image/png")
    assert found.size == len(data)
    assert found.sha1 == hashlib.sha1(data).hexdigest()
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    assert found.metadata["dimensions"]["width"] == 300
    assert found.header_bytes_read <= BLOCK_BYTES
    assert found.bytes_read == found.header_bytes_read + len(data)


@pytest.mark.parametrize(
    ("content_type", "data", "complete"),
    [
        ("image/jpeg", files.noise("JPEG", 1800), True),
        ("image/png", files.noise("PNG", 1000), True),
        ("image/tiff", files.noise("TIFF", 1000), True),
        ("image/webp", files.noise("WEBP", 1200), False),
        ("image/heic", files.noise("HEIF", 1200), False),
        ("image/avif", files.noise("AVIF", 1200), False),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_header_of_a_large_image_comes_from_ranged_reads_of_its_start(
    content_type: str, data: bytes, complete: bool
) -> None:
    assert len(data) > HEADER_BYTES + BLOCK_BYTES
    storage = MemoryStorage({KEY: data})
    header = read_header(storage, KEY, len(data), content_type, SETTINGS.max_image_pixels)
    side = header.metadata["dimensions"]["width"]
    assert side == header.metadata["dimensions"]["height"] > 900
    assert header.content_type == content_type
    assert header.complete is complete
    assert header.bytes_read <= HEADER_BYTES
    assert max(end for _, end in storage.ranges) < HEADER_BYTES


def test_header_that_does_not_fit_is_read_by_the_full_pass() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), "red").save(buffer, "JPEG", icc_profile=os.urandom(HEADER_BYTES + 1000))
    data = buffer.getvalue()
    storage = MemoryStorage({KEY: data})
    assert not read_header(storage, KEY, len(data), "image/jpeg", SETTINGS.max_image_pixels).complete
    found = inspect(storage, KEY, len(data), "image/jpeg", SETTINGS)
    assert found.metadata["dimensions"]["width"] == 90
    assert len(found.renditions) == 2


def test_truncated_jpeg_is_rejected() -> None:
    with pytest.raises(Rejected, match="corrupt or truncated"):
        run(files.truncated_jpeg(), "image/jpeg")


def test_text_renamed_png_is_rejected_after_reading_only_its_start() -> None:
    data = files.text_as_png() * 1000
    storage = MemoryStorage({KEY: data})
    with pytest.raises(Rejected, match="not a image/png"):
        inspect(storage, KEY, len(data), "image/png", SETTINGS)
    assert sum(end - start + 1 for start, end in storage.ranges) <= BLOCK_BYTES


def test_empty_file_is_rejected() -> None:
    with pytest.raises(Rejected, match="empty"):
        run(b"", "image/png")


def test_decompression_bomb_is_rejected() -> None:
    with pytest.raises(Rejected, match="more pixels than MAX_IMAGE_PIXELS"):
        run(files.png(200, 200), "image/png", Settings(max_image_pixels=1000))


def test_executable_is_rejected_whatever_it_claims() -> None:
    with pytest.raises(Rejected, match="not allowed"):
        run(b"\x7fELF\x02\x01\x01" + bytes(200), "application/octet-stream")


def test_real_type_wins_within_a_kind_and_the_declared_one_is_recorded() -> None:
    found = run(files.jpeg(), "image/png")
    assert found.content_type == "image/jpeg"
    assert found.metadata["declared_content_type"] == "image/png"
    assert found.metadata["detected_content_type"] == "image/jpeg"


def test_image_declared_as_document_is_rejected() -> None:
    with pytest.raises(Rejected, match="content is image/png"):
        run(files.png(), "application/pdf")


def test_text_without_signature_keeps_its_declared_type_and_is_only_hashed() -> None:
    found = run(b"name,size\nx,1\n", "text/csv")
    assert (found.content_type, found.kind) == ("text/csv", "document")
    assert found.metadata == {"detected_content_type": None}
    assert found.renditions == []


def test_declared_sha256_must_match() -> None:
    data = files.jpeg()
    assert run(data, "image/jpeg", expected_sha256=hashlib.sha256(data).hexdigest()).size == len(data)
    with pytest.raises(Rejected, match="SHA-256"):
        run(data, "image/jpeg", expected_sha256="0" * 64)


def test_large_files_are_spooled_not_held_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    sizes = []
    real = tempfile.SpooledTemporaryFile

    def spy(max_size: int = 0, **kwargs: object):
        sizes.append(max_size)
        return real(max_size=max_size, **kwargs)

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", spy)
    run(files.png(), "image/png", Settings(memory_file_bytes=1234))
    assert sizes == [1234]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (files.camera_jpeg(), "image/jpeg"),
        (files.animated_gif(), "image/gif"),
        (files.png16(), "image/png"),
        (files.svg(attributes='width="10.5px" height="3"'), "image/svg+xml"),
        (documents.text_pdf(["one two"]), "application/pdf"),
        ((CORPUS / "clip.mp4").read_bytes(), "video/mp4"),
        ((CORPUS / "tone.opus").read_bytes(), "audio/ogg"),
    ],
    ids=["jpeg", "gif", "png16", "svg", "pdf", "mp4", "opus"],
)
def test_metadata_is_stored_and_served_as_found(data: bytes, content_type: str) -> None:
    """What the parsers return must survive the API model unchanged (a mismatch would be a 500 on read)."""
    found = run(data, content_type)
    stored = json.loads(json.dumps(found.metadata))
    assert AssetMetadata.model_validate(stored).model_dump(mode="json") == {
        key: value for key, value in stored.items() if value is not None
    }


def test_whole_file_decoders_are_not_given_files_over_the_memory_limit() -> None:
    data = files.noise("WEBP", 1200)
    found = run(data, "image/webp", Settings(memory_file_bytes=len(data) - 1))
    assert found.metadata["dimensions"] == {"width": 1200, "height": 1200, "aspect_ratio": 1.0}
    assert "lqip" not in found.metadata
    assert found.renditions == []
    assert len(run(data, "image/webp", Settings(memory_file_bytes=len(data))).renditions) == 2


def test_an_image_over_the_decode_limit_keeps_its_header_metadata_and_is_not_decoded() -> None:
    data = files.camera_jpeg()
    storage = MemoryStorage({KEY: data})
    found = inspect(storage, KEY, len(data), "image/jpeg", Settings(max_decoded_bytes=len(data) - 1))
    assert found.metadata["dimensions"]["width"] == 40
    assert found.metadata["exif"]["make"] == "Canon"
    assert not {"lqip", "blurhash", "palette", "is_opaque"} & found.metadata.keys()
    assert found.renditions == []
    assert (found.size, found.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    decoded = run(data, "image/jpeg", Settings(max_decoded_bytes=len(data)))
    assert {"lqip", "blurhash", "palette"} <= decoded.metadata.keys()
    assert len(decoded.renditions) == 2


def test_a_pdf_over_the_decode_limit_keeps_what_its_header_says() -> None:
    data = documents.text_pdf(["one two", "three"])
    found = run(data, "application/pdf", Settings(max_decoded_bytes=len(data) - 1))
    assert (found.metadata["page_count"], found.metadata["format"]) == (2, "PDF")
    assert "word_count" not in found.metadata
    assert found.renditions == []
    assert run(data, "application/pdf", Settings(max_decoded_bytes=len(data))).metadata["word_count"] == 3


def test_the_decode_limit_keeps_the_whole_file_rule_for_webp_heic_and_avif() -> None:
    data = files.noise("WEBP", 1200)
    limits = Settings(memory_file_bytes=len(data) - 1, max_decoded_bytes=10 * len(data))
    assert run(data, "image/webp", limits).renditions == []


def test_svgs_are_inspected_whatever_the_decode_limit_and_refused_unread_over_their_own() -> None:
    data = files.svg('<script>alert(1)</script><rect width="1" height="1"/>')
    assert run(data, "image/svg+xml", Settings(max_decoded_bytes=10)).metadata["has_script"] is True
    big = files.svg("<g/>" * (SVG_MAX_BYTES // 4))
    storage = MemoryStorage({KEY: big})
    with pytest.raises(Rejected, match="SVG is larger than") as refused:
        inspect(storage, KEY, len(big), "image/svg+xml", Settings(parallel_read_bytes=0))
    assert refused.value.reason == "too_large"
    assert storage.ranges == [(0, BLOCK_BYTES - 1)]  # the sniff's block, and no full pass


def test_a_file_over_the_hash_limit_fails_unread() -> None:
    data = files.jpeg()
    storage = MemoryStorage({KEY: data})
    with pytest.raises(Rejected, match="MAX_HASHED_BYTES") as refused:
        inspect(storage, KEY, len(data), "image/jpeg", Settings(max_hashed_bytes=len(data) - 1))
    assert refused.value.reason == "too_large"
    assert storage.ranges == []
    assert run(data, "image/jpeg", Settings(max_hashed_bytes=len(data))).size == len(data)


BINARY = bytes(range(256)) * 1024 + b"end"


@pytest.mark.parametrize(("parallel_read_bytes", "ranged"), [(len(BINARY) - 1, True), (len(BINARY), False)])
def test_files_over_the_parallel_threshold_are_hashed_from_ranged_reads(parallel_read_bytes: int, ranged: bool) -> None:
    storage = MemoryStorage({KEY: BINARY})
    found = inspect(
        storage, KEY, len(BINARY), "application/octet-stream", Settings(parallel_read_bytes=parallel_read_bytes)
    )
    assert (found.sha1, found.sha256) == (hashlib.sha1(BINARY).hexdigest(), hashlib.sha256(BINARY).hexdigest())
    assert ((0, len(BINARY)) in storage.ranges) is ranged  # the full pass: one range, to one byte past the end
    assert found.bytes_read == found.header_bytes_read + len(BINARY)


@pytest.mark.parametrize("size", [len(BINARY) - 1, len(BINARY) + 1])
def test_a_file_that_changed_under_parallel_reads_is_rejected(size: int) -> None:
    storage = MemoryStorage({KEY: BINARY})
    with pytest.raises(Rejected, match="changed while it was read") as refused:
        inspect(storage, KEY, size, "application/octet-stream", Settings(parallel_read_bytes=0))
    assert refused.value.reason == "changed"


def test_the_declared_sha256_is_checked_on_parallel_reads() -> None:
    with pytest.raises(Rejected, match="SHA-256"):
        run(BINARY, "application/octet-stream", Settings(parallel_read_bytes=0), expected_sha256="0" * 64)
