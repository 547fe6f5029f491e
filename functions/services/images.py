"""Raster image metadata: a cheap header read, and a bounded full decode giving a preview, LQIP, BlurHash and palette.

Decoders: Pillow's own plugins for JPEG, PNG, GIF, WebP, TIFF, BMP and AVIF (bundled libavif); HEIC/HEIF through
pillow_heif's opener, registered on import.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
import re
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, BinaryIO, TypeVar

import blurhash
import imagesize
import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps

pillow_heif.register_heif_opener()

_T = TypeVar("_T")

TEXT_LIMIT = 200
LQIP_EDGE = 20
BLURHASH_EDGE = 32
PALETTE_EDGE = 64
SWATCHES = 6
HEADER_FRAME_FORMATS = {"JPEG", "PNG", "WEBP", "AVIF", "HEIF", "MPO", "BMP"}
"""Formats whose frame count is known once the header is parsed (GIF and TIFF must walk the file)."""
WHOLE_FILE_TYPES = {"image/webp", "image/heic", "image/heif", "image/avif"}
"""Types whose Pillow plugin reads the whole file on open: their header pass uses `geometry` instead."""
ORIENTED_ON_OPEN = {"TIFF"}
"""Formats whose Pillow size already has the EXIF orientation applied (its TIFF plugin also transposes on load)."""
_ROTATED = {5, 6, 7, 8}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_OFFSET = re.compile(r"[+-]\d\d:\d\d")
_COLOR_SPACES = {
    "1": "Grayscale",
    "L": "Grayscale",
    "LA": "Grayscale",
    "La": "Grayscale",
    "I": "Grayscale",
    "F": "Grayscale",
    "P": "Palette",
    "PA": "Palette",
    "RGB": "RGB",
    "RGBA": "RGB",
    "RGBX": "RGB",
    "RGBa": "RGB",
    "CMYK": "CMYK",
    "YCbCr": "YCbCr",
    "LAB": "Lab",
    "HSV": "HSV",
}
_EXIF_TEXT = {
    "make": ExifTags.Base.Make,
    "model": ExifTags.Base.Model,
    "lens": ExifTags.Base.LensModel,
    "software": ExifTags.Base.Software,
}
_EXIF_NUMBERS = {
    "exposure_time": ExifTags.Base.ExposureTime,
    "f_number": ExifTags.Base.FNumber,
    "focal_length": ExifTags.Base.FocalLength,
}


@contextlib.contextmanager
def _opened(file: BinaryIO, max_pixels: int) -> Iterator[Image.ImageFile.ImageFile]:
    """Open with the bomb limit at `max_pixels`; over it raises (over twice it, Pillow raises anyway)."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(file) as image:
            yield image


def header(file: BinaryIO, max_pixels: int) -> dict[str, Any]:
    """What the container header says, without decoding pixels.

    WebP, AVIF and HEIF plugins read the rest of the file on open (their libraries take a whole buffer): on a
    capped view of a larger file they raise, and the caller retries on the whole file.
    """
    with _opened(file, max_pixels) as image:
        exif = _exif(image)
        orientation = _orientation(exif)
        size = image.size
        turned = (size[1], size[0]) if orientation in _ROTATED else size
        (stored_width, stored_height), (width, height) = (
            (turned, size) if image.format in ORIENTED_ON_OPEN else (size, turned)
        )
        result: dict[str, Any] = {
            "format": image.format,
            "dimensions": {
                "width": width,
                "height": height,
                "stored_width": stored_width,
                "stored_height": stored_height,
                "orientation": orientation,
                "aspect_ratio": round(width / height, 4) if height else None,
            },
            "has_alpha": image.has_transparency_data,
            "color_space": _color_space(image.mode),
            "icc_profile": _icc_description(image.info.get("icc_profile")),
            "bit_depth": _bit_depth(image),
        }
        if image.format in HEADER_FRAME_FORMATS:
            frame_count = getattr(image, "n_frames", 1)
            result.update(animated=frame_count > 1, frame_count=frame_count)
        if exif is not None:
            if fields := _guarded(_exif_fields, exif):
                result["exif"] = fields
            if location := _guarded(_location, exif):
                result["location"] = location
        return result


def geometry(file: BinaryIO) -> dict[str, Any]:
    """Displayed width and height from the container boxes alone (imagesize), for `WHOLE_FILE_TYPES`."""
    info = imagesize.get_info(file, dpi=False, colors=False, channels=False)
    if info.width <= 0 or info.height <= 0:
        raise ValueError("no image size in the header")
    return {
        "dimensions": {
            "width": info.width,
            "height": info.height,
            "aspect_ratio": round(info.width / info.height, 4),
        }
    }


