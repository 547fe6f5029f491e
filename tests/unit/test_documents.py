from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from pypdf.errors import PyPdfError

from functions.services import documents
from functions.services.documents import TEXT_PAGES_PER_OPEN, parse_pdf_date, pdf_details, pdf_header
from tests.documents import (
    AUTHOR,
    TITLE,
    CountingReader,
    damaged_trailer_pdf,
    garbage_pdf,
    image_pdf,
    text_pdf,
    truncated_pdf,
)

PAGES = ["Hello brave new world", "two more", "and the last three"]
HEADER = {
    "format": "PDF",
    "page_count": 3,
    "pdf_version": "1.3",
    "encrypted": False,
    "title": TITLE,
    "author": AUTHOR,
    "producer": "pypdf",
    "created": "2024-01-02T03:04:05+01:00",
    "modified": "2024-01-01T00:00:00",
}
"""What both parsers read from a three-page `text_pdf`."""


def test_header_of_a_plain_pdf() -> None:
    result = pdf_header(io.BytesIO(text_pdf(PAGES)))

    assert result == HEADER


def test_user_password_locks_everything_but_the_fact() -> None:
    data = text_pdf(PAGES, user_password="secret", owner_password="owner")

    assert pdf_header(io.BytesIO(data)) == {"format": "PDF", "encrypted": True, "page_count": None}
    assert pdf_details(io.BytesIO(data)) == ({}, None)


def test_owner_password_only_is_encrypted_but_readable() -> None:
    data = text_pdf(PAGES, user_password="", owner_password="owner")

    result = pdf_header(io.BytesIO(data))
    details, image = pdf_details(io.BytesIO(data))

    assert (result["encrypted"], result["page_count"], result["title"]) == (True, 3, TITLE)
    assert details == {"word_count": 10}
    assert image is not None


def test_details_count_words_and_render_the_first_page() -> None:
    details, image = pdf_details(io.BytesIO(text_pdf(PAGES)))

    assert details == {"word_count": 10}
    assert image is not None
    assert image.mode == "RGB"
    assert image.size == (792, 1024)


def test_word_count_stops_at_the_page_limit() -> None:
    details, _ = pdf_details(io.BytesIO(text_pdf(PAGES)), max_pages_for_text=2)

    assert details == {"word_count": 6, "word_count_pages": 2}


def test_words_are_counted_across_reopenings_of_the_document() -> None:
    pages = [" ".join(["word"] * (index + 1)) for index in range(2 * TEXT_PAGES_PER_OPEN + 3)]
    details, _ = pdf_details(io.BytesIO(text_pdf(pages)), max_pages_for_text=TEXT_PAGES_PER_OPEN + 1)

    counted = TEXT_PAGES_PER_OPEN + 1
    assert details == {"word_count": counted * (counted + 1) // 2, "word_count_pages": counted}


def test_render_keeps_the_aspect_of_a_wide_page_and_caps_the_size() -> None:
    _, wide = pdf_details(io.BytesIO(text_pdf(["a"], size=(2000, 100))), long_edge=512)
    _, capped = pdf_details(io.BytesIO(text_pdf(["a"], size=(100, 200))), long_edge=100_000)

    assert wide is not None
    assert wide.size == (512, 26)
    assert capped is not None
    assert capped.size == (2048, 4096)


def test_image_only_pdf_is_read_lazily() -> None:
    file = CountingReader(image_pdf())

    header = pdf_header(file)
    header_bytes = file.bytes_read
    details, image = pdf_details(file, max_pages_for_text=1)

    assert header["page_count"] == 4
    assert header_bytes < 16 * 1024
    assert details == {"word_count": 0, "word_count_pages": 1}
    assert image is not None
    assert image.size == (1024, 512)
    assert file.bytes_read - header_bytes < 64 * 1024 < file.size


@pytest.mark.parametrize("catalog", [b"99 0 R", b"1 0 R"], ids=["missing object", "information dictionary"])
def test_pdf_that_pdfium_refuses_is_read_by_its_structure(catalog: bytes) -> None:
    data = damaged_trailer_pdf(catalog)
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)

    result = pdf_header(CountingReader(data))

    assert result == HEADER
    with pytest.raises(pdfium.PdfiumError):
        pdf_details(io.BytesIO(data))


def test_damaged_pdf_locked_by_a_password_is_only_locked() -> None:
    locked = text_pdf(PAGES, user_password="secret", owner_password="owner")

    assert pdf_header(io.BytesIO(re.sub(rb"/Root \d+ 0 R", b"/Root 99 0 R", locked))) == {
        "format": "PDF",
        "encrypted": True,
        "page_count": None,
    }


def test_damaged_pdf_with_only_an_owner_password_is_read_by_its_structure() -> None:
    data = re.sub(rb"/Root \d+ 0 R", b"/Root 99 0 R", text_pdf(PAGES, user_password="", owner_password="owner"))
    with pytest.raises(pdfium.PdfiumError, match="format"):
        pdfium.PdfDocument(data)

    result = pdf_header(io.BytesIO(data))

    assert (result["encrypted"], result["page_count"], result["title"]) == (True, 3, TITLE)


def test_structural_parser_is_not_given_files_it_would_hold_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    data = damaged_trailer_pdf()
    monkeypatch.setattr(documents, "STRUCTURAL_MAX_BYTES", len(data) - 1)

    with pytest.raises(pdfium.PdfiumError):
        pdf_header(io.BytesIO(data))


@pytest.mark.parametrize("data", [truncated_pdf(), garbage_pdf(), b""], ids=["truncated", "garbage", "empty"])
def test_pdf_no_parser_can_read_raises(data: bytes) -> None:
    with pytest.raises(PyPdfError):
        pdf_header(io.BytesIO(data))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("D:20240102030405+01'00'", "2024-01-02T03:04:05+01:00"),
        ("D:20240102030405-05'30", "2024-01-02T03:04:05-05:30"),
        ("20240102030405Z", "2024-01-02T03:04:05+00:00"),
        ("D:202401", "2024-01-01T00:00:00"),
        ("D:20241399", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_pdf_dates(value: str, expected: str | None) -> None:
    assert parse_pdf_date(value) == expected
