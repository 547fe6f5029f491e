"""PDF metadata, word count and first-page preview, read through PDFium (pypdfium2), with pypdf behind it.

PDFium reads the file object through callbacks, fetching the trailer, cross-reference table and the
objects it needs, so a large PDF is never loaded whole. PDFium is not thread-safe: this module relies on
a Lambda invocation processing one file at a time and must not be called from several threads at once.
Every PDFium handle is closed before returning.

PDFium refuses some files whose pages are intact, for example when the trailer's reference to the
document catalog is damaged. pypdf, a structural parser that repairs what it can, then reads the header
(page count, version, document information) of files up to `STRUCTURAL_MAX_BYTES`, since its repair
reads the whole file into memory; such a PDF has no word count or preview.
"""

from __future__ import annotations

import io
import re
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from aws_lambda_powertools import Logger

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image

STRUCTURAL_MAX_BYTES = 64 * 1024 * 1024
"""The largest PDF handed to pypdf when PDFium refuses it: pypdf may hold all of it in memory to repair it."""
MAX_PAGES_FOR_TEXT = 500
TEXT_PAGES_PER_OPEN = 8
MAX_LONG_EDGE = 4096
"""The largest preview we render, whatever the caller asks: bounds the bitmap at 4096 x 4096 pixels."""

logger = Logger(service="assets")

_TEXT_FIELDS = {"title": "Title", "author": "Author", "producer": "Producer", "creator": "Creator"}
_DATE_FIELDS = {"created": "CreationDate", "modified": "ModDate"}
_HEADER_VERSION = re.compile(r"%PDF-(\d\.\d)")
_LOCKED = {"format": "PDF", "encrypted": True, "page_count": None}
_PDF_DATE = re.compile(
    r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:(Z)|([+-])(\d{2})(?:'?(\d{2}))?)?'?$"
)


def pdf_header(file: BinaryIO) -> dict[str, Any]:
    """Page count, version, encryption and document information; a password-locked PDF is not an error.

    Raises (a PDFium or a pypdf error) when no parser can read the file.
    """
    try:
        document = _open(file)
    except pdfium.PdfiumError as error:
        if file.seek(0, io.SEEK_END) > STRUCTURAL_MAX_BYTES:
            raise
        logger.warning("PDFium refused the PDF, reading its structure with pypdf", extra={"reason": str(error)})
        return _structural_header(file)
    if document is None:
        return dict(_LOCKED)
    with document:
        version = document.get_version()
        return _described(
            page_count=len(document),
            version=f"{version // 10}.{version % 10}" if version else None,
            encrypted=pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1,
            info=document.get_metadata_dict(skip_empty=True),
        )


def pdf_details(
    file: BinaryIO, long_edge: int = 1024, max_pages_for_text: int = MAX_PAGES_FOR_TEXT
) -> tuple[dict[str, Any], Image.Image | None]:
    """Word count of the text layer (0 for a scanned PDF) and the first page rendered with the given long edge.

    Only the first `max_pages_for_text` pages are counted; `word_count_pages` then says how many were.
    A password-locked PDF gives `({}, None)`.
    """
    document = _open(file)
    if document is None:
        return {}, None
    with document:
        page_count = len(document)
        preview = _render_first_page(document, min(long_edge, MAX_LONG_EDGE))
    counted = min(page_count, max_pages_for_text)
    details: dict[str, Any] = {"word_count": _word_count(file, counted)}
    if counted < page_count:
        details["word_count_pages"] = counted
    return details, preview


def parse_pdf_date(value: str) -> str | None:
    """`D:YYYYMMDDHHmmSSOHH'mm'` (any trailing part optional) as ISO 8601; None for anything else."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zulu, sign, tz_hours, tz_minutes = match.groups()
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0))
        if zulu:
            moment = moment.replace(tzinfo=UTC)
        elif sign:
            offset = timedelta(hours=int(tz_hours), minutes=int(tz_minutes or 0))
            moment = moment.replace(tzinfo=timezone(-offset if sign == "-" else offset))
    except ValueError:
        return None
    return moment.isoformat()


def _structural_header(file: BinaryIO) -> dict[str, Any]:
    """PDFium asks for a password before it checks the structure, so a file that reaches here opens without one."""
    from pypdf import PdfReader  # only for the few files PDFium refuses

    file.seek(0)
    reader = PdfReader(file)
    version = _HEADER_VERSION.search(reader.pdf_header)
    info = reader.metadata or {}
    return _described(
        page_count=len(reader.pages),
        version=version.group(1) if version else None,
        encrypted=reader.is_encrypted,
        info={name: str(value) for name, value in info.items() if isinstance(value, str)},
    )


def _described(page_count: int, version: str | None, encrypted: bool, info: dict[str, str]) -> dict[str, Any]:
    """The header fields from either parser; `info` maps document information names (`Title`...) to text."""
    info = {name.lstrip("/"): value for name, value in info.items()}
    result: dict[str, Any] = {
        "format": "PDF",
        "page_count": page_count,
        "pdf_version": version,
        "encrypted": encrypted,
    }
    for key, name in _TEXT_FIELDS.items():
        if info.get(name, "").strip():
            result[key] = info[name].strip()
    for key, name in _DATE_FIELDS.items():
        result[key] = parse_pdf_date(info.get(name, ""))
    return result


def _open(file: BinaryIO) -> pdfium.PdfDocument | None:
    """The document, or None when it needs a user password; anything else unreadable raises PdfiumError."""
    file.seek(0)
    try:
        return pdfium.PdfDocument(file)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            return None
        raise


def _word_count(file: BinaryIO, pages: int) -> int:
    """Words on the first `pages` pages. PDFium keeps every parsed page's resources (its images) until the
    document closes, so the document is reopened every `TEXT_PAGES_PER_OPEN` pages: on a 100 MB scanned PDF
    this took the peak from +130 MiB to about +25 MiB, and was faster."""
    total = 0
    for start in range(0, pages, TEXT_PAGES_PER_OPEN):
        file.seek(0)
        with pdfium.PdfDocument(file) as document:
            total += sum(_words(document, index) for index in range(start, min(start + TEXT_PAGES_PER_OPEN, pages)))
    return total


def _words(document: pdfium.PdfDocument, index: int) -> int:
    with closing(document[index]) as page, closing(page.get_textpage()) as textpage:
        return len(textpage.get_text_range().split())


def first_page(file: BinaryIO, scale_for: Callable[[tuple[int, int]], float]) -> Image.Image | None:
    """The first page drawn at `scale_for(its size in points)` pixels a point; None when it has no page or needs a
    password."""
    document = _open(file)
    if document is None or len(document) == 0:
        return None
    with document, closing(document[0]) as page:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return None
        with closing(page.render(scale=scale_for((round(width), round(height))))) as bitmap:
            return bitmap.to_pil().convert("RGB")


def _render_first_page(document: pdfium.PdfDocument, long_edge: int) -> Image.Image | None:
    with closing(document[0]) as page:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return None
        scale = long_edge / max(width, height)
        with closing(page.render(scale=scale)) as bitmap:
            return bitmap.to_pil().convert("RGB")
