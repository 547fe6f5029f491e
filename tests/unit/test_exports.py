"""Export rules without AWS: what is stored or deflated, unique names inside the zip, the continuation state."""

from __future__ import annotations

import zipfile

import pytest

from functions.services import export_plan, exports


@pytest.mark.parametrize(
    ("content_type", "method"),
    [
        ("image/jpeg", zipfile.ZIP_STORED),
        ("image/png", zipfile.ZIP_STORED),
        ("image/heic", zipfile.ZIP_STORED),
        ("video/mp4", zipfile.ZIP_STORED),
        ("video/quicktime", zipfile.ZIP_STORED),
        ("audio/mpeg", zipfile.ZIP_STORED),
        ("application/pdf", zipfile.ZIP_STORED),
        ("application/zip", zipfile.ZIP_STORED),
        ("audio/wav", zipfile.ZIP_DEFLATED),
        ("image/tiff", zipfile.ZIP_DEFLATED),
        ("image/svg+xml", zipfile.ZIP_DEFLATED),
        ("text/plain", zipfile.ZIP_DEFLATED),
        ("application/octet-stream", zipfile.ZIP_DEFLATED),
        (None, zipfile.ZIP_DEFLATED),
    ],
)
def test_compressed_formats_are_stored_the_rest_deflated(content_type, method) -> None:
    assert exports.compression(content_type) == method


def test_names_are_unique_ignoring_case_and_keep_their_extension() -> None:
    names = export_plan.Names()
    assert [names.unique("", name) for name in ("photo.jpg", "Photo.JPG", "photo.jpg", "manifest.csv")] == [
        "photo.jpg",
        "Photo (1).JPG",
        "photo (2).jpg",
        "manifest (1).csv",  # the manifest's name is taken
    ]
    names.reserve_folder("Brand/Logos/")
    assert names.unique("Brand/", "Logos") == "Brand/Logos (1)"
    assert names.unique("Brand/", "..") == "Brand/_"


def test_the_state_survives_its_file() -> None:
    plan = [
        export_plan.Planned("a" * 32, "a.jpg", "originals/t/a/r", 10, "0" * 64, "image/jpeg", "2026-01-01T00:00:00.0Z"),
        export_plan.Planned("b" * 32, None, skip="not_found"),
    ]
    state = exports.State(upload_id="u", part_bytes=16, plan=plan, cursor=2, offset=99, etags=['"e"'], entries=[])
    assert exports.State.loads(state.dumps()) == state
    assert state.skipped == 1
