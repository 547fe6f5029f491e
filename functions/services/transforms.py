"""Image transforms for delivery URLs: resize, crop around the focal point, re-encode.

Output is upright (EXIF orientation applied), in sRGB (the embedded ICC profile converted), and carries no
metadata: Pillow writes EXIF, XMP or ICC only when told to, and nothing here tells it. Images never grow past
their own size, except with `fit=fill`, which asks for exact dimensions.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps

from functions.errors import InvalidInput, TooLarge
from functions.models.delivery import FocalPoint, Transform
from functions.services import images

CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
KEEP = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
AVIF_SPEED = 8
"""libavif's encoder speed (0 slowest .. 10): 8 keeps a 1920 px encode well under a second, at a few percent of
size."""
PDF_EDGE = 2048
"""A PDF page is drawn at this long edge when the transform names no size."""


@dataclass(frozen=True)
class Rendered:
    data: bytes
    content_type: str


def output_format(transform: Transform, accept: str, source_format: str | None, has_alpha: bool) -> str:
    """`fm`, or for `auto` the best the browser accepts (AVIF, then WebP); without `fm`, the source's own web
    format, else JPEG (PNG when there is transparency)."""
    if transform.fm == "auto":
        accepted = accept.lower()
        if "image/avif" in accepted:
            return "avif"
        if "image/webp" in accepted:
            return "webp"
    elif transform.fm is not None:
        return transform.fm
    elif source_format in KEEP:
        return KEEP[source_format]
    return "png" if has_alpha else "jpeg"


def scale(transform: Transform, size: tuple[int, int], max_dimension: int) -> float:
    """How much the displayed image is scaled before any crop or padding."""
    width, height = size
    w = transform.w * transform.dpr if transform.w else None
    h = transform.h * transform.dpr if transform.h else None
    if w and h:
        pick = max if transform.fit in ("cover", "fill") else min
        return pick(w / width, h / height)
    if w:
        return w / width
    if h:
        return h / height
    return min(1.0, max_dimension / max(width, height))


def box(transform: Transform, image: Image.Image) -> tuple[int, int] | None:
    """The exact output size of `cover`, `contain` and `fill` (both sides given): for the first two, shrunk to
    what the image covers when it is smaller than asked, since nothing is upscaled."""
    if not (transform.w and transform.h) or transform.fit == "inside":
        return None
    w, h = round(transform.w * transform.dpr), round(transform.h * transform.dpr)
    if transform.fit == "fill":
        return w, h
    ratios = (image.width / w, image.height / h)
    shrink = min(1.0, min(ratios) if transform.fit == "cover" else max(ratios))
    return max(1, round(w * shrink)), max(1, round(h * shrink))


def cover(image: Image.Image, size: tuple[int, int], focal: FocalPoint | None) -> Image.Image:
    """Crop to the aspect of `size` keeping the focal point as central as the edges allow, then resize."""
    target = size[0] / size[1]
    width, height = image.size
    crop_w, crop_h = (width, round(width / target)) if width / height < target else (round(height * target), height)
    fx, fy = (focal.x, focal.y) if focal else (0.5, 0.5)
    left = min(max(0, round(fx * width - crop_w / 2)), width - crop_w)
    top = min(max(0, round(fy * height - crop_h / 2)), height - crop_h)
    cropped = image.crop((left, top, left + crop_w, top + crop_h))
    return cropped if cropped.size == size else cropped.resize(size, Image.Resampling.LANCZOS)


def render(
    file: BinaryIO,
    kind: str,
    transform: Transform,
    focal: FocalPoint | None,
    accept: str,
    max_pixels: int,
    max_dimension: int,
) -> Rendered:
    source_format: str | None = None
    if kind == "document":
        from functions.services import documents

        def page_scale(size: tuple[int, int]) -> float:
            """Vector pages may be drawn larger than their size in points, up to `max_dimension`."""
            wanted = scale(transform, size, max_dimension) if transform.w or transform.h else PDF_EDGE / max(size)
            return min(wanted, max_dimension / max(size))

        image = documents.first_page(file, page_scale)
        if image is None:
            raise InvalidInput("this PDF has no page that can be drawn", field="w")
    else:
        try:
            image, source_format = images.decoded(file, max_pixels, lambda size: scale(transform, size, max_dimension))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise TooLarge(f"the image has more than {max_pixels} pixels; it is not transformed") from None
    exact = box(transform, image)
    if exact and transform.fit == "cover":
        image = cover(image, exact, focal)
    elif exact and transform.fit == "fill":
        image = image.resize(exact, Image.Resampling.LANCZOS)
    elif exact:  # letterboxed with transparency (white once flattened into a JPEG)
        image = ImageOps.pad(image.convert("RGBA"), exact, Image.Resampling.LANCZOS, color=(255, 255, 255, 0))
    has_alpha = image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255
    name = output_format(transform, accept, source_format, has_alpha)
    return Rendered(_encode(image, name, transform.q), CONTENT_TYPES[name])


def _encode(image: Image.Image, name: str, quality: int) -> bytes:
    if name == "jpeg" and image.mode != "RGB":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
        image = background
    options = {
        "jpeg": {"quality": quality, "optimize": True, "progressive": True},
        "png": {"optimize": False, "compress_level": 6},
        "webp": {"quality": quality, "method": 4},
        "avif": {"quality": quality, "speed": AVIF_SPEED},
    }[name]
    buffer = io.BytesIO()
    image.save(buffer, name.upper(), **options)
    return buffer.getvalue()
