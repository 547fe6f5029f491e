"""Real files made on the fly for tests: a corpus of raster formats, EXIF and GPS, hostile images, SVGs."""

from __future__ import annotations

import io

import pillow_heif
from PIL import ExifTags, Image, TiffImagePlugin


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


def _save(image: Image.Image, image_format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def _rational(value: float, denominator: int = 10000) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * denominator), denominator)


def _dms(degrees: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    whole = int(degrees)
    minutes = int((degrees - whole) * 60)
    seconds = (degrees - whole - minutes / 60) * 3600
    return _rational(whole, 1), _rational(minutes, 1), _rational(seconds)


GPS_LAT, GPS_LNG, GPS_ALT = -33.856784, -151.215297, 12.5
"""Where `camera_jpeg` says it was taken: S and W refs, altitude above sea level."""


def camera_jpeg(gps: bool = True) -> bytes:
    """A 40x30 JPEG with a full camera EXIF block (and GPS at GPS_LAT/GPS_LNG/GPS_ALT)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon\x00  "
    exif[ExifTags.Base.Model] = " Canon EOS R5"
    exif[ExifTags.Base.Software] = "Firmware 1.8.1"
    exif[ExifTags.Base.DateTime] = "2024:01:02 03:04:05"
    exif[ExifTags.Base.Orientation] = 1
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "2023:07:14 18:30:15"
    details[ExifTags.Base.OffsetTimeOriginal] = "+02:00"
    details[ExifTags.Base.ExposureTime] = TiffImagePlugin.IFDRational(1, 250)
    details[ExifTags.Base.FNumber] = TiffImagePlugin.IFDRational(28, 10)
    details[ExifTags.Base.ISOSpeedRatings] = 400
    details[ExifTags.Base.FocalLength] = TiffImagePlugin.IFDRational(50, 1)
    details[ExifTags.Base.LensModel] = "RF24-105mm F4 L IS USM"
    if gps:
        location = exif.get_ifd(ExifTags.IFD.GPSInfo)
        location[ExifTags.GPS.GPSLatitudeRef] = "S"
        location[ExifTags.GPS.GPSLatitude] = _dms(-GPS_LAT)
        location[ExifTags.GPS.GPSLongitudeRef] = "W"
        location[ExifTags.GPS.GPSLongitude] = _dms(-GPS_LNG)
        location[ExifTags.GPS.GPSAltitudeRef] = b"\x00"
        location[ExifTags.GPS.GPSAltitude] = _rational(GPS_ALT, 10)
    return _save(Image.new("RGB", (40, 30), (30, 90, 160)), "JPEG", exif=exif)


def huge_exif_jpeg() -> bytes:
    """A JPEG whose APP1 segment is near its 65533-byte maximum, mostly a 60 KB UserComment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Big"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.UserComment] = b"ASCII\x00\x00\x00" + b"x" * 60_000
    return _save(Image.new("RGB", (16, 16), "white"), "JPEG", exif=exif)


def garbage_exif_jpeg() -> bytes:
    """A valid JPEG whose EXIF block is random bytes after a TIFF header pointing nowhere sensible."""
    noise = bytes((index * 7919 + 13) % 251 for index in range(2000))
    return _save(Image.new("RGB", (20, 10), "white"), "JPEG", exif=b"Exif\x00\x00II*\x00\xff\xff\x00\x00" + noise)


def cmyk_jpeg() -> bytes:
    return _save(Image.new("CMYK", (24, 16), (0, 255, 255, 0)), "JPEG")


def png16() -> bytes:
    """A 16-bit grayscale PNG (mode I;16) at 3/4 of full scale."""
    return _save(Image.new("I;16", (12, 8), 49152), "PNG")


def rgba_png(alpha: int) -> bytes:
    """A PNG with an alpha channel: opaque everywhere at 255, else one corner at `alpha`."""
    image = Image.new("RGBA", (20, 20), (10, 120, 200, 255))
    image.putpixel((0, 0), (10, 120, 200, alpha))
    return _save(image, "PNG")


def palette_png() -> bytes:
    """A palette PNG whose index 0 (the left half) is transparent."""
    image = Image.new("P", (20, 10), 1)
    image.putpalette([0, 0, 0, 250, 200, 0])
    image.paste(0, (0, 0, 10, 10))
    return _save(image, "PNG", transparency=0)


def _frames(count: int, size: tuple[int, int] = (16, 12)) -> list[Image.Image]:
    """Frames that differ from their neighbours, so no encoder merges them."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    return [Image.new("RGB", size, colours[index % 3]) for index in range(count)]


def animated_gif(frames: int = 3) -> bytes:
    first, *rest = _frames(frames, (1, 1) if frames > 3 else (16, 12))
    return _save(first, "GIF", save_all=True, append_images=rest, duration=40, loop=0)


def animated_webp() -> bytes:
    first, *rest = _frames(3)
    return _save(first, "WEBP", save_all=True, append_images=rest, duration=40, loop=0, lossless=True)


def heic(width: int = 48, height: int = 32) -> bytes:
    pillow_heif.register_heif_opener()
    return _save(Image.new("RGB", (width, height), (0, 160, 80)), "HEIF", quality=60)


def avif(width: int = 48, height: int = 32) -> bytes:
    return _save(Image.new("RGBA", (width, height), (0, 160, 80, 128)), "AVIF", quality=60)


def tiff(orientation: int = 1) -> bytes:
    return _save(Image.new("RGB", (30, 20), (90, 90, 90)), "TIFF", tiffinfo={ExifTags.Base.Orientation: orientation})


def bmp() -> bytes:
    return _save(Image.new("RGB", (30, 20), (90, 90, 90)), "BMP")


def bomb_png(side: int = 6000) -> bytes:
    """A one-colour PNG of side x side pixels: a few KB on disk, 36 MP once decoded."""
    return _save(Image.new("1", (side, side), 0), "PNG")


def noise(image_format: str = "JPEG", side: int = 1500) -> bytes:
    """An image of noise, so well over 256 KiB: only its header fits in the first 256 KiB."""
    return _save(Image.effect_noise((side, side), 80).convert("RGB"), image_format)


def svg(body: str = "", attributes: str = 'width="120" height="80"', prolog: str = "") -> bytes:
    return f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" {attributes}>{body}</svg>'.encode()


BILLION_LAUGHS_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol3;</text></svg>"""
NOT_SVG_XML = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
