"""Real files made on the fly for tests: images with EXIF orientation, a truncated JPEG, a fake PNG."""

from __future__ import annotations

import io

from PIL import Image


def jpeg(width: int = 64, height: int = 32, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def png(width: int = 30, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 255, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    data = jpeg(400, 300)
    return data[: len(data) // 2]


def text_as_png() -> bytes:
    return b"This is a plain text file pretending to be a PNG image.\n" * 20
