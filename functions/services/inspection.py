"""What a file really is: hashes, sniffed type and, for images, dimensions as displayed.

Imported by the processor only (Pillow is heavy). Every reader of untrusted bytes is behind
`inspect`, which turns whatever a hostile file makes a parser raise into `Rejected`.
"""

from __future__ import annotations

import hashlib
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import filetype
from PIL import ExifTags, Image

from functions.services.kinds import kind_of

SNIFF_BYTES = 8192
SPOOL_BYTES = 8 * 1024 * 1024
"""Files larger than this are spooled to /tmp while hashing instead of being held in memory."""

DECODED_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp"}
BLOCKED_TYPES = {
    "application/x-executable",
    "application/x-msdownload",
    "application/x-mach-binary",
    "application/x-sharedlib",
    "application/x-elf",
    "application/vnd.microsoft.portable-executable",
}
SIGNATURE_KINDS = {"image", "video", "audio", "archive"}
"""Kinds whose formats all start with a signature: a declared one with no signature found is a lie."""
_ROTATED = {5, 6, 7, 8}


class Rejected(Exception):
    """The file is corrupt, truncated, disallowed or not what it claims to be."""


@dataclass
class Inspection:
    size: int
    sha1: str
    sha256: str
    content_type: str
    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _spool(chunks: Iterable[bytes], spool: IO[bytes]) -> tuple[int, str, str]:
    """Copy the stream into `spool`, hashing as it goes."""
    sha1, sha256, size = hashlib.sha1(usedforsecurity=False), hashlib.sha256(), 0
    for chunk in chunks:
        sha1.update(chunk)
        sha256.update(chunk)
        size += len(chunk)
        spool.write(chunk)
    spool.seek(0)
    return size, sha1.hexdigest(), sha256.hexdigest()


def _image_metadata(file: IO[bytes], max_pixels: int) -> dict[str, Any]:
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(file) as image:
            stored_width, stored_height = image.size
            orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
            if not isinstance(orientation, int) or not 1 <= orientation <= 8:
                orientation = 1
            image_format = image.format
            if image_format == "JPEG":
                image.draft("RGB", (max(1, stored_width // 8), max(1, stored_height // 8)))
            image.load()
    width, height = (stored_height, stored_width) if orientation in _ROTATED else (stored_width, stored_height)
    return {
        "format": image_format,
        "dimensions": {
            "width": width,
            "height": height,
            "stored_width": stored_width,
            "stored_height": stored_height,
            "orientation": orientation,
        },
    }


def inspect(chunks: Iterable[bytes], declared_type: str, max_pixels: int) -> Inspection:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        size, sha1, sha256 = _spool(chunks, spool)
        if size == 0:
            raise Rejected("the file is empty")
        detected = filetype.guess_mime(spool.read(SNIFF_BYTES))
        spool.seek(0)
        if detected in BLOCKED_TYPES:
            raise Rejected(f"files of type {detected} are not allowed")
        declared_kind = kind_of(declared_type)
        if detected is None and declared_kind in SIGNATURE_KINDS:
            raise Rejected(f"the content is not a {declared_type} file")
        if detected is not None and kind_of(detected) != declared_kind:
            raise Rejected(f"the content is {detected}, not {declared_type}")
        content_type = detected or declared_type
        metadata: dict[str, Any] = {"detected_content_type": detected}
        if content_type != declared_type:
            metadata["declared_content_type"] = declared_type
        if content_type in DECODED_IMAGE_TYPES:
            try:
                metadata.update(_image_metadata(spool, max_pixels))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise Rejected(f"the image is too large to decode safely: {error}") from None
            except Exception as error:  # a hostile file can make a decoder raise anything
                raise Rejected(f"the image is corrupt or truncated: {error}") from None
        return Inspection(
            size=size,
            sha1=sha1,
            sha256=sha256,
            content_type=content_type,
            kind=kind_of(content_type),
            metadata=metadata,
        )
