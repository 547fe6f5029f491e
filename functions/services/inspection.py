"""What a file really is, read in two passes.

1. Header: ranged GETs of only what the format's parser asks for (at most `HEADER_BYTES` of a
   raster image): the real type, dimensions, EXIF, PDF info, media streams. A file that is not
   what it claims fails here, before anything else is downloaded.
2. Full: one read of every byte, in order, that hashes it (one stream, or parallel ranged GETs past
   `Settings.parallel_read_bytes`) and, for images and PDFs up to `Settings.max_decoded_bytes`, spools the
   file (to /tmp past `Settings.memory_file_bytes`) to decode a preview for placeholders and renditions.
   Memory stays flat whatever the size; a file over `Settings.max_hashed_bytes` is refused unread.

Imported by the processor only (Pillow, PDFium and the media parsers are heavy). Every reader of
untrusted bytes runs behind `_guarded`, which logs whatever a hostile file makes a parser raise and
turns it into `Rejected` with a fixed sentence for the client.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

import filetype
from aws_lambda_powertools import Logger
from PIL import Image

from functions.adapters.storage import Storage
from functions.services import documents, images, media, renditions, svg
from functions.services.kinds import kind_of
from functions.services.rejected import Rejected
from functions.settings import Settings

HEADER_BYTES = 256 * 1024
"""The most of a raster image the header pass may read, whatever the image's size."""
SNIFF_BYTES = 8192
SVG_MAX_BYTES = 5 * 1024 * 1024
SVG_TYPE = "image/svg+xml"
PDF_TYPE = "application/pdf"
RASTER_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/tiff",
    "image/bmp",
    "image/heic",
    "image/heif",
    "image/avif",
}
BLOCKED_TYPES = {
    "application/x-executable",
    "application/x-msdownload",
    "application/x-mach-binary",
    "application/x-sharedlib",
    "application/x-elf",
    "application/vnd.microsoft.portable-executable",
}
SIGNATURE_KINDS = {"image", "video", "audio", "archive"}
"""Kinds whose formats all start with a signature (SVG aside): a declared one with none found is a lie."""

logger = Logger(service="assets")

T = TypeVar("T")
_BOMBS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


@dataclass
class Header:
    content_type: str
    metadata: dict[str, Any]
    bytes_read: int
    complete: bool = True
    """False when a raster image's header did not fit in `HEADER_BYTES`: the full pass reads it."""


@dataclass
class Inspection:
    size: int
    sha1: str
    sha256: str
    content_type: str
    kind: str
    metadata: dict[str, Any]
    renditions: list[renditions.RenditionFile] = field(default_factory=list)
    header_bytes_read: int = 0
    bytes_read: int = 0
    """Every byte transferred from S3 for this file: the header pass plus the full pass."""


def _guarded(what: str, parse: Callable[[], T]) -> T:
    """Run a parser on untrusted bytes: whatever it raises is logged and becomes `Rejected(what)`."""
    try:
        return parse()
    except _BOMBS:
        raise _too_large() from None
    except Rejected:
        raise
    except Exception:  # a hostile file can make a parser raise anything
        logger.warning("parser refused the file", extra={"reason": what}, exc_info=True)
        raise Rejected(what) from None


def _too_large() -> Rejected:
    return Rejected("the image has more pixels than MAX_IMAGE_PIXELS allows: it is not decoded", "too_large")


def _sniff(head: bytes, declared_type: str) -> tuple[str, dict[str, Any]]:
    detected = filetype.guess_mime(head)
    if detected in BLOCKED_TYPES:
        raise Rejected(f"files of type {detected} are not allowed", "disallowed")
    declared_kind = kind_of(declared_type)
    if detected is None and declared_kind in SIGNATURE_KINDS and declared_type != SVG_TYPE:
        raise Rejected(f"the content is not a {declared_type} file", "mismatch")
    if detected is not None and kind_of(detected) != declared_kind:
        raise Rejected(f"the content is {detected}, not {declared_type}", "mismatch")
    content_type = detected or declared_type
    metadata: dict[str, Any] = {"detected_content_type": detected}
    if content_type != declared_type:
        metadata["declared_content_type"] = declared_type
    return content_type, metadata


def read_header(storage: Storage, key: str, size: int, declared_type: str, max_pixels: int) -> Header:
    """Pass 1: the type and the header-level metadata, from ranged GETs only."""
    if size == 0:
        raise Rejected("the file is empty", "empty")
    ranged = storage.open_ranged(key, size)
    content_type, metadata = _sniff(ranged.read(SNIFF_BYTES), declared_type)
    if content_type == SVG_TYPE and size > SVG_MAX_BYTES:  # the full pass would spool all of it to say so
        raise svg.too_large(SVG_MAX_BYTES)
    header = Header(content_type, metadata, 0)
    kind = kind_of(content_type)
    if content_type in RASTER_TYPES:
        capped = ranged.capped(HEADER_BYTES)
        try:
            if content_type in images.WHOLE_FILE_TYPES:
                metadata |= images.geometry(capped)
                header.complete = False  # the rest of their header comes with the full pass
            else:
                metadata |= images.header(capped, max_pixels)
        except _BOMBS:
            raise _too_large() from None
        except Exception:  # the header runs past HEADER_BYTES, or is broken: the full pass decides
            header.complete = False
    elif content_type == PDF_TYPE:
        metadata |= _guarded("the PDF could not be read", lambda: documents.pdf_header(ranged))
    elif kind in ("audio", "video"):
        metadata |= _guarded(f"the {kind} file could not be read", lambda: media.header(ranged, content_type))
    header.bytes_read = ranged.bytes_read
    return header


