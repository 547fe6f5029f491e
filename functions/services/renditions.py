"""WebP renditions of a decoded image, without any of its metadata (EXIF, XMP, GPS, ICC)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from functions.services.images import fit

SIZES: dict[str, int] = {"small": 256, "large": 1024}
"""Long edge in px."""
QUALITY = 80
METHOD = 4
"""libwebp effort 0-6: 4 is its default and libvips' too; 6 is several times slower for a few percent."""
CONTENT_TYPE = "image/webp"


@dataclass(frozen=True)
class RenditionFile:
    name: str
    width: int
    height: int
    content_type: str
    data: bytes


def make(image: Image.Image) -> list[RenditionFile]:
    """One WebP per size, long edge at most that size, never upscaled, largest first, each scaled from the last.

    Keeps alpha when `image` has it; the caller gives an sRGB preview (see `images.details`).
    """
    current = image.convert("RGBA" if image.has_transparency_data else "RGB")
    files = []
    for name, long_edge in sorted(SIZES.items(), key=lambda item: item[1], reverse=True):
        current = fit(current, long_edge)
        files.append(_encode(name, current))
    return files


def _encode(name: str, image: Image.Image) -> RenditionFile:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=QUALITY, method=METHOD, exif=b"", xmp=b"", icc_profile=None)
    return RenditionFile(name, image.width, image.height, CONTENT_TYPE, buffer.getvalue())