def details(file: BinaryIO, max_pixels: int, long_edge: int = 1024) -> tuple[dict[str, Any], Image.Image]:
    """Decode the first frame (JPEG at the smallest DCT scale still >= `long_edge`) and describe it.

    Returns the metadata and an sRGB, upright RGB/RGBA preview whose long edge is at most `long_edge`.
    `frame_count` is Pillow's `n_frames`: for GIF it walks the block structure without decoding (about 3 µs a
    frame), so it is linear in the file size, which the upload limit bounds; no cap is needed.
    """
    with _opened(file, max_pixels) as image:
        if image.format in ("JPEG", "MPO"):
            scale = long_edge / max(image.size)
            if scale < 1:
                image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.load()
        is_opaque = _is_opaque(image)
        preview = _preview(image, long_edge)
        frame_count = getattr(image, "n_frames", 1)
    palette = _palette(preview)
    metadata = {
        "is_opaque": is_opaque,
        "animated": frame_count > 1,
        "frame_count": frame_count,
        "lqip": _lqip(preview),
        "blurhash": _blurhash(preview),
        **({"palette": palette} if palette else {}),
    }
    return metadata, preview


def decoded(
    file: BinaryIO, max_pixels: int, scale_for: Callable[[tuple[int, int]], float]
) -> tuple[Image.Image, str | None]:
    """The first frame, upright, in sRGB, scaled by `scale_for(displayed size)` (never up), and the format: a
    JPEG is decoded at the smallest DCT scale that still covers it, so memory follows the output, not the source."""
    with _opened(file, max_pixels) as image:
        turned = image.size
        if _orientation(_exif(image)) in _ROTATED and image.format not in ORIENTED_ON_OPEN:
            turned = (image.height, image.width)
        scale = min(1.0, scale_for(turned))
        long_edge = max(1, math.ceil(max(image.size) * scale))
        if image.format in ("JPEG", "MPO") and scale < 1:
            image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.load()
        return _preview(image, long_edge), image.format


def fit(image: Image.Image, long_edge: int) -> Image.Image:
    """`image` scaled down so its long edge is at most `long_edge` (never up: then `image` itself)."""
    width, height = image.size
    scale = long_edge / max(width, height)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _guarded(read: Callable[[Image.Exif], _T], exif: Image.Exif) -> _T | None:
    """A hostile EXIF block can make Pillow raise anything: it then yields nothing, not a failed image."""
    try:
        return read(exif)
    except Exception:
        return None


def _exif(image: Image.Image) -> Image.Exif | None:
    """The base class's getexif: PNG's override decodes the whole image to look for an eXIf chunk after the pixels."""
    try:
        return Image.Image.getexif(image)
    except Exception:  # see _guarded
        return None


def _orientation(exif: Image.Exif | None) -> int:
    value = _guarded(lambda tags: tags.get(ExifTags.Base.Orientation, 1), exif) if exif is not None else 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _color_space(mode: str) -> str:
    """Pillow mode to colour model: 1/L/LA/I/F/I;16* -> Grayscale, P/PA -> Palette, RGB* -> RGB, CMYK, YCbCr, Lab.

    JPEGs decode to RGB, so their YCbCr storage shows as RGB; unknown modes are returned as they are.
    """
    return "Grayscale" if mode.startswith("I;16") else _COLOR_SPACES.get(mode, mode)


def _bit_depth(image: Image.Image) -> int:
    """Bits per channel: from the mode, or 16 when the decoder's raw mode is 16-bit (16-bit RGB PNG opens as RGB)."""
    if image.mode == "1":
        return 1
    if image.mode in ("I", "F"):
        return 32
    args = image.tile[0].args if image.tile else None
    raw_mode = args if isinstance(args, str) else args[0] if isinstance(args, tuple) and args else ""
    return 16 if image.mode.startswith("I;16") or ";16" in str(raw_mode) else 8


def _icc_description(data: bytes | None) -> str | None:
    if not data:
        return None
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data)))
    except Exception:  # a hostile profile can make littlecms fail in many ways
        return None
    return _text(description)


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip()[:TEXT_LIMIT] or None


def _number(value: Any) -> float | None:
    """A finite, non-negative EXIF number (rationals with a zero denominator are NaN in Pillow)."""
    if isinstance(value, tuple) and value:
        value = value[0]
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _timestamp(value: Any, offset: Any) -> str | None:
    text = _text(value)
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S") if text else None
    except ValueError:
        return None
    if moment is None:
        return None
    offset_text = _text(offset)
    if offset_text and _OFFSET.fullmatch(offset_text):
        moment = moment.replace(tzinfo=datetime.strptime(offset_text, "%z").tzinfo)
    return moment.isoformat()