@contextmanager
def _spooled(
    chunks: Iterator[bytes], keep: bool, memory_bytes: int
) -> Iterator[tuple[IO[bytes] | None, int, str, str]]:
    """Stream every byte through the hashes; keep a copy (in memory up to `memory_bytes`) if asked."""
    sha1, sha256, size = hashlib.sha1(usedforsecurity=False), hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=memory_bytes) as spool:
        for chunk in chunks:
            sha1.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
            if keep:
                spool.write(chunk)
        spool.seek(0)
        yield (spool if keep else None), size, sha1.hexdigest(), sha256.hexdigest()


def _details(header: Header, file: IO[bytes], settings: Settings) -> list[renditions.RenditionFile]:
    """Pass 2 on the whole file: metadata that needs the pixels or the pages, and the renditions."""
    metadata, content_type = header.metadata, header.content_type
    if content_type == SVG_TYPE:
        metadata |= _guarded("the SVG could not be parsed safely", lambda: svg.inspect(file, SVG_MAX_BYTES))
        return []
    if content_type in RASTER_TYPES:
        if not header.complete:
            metadata |= _guarded(
                "the image is corrupt or truncated", lambda: images.header(file, settings.max_image_pixels)
            )
            file.seek(0)
        found, preview = _guarded(
            "the image is corrupt or truncated", lambda: images.details(file, settings.max_image_pixels)
        )
        metadata |= found
        return _guarded("the image could not be converted", lambda: renditions.make(preview))
    if content_type == PDF_TYPE:
        try:
            found, page = _guarded("the PDF's pages could not be read", lambda: documents.pdf_details(file))
            metadata |= found
            return renditions.make(page) if page is not None else []
        except Rejected as rejected:  # its header was readable: the asset is ready with what that said
            logger.warning("PDF without text or thumbnail", extra={"reason": str(rejected)})
    return []


def _decoded(content_type: str, size: int, settings: Settings) -> bool:
    """Whether pass 2 decodes the file (and so keeps a copy of it while hashing).

    SVGs always are (the header pass refused those over `SVG_MAX_BYTES`). Images and PDFs over
    `max_decoded_bytes` are not: their copy would not fit /tmp or the time left, so they keep what the header
    pass found (dimensions and EXIF, a PDF's page count and info) and get no placeholders or renditions.
    """
    if content_type == SVG_TYPE:
        return True
    if content_type not in RASTER_TYPES and content_type != PDF_TYPE:
        return False
    if content_type in images.WHOLE_FILE_TYPES and size > settings.memory_file_bytes:
        logger.warning(
            "image kept to its header metadata: its decoder would hold the whole file in memory",
            extra={"size": size, "memory_file_bytes": settings.memory_file_bytes},
        )
        return False
    if size > settings.max_decoded_bytes:
        logger.warning(
            "file kept to its header metadata: larger than MAX_DECODED_BYTES, it is hashed but not decoded",
            extra={"size": size, "max_decoded_bytes": settings.max_decoded_bytes},
        )
        return False
    return True


def _chunks(storage: Storage, key: str, size: int, settings: Settings) -> Iterator[bytes]:
    """Every byte in order: parallel ranged GETs for a large file, where one stream would be too slow."""
    if size > settings.parallel_read_bytes:
        return storage.read_ranges(key, size)
    return storage.stream(key)


def inspect(
    storage: Storage, key: str, size: int, declared_type: str, settings: Settings, expected_sha256: str | None = None
) -> Inspection:
    """Both passes. Raises `Rejected` for a file that must end `failed`."""
    if size > settings.max_hashed_bytes:
        raise Rejected(
            f"the file has {size} bytes, more than the {settings.max_hashed_bytes} the processor can read "
            "within its time limit (MAX_HASHED_BYTES)",
            "too_large",
        )
    header = read_header(storage, key, size, declared_type, settings.max_image_pixels)
    keep = _decoded(header.content_type, size, settings)
    chunks = _chunks(storage, key, size, settings)
    with _spooled(chunks, keep, settings.memory_file_bytes) as (file, read, sha1, sha256):
        if read != size:
            raise Rejected(f"the file changed while it was read ({read} bytes, expected {size})", "changed")
        if expected_sha256 and sha256 != expected_sha256:
            raise Rejected("the file's SHA-256 does not match the sha256 declared on upload", "checksum")
        made = _details(header, file, settings) if file is not None else []
    return Inspection(
        size=size,
        sha1=sha1,
        sha256=sha256,
        content_type=header.content_type,
        kind=kind_of(header.content_type),
        metadata=header.metadata,
        renditions=made,
        header_bytes_read=header.bytes_read,
        bytes_read=header.bytes_read + read,
    )
