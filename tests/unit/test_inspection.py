from __future__ import annotations

import hashlib

import pytest

from functions.services.inspection import Rejected, inspect
from tests import files

MAX_PIXELS = 10_000_000


def chunks(data: bytes, size: int = 100) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_dimensions_as_displayed_for_every_exif_orientation(orientation: int) -> None:
    found = inspect(chunks(files.jpeg(64, 32, orientation)), "image/jpeg", MAX_PIXELS)
    dims = found.metadata["dimensions"]
    rotated = orientation >= 5
    assert (dims["width"], dims["height"]) == ((32, 64) if rotated else (64, 32))
    assert (dims["stored_width"], dims["stored_height"]) == (64, 32)
    assert dims["orientation"] == orientation
    assert found.metadata["format"] == "JPEG"
    assert found.kind == "image"


def test_hashes_and_size_are_streamed_over_every_chunk() -> None:
    data = files.png(300, 200)
    found = inspect(chunks(data, 7), "image/png", MAX_PIXELS)
    assert found.size == len(data)
    assert found.sha1 == hashlib.sha1(data).hexdigest()
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    assert found.metadata["dimensions"]["width"] == 300


def test_truncated_jpeg_is_rejected() -> None:
    with pytest.raises(Rejected, match="corrupt or truncated"):
        inspect(chunks(files.truncated_jpeg()), "image/jpeg", MAX_PIXELS)


def test_text_renamed_png_is_rejected() -> None:
    with pytest.raises(Rejected, match="not a image/png"):
        inspect(chunks(files.text_as_png()), "image/png", MAX_PIXELS)


def test_empty_file_is_rejected() -> None:
    with pytest.raises(Rejected, match="empty"):
        inspect([], "image/png", MAX_PIXELS)


def test_decompression_bomb_is_rejected() -> None:
    with pytest.raises(Rejected, match="too large"):
        inspect(chunks(files.png(200, 200)), "image/png", max_pixels=1000)


def test_executable_is_rejected_whatever_it_claims() -> None:
    with pytest.raises(Rejected, match="not allowed"):
        inspect([b"\x7fELF\x02\x01\x01" + bytes(200)], "application/octet-stream", MAX_PIXELS)


def test_real_type_wins_within_a_kind_and_the_declared_one_is_recorded() -> None:
    found = inspect(chunks(files.jpeg()), "image/png", MAX_PIXELS)
    assert found.content_type == "image/jpeg"
    assert found.metadata["declared_content_type"] == "image/png"
    assert found.metadata["detected_content_type"] == "image/jpeg"


def test_image_declared_as_document_is_rejected() -> None:
    with pytest.raises(Rejected, match="content is image/png"):
        inspect(chunks(files.png()), "application/pdf", MAX_PIXELS)


def test_text_without_signature_keeps_its_declared_type() -> None:
    found = inspect([b"name,size\nx,1\n"], "text/csv", MAX_PIXELS)
    assert (found.content_type, found.kind) == ("text/csv", "document")
    assert found.metadata == {"detected_content_type": None}