def _exif_fields(exif: Image.Exif) -> dict[str, Any]:
    tags = {**dict(exif), **exif.get_ifd(ExifTags.IFD.Exif)}
    fields: dict[str, Any] = {key: _text(tags.get(tag)) for key, tag in _EXIF_TEXT.items()}
    fields["taken_at"] = _timestamp(
        tags.get(ExifTags.Base.DateTimeOriginal), tags.get(ExifTags.Base.OffsetTimeOriginal)
    ) or _timestamp(tags.get(ExifTags.Base.DateTime), tags.get(ExifTags.Base.OffsetTime))
    for key, tag in _EXIF_NUMBERS.items():
        number = _number(tags.get(tag))
        fields[key] = round(number, 6) if number is not None else None
    iso = _number(tags.get(ExifTags.Base.ISOSpeedRatings))
    fields["iso"] = int(iso) if iso is not None else None
    if ExifTags.Base.Orientation in tags:
        fields["orientation"] = _orientation(exif)
    return {key: value for key, value in fields.items() if value is not None}


def _coordinate(value: Any, ref: Any, refs: tuple[str, str], limit: float) -> float | None:
    """Degrees/minutes/seconds to signed decimal degrees; `refs` is (positive, negative)."""
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    parts = [_number(part) for part in value]
    direction = _text(ref)
    if None in parts or direction is None or direction.upper() not in refs:
        return None
    degrees, minutes, seconds = parts
    decimal = degrees + minutes / 60 + seconds / 3600
    if decimal > limit:
        return None
    return round(-decimal if direction.upper() == refs[1] else decimal, 7)


def _location(exif: Image.Exif) -> dict[str, float] | None:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = _coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), ("N", "S"), 90)
    lng = _coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), ("E", "W"), 180)
    if lat is None or lng is None:
        return None
    location = {"lat": lat, "lng": lng}
    altitude = _number(gps.get(ExifTags.GPS.GPSAltitude))
    if altitude is not None:
        below_sea_level = gps.get(ExifTags.GPS.GPSAltitudeRef) in (1, b"\x01")
        location["alt"] = round(-altitude if below_sea_level else altitude, 3)
    return location


def _is_opaque(image: Image.Image) -> bool:
    """Exact, on the full decoded frame: no alpha, or every alpha value is 255."""
    if not image.has_transparency_data:
        return True
    with_alpha = image if image.mode in ("RGBA", "LA", "PA") else image.convert("RGBA")
    return with_alpha.getchannel("A").getextrema()[0] == 255


def _preview(image: Image.Image, long_edge: int) -> Image.Image:
    """Scaled down, then converted to sRGB RGB/RGBA (through the embedded ICC profile when there is one), upright."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    orientation = _orientation(_exif(image))
    if image.mode.startswith("I;16"):
        image = image.point(lambda value: value / 256, "L")  # convert("L") would clip at 255 instead of scaling
    if image.mode not in (("LA", "RGBA") if mode == "RGBA" else ("L", "RGB", "CMYK")):
        image = image.convert(mode)
    preview = _to_srgb(fit(image, long_edge), mode)
    preview.info.clear()
    if orientation != 1:
        preview.getexif()[ExifTags.Base.Orientation] = orientation  # the source's, which may live in TIFF tags or XMP
        ImageOps.exif_transpose(preview, in_place=True)
    return preview


def _to_srgb(image: Image.Image, mode: str) -> Image.Image:
    """Through the embedded ICC profile; one unreadable or that littlecms can't pair with the mode is ignored."""
    if icc := image.info.get("icc_profile"):
        with contextlib.suppress(Exception):
            return ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode=mode)
    return image.convert(mode)


def _lqip(preview: Image.Image) -> str:
    buffer = io.BytesIO()
    fit(preview, LQIP_EDGE).save(buffer, "WEBP", quality=40)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _blurhash(preview: Image.Image) -> str:
    tiny = fit(preview, BLURHASH_EDGE).convert("RGB")
    pixels = list(tiny.get_flattened_data())
    width = tiny.width
    rows = [pixels[start : start + width] for start in range(0, len(pixels), width)]
    return blurhash.encode(rows, components_x=4, components_y=3)


def _palette(preview: Image.Image) -> dict[str, Any] | None:
    """Median-cut swatches of a small copy; transparent pixels are left out of the populations."""
    small = fit(preview, PALETTE_EDGE)
    quantized = small.convert("RGB").quantize(colors=SWATCHES, method=Image.Quantize.MEDIANCUT)
    counts = quantized.histogram(mask=small.getchannel("A") if small.mode == "RGBA" else None)
    total = sum(counts)
    if not total:
        return None
    entries = quantized.getpalette() or []
    ranked = sorted(((count, index) for index, count in enumerate(counts) if count), reverse=True)[:SWATCHES]
    swatches = [_swatch(entries[index * 3 : index * 3 + 3], count / total) for count, index in ranked]
    return {"dominant": swatches[0], "swatches": swatches}


def _swatch(rgb: list[int], population: float) -> dict[str, Any]:
    return {
        "hex": "#{:02x}{:02x}{:02x}".format(*rgb),
        "population": round(population, 4),
        "foreground": _foreground(rgb),
    }


def _foreground(rgb: list[int]) -> str:
    """White or black, whichever has the better WCAG 2 contrast ratio against `rgb`."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"
