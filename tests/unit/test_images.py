from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from PIL import ExifTags, Image, ImageCms, TiffImagePlugin

from functions.services import images
from tests import files

MAX_PIXELS = 50_000_000
CAP = 256 * 1024


class CappedReader(io.RawIOBase):
    """A seekable view of `data` that ends at `cap` bytes and counts how many bytes were read."""

    def __init__(self, data: bytes, cap: int) -> None:
        self._data = io.BytesIO(data[:cap])
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.bytes_read += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._data.seek(offset, whence)

    def tell(self) -> int:
        return self._data.tell()


def header(data: bytes, max_pixels: int = MAX_PIXELS) -> dict[str, Any]:
    return images.header(io.BytesIO(data), max_pixels)


def details(data: bytes, long_edge: int = 1024) -> tuple[dict[str, Any], Image.Image]:
    return images.details(io.BytesIO(data), MAX_PIXELS, long_edge)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_header_applies_every_exif_orientation_to_the_displayed_size(orientation: int) -> None:
    dimensions = header(files.jpeg(64, 32, orientation=orientation))["dimensions"]

    rotated = orientation >= 5
    assert dimensions == {
        "width": 32 if rotated else 64,
        "height": 64 if rotated else 32,
        "stored_width": 64,
        "stored_height": 32,
        "orientation": orientation,
        "aspect_ratio": 0.5 if rotated else 2.0,
    }


@pytest.mark.parametrize("orientation", [0, 9, 300])
def test_an_invalid_orientation_counts_as_upright(orientation: int) -> None:
    dimensions = header(files.jpeg(64, 32, orientation=orientation))["dimensions"]

    assert (dimensions["width"], dimensions["orientation"]) == (64, 1)


def test_header_normalizes_camera_exif_and_keeps_gps_apart() -> None:
    result = header(files.camera_jpeg())

    assert result["format"] == "JPEG"
    assert result["exif"] == {
        "make": "Canon",
        "model": "Canon EOS R5",
        "lens": "RF24-105mm F4 L IS USM",
        "software": "Firmware 1.8.1",
        "taken_at": "2023-07-14T18:30:15+02:00",
        "exposure_time": 0.004,
        "f_number": 2.8,
        "iso": 400,
        "focal_length": 50.0,
        "orientation": 1,
    }
    location = result["location"]
    assert location["lat"] == pytest.approx(files.GPS_LAT, abs=1e-4)
    assert location["lng"] == pytest.approx(files.GPS_LNG, abs=1e-4)
    assert location["alt"] == pytest.approx(files.GPS_ALT, abs=1e-4)


def test_header_without_exif_has_neither_exif_nor_location() -> None:
    result = header(files.png())

    assert "exif" not in result
    assert "location" not in result


@pytest.mark.parametrize(("zero_denominator", "latitude"), [(False, (91, 0, 0)), (True, (10, 0, 0)), (False, (10, 0))])
def test_invalid_gps_gives_no_location(zero_denominator: bool, latitude: tuple[int, ...]) -> None:
    image = Image.open(io.BytesIO(files.camera_jpeg()))
    exif = image.getexif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitude] = tuple(TiffImagePlugin.IFDRational(part, 1) for part in latitude)
    if zero_denominator:
        gps[ExifTags.GPS.GPSLongitude] = (TiffImagePlugin.IFDRational(1, 0),) * 3
    data = io.BytesIO()
    image.save(data, "JPEG", exif=exif)

    result = header(data.getvalue())

    assert "location" not in result
    assert result["exif"]["make"] == "Canon"


def test_a_huge_exif_block_is_read() -> None:
    assert header(files.huge_exif_jpeg())["exif"] == {"make": "Big"}


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_garbage_exif_means_no_exif_not_a_failed_image() -> None:
    result = header(files.garbage_exif_jpeg())
    metadata, preview = details(files.garbage_exif_jpeg())

    assert "exif" not in result
    assert result["dimensions"]["width"] == 20
    assert metadata["is_opaque"] is True
    assert preview.size == (20, 10)


@pytest.mark.parametrize(
    ("maker", "expected"),
    [
        (files.cmyk_jpeg, {"format": "JPEG", "color_space": "CMYK", "bit_depth": 8, "has_alpha": False}),
        (files.png16, {"format": "PNG", "color_space": "Grayscale", "bit_depth": 16, "has_alpha": False}),
        (files.palette_png, {"format": "PNG", "color_space": "Palette", "bit_depth": 8, "has_alpha": True}),
        (files.png, {"format": "PNG", "color_space": "RGB", "has_alpha": True, "frame_count": 1}),
        (files.heic, {"format": "HEIF", "color_space": "RGB", "has_alpha": False, "frame_count": 1}),
        (files.avif, {"format": "AVIF", "color_space": "RGB", "has_alpha": True, "frame_count": 1}),
        (files.tiff, {"format": "TIFF", "color_space": "RGB", "has_alpha": False}),
        (files.bmp, {"format": "BMP", "color_space": "RGB", "has_alpha": False, "animated": False}),
        (files.animated_webp, {"format": "WEBP", "animated": True, "frame_count": 3}),
    ],
)
def test_header_describes_each_format(maker: Any, expected: dict[str, Any]) -> None:
    result = header(maker())

    assert {key: result.get(key) for key in expected} == expected
    assert result["icc_profile"] is None


def test_header_leaves_gif_frames_to_details() -> None:
    result = header(files.animated_gif())

    assert result["format"] == "GIF"
    assert "frame_count" not in result


@pytest.mark.parametrize(
    ("icc", "description"),
    [(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(), "sRGB built-in"), (b"garbage" * 30, None)],
)
def test_icc_profile_description_and_conversion(icc: bytes, description: str | None) -> None:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 100, 200)).save(data, "PNG", icc_profile=icc)

    result = header(data.getvalue())
    _, preview = details(data.getvalue())

    assert result["icc_profile"] == description
    assert preview.getpixel((0, 0)) == pytest.approx((10, 100, 200), abs=2)
    assert "icc_profile" not in preview.info


@pytest.mark.parametrize(("image_format", "side"), [("JPEG", 1500), ("PNG", 600), ("TIFF", 600)])
def test_header_of_a_capped_view_of_a_large_file_reads_only_the_header(image_format: str, side: int) -> None:
    data = files.noise(image_format, side)
    reader = CappedReader(data, CAP)

    result = images.header(io.BufferedReader(reader, 8192), MAX_PIXELS)

    assert len(data) > CAP
    dimensions = result["dimensions"]
    assert (result["format"], dimensions["width"], dimensions["height"]) == (image_format, side, side)
    assert 0 < reader.bytes_read < CAP


def test_header_of_a_capped_view_of_a_large_webp_raises_so_the_caller_retries_on_the_whole_file() -> None:
    data = files.noise("WEBP", 800)

    with pytest.raises(OSError, match="decoder"):
        images.header(io.BufferedReader(CappedReader(data, CAP), 8192), MAX_PIXELS)
    assert len(data) > CAP
    assert header(data)["dimensions"]["width"] == 800


def test_decompression_bombs_are_refused_before_decoding() -> None:
    bomb = files.bomb_png()

    with pytest.raises(Image.DecompressionBombError):
        header(bomb, max_pixels=1_000_000)
    with pytest.raises(Image.DecompressionBombWarning):
        images.details(io.BytesIO(bomb), 20_000_000)


def test_details_of_an_opaque_jpeg() -> None:
    metadata, preview = details(files.jpeg(300, 200))

    assert metadata["is_opaque"] is True
    assert (metadata["animated"], metadata["frame_count"]) == (False, 1)
    assert (preview.mode, preview.size) == ("RGB", (300, 200))
    assert not preview.info


def test_details_preview_is_upright_and_bounded_by_the_long_edge() -> None:
    metadata, preview = details(files.jpeg(640, 320, orientation=6), long_edge=100)

    assert preview.size == (50, 100)
    assert metadata["is_opaque"] is True


def test_a_tiff_orientation_tag_turns_header_dimensions_and_preview() -> None:
    result = header(files.tiff(orientation=8))
    _, preview = details(files.tiff(orientation=8))

    assert result["dimensions"] == {
        "width": 20,
        "height": 30,
        "stored_width": 30,
        "stored_height": 20,
        "orientation": 8,
        "aspect_ratio": 0.6667,
    }
    assert preview.size == (20, 30)


def test_details_decodes_a_large_jpeg_at_a_reduced_dct_scale() -> None:
    _, preview = details(files.noise(), long_edge=256)

    assert preview.size == (256, 256)


@pytest.mark.parametrize(("alpha", "opaque"), [(255, True), (254, False), (0, False)])
def test_is_opaque_is_exact_on_the_alpha_channel(alpha: int, opaque: bool) -> None:
    metadata, preview = details(files.rgba_png(alpha))

    assert metadata["is_opaque"] is opaque
    assert preview.mode == "RGBA"


def test_a_palette_png_with_transparency_gives_an_rgba_preview() -> None:
    metadata, preview = details(files.palette_png())

    assert metadata["is_opaque"] is False
    assert preview.mode == "RGBA"
    assert preview.getpixel((0, 0))[3] == 0
    assert preview.getpixel((15, 5)) == (250, 200, 0, 255)
    assert metadata["palette"]["dominant"]["hex"] == "#fac800"
    assert metadata["palette"]["dominant"]["population"] == 1.0


def test_cmyk_and_16_bit_previews_are_8_bit_rgb() -> None:
    _, cmyk = details(files.cmyk_jpeg())
    _, grey = details(files.png16())

    assert cmyk.mode == grey.mode == "RGB"
    assert cmyk.getpixel((5, 5)) == pytest.approx((237, 28, 36), abs=40)
    assert grey.getpixel((0, 0)) == (192, 192, 192)


@pytest.mark.parametrize(("maker", "frames"), [(files.animated_gif, 3), (files.animated_webp, 3), (files.tiff, 1)])
def test_details_counts_frames(maker: Any, frames: int) -> None:
    metadata, preview = details(maker())

    assert (metadata["animated"], metadata["frame_count"]) == (frames > 1, frames)
    assert preview.getpixel((0, 0))[:3] == ((255, 0, 0) if frames > 1 else (90, 90, 90))


def test_a_gif_with_thousands_of_frames_is_counted_without_decoding_them() -> None:
    metadata, _ = details(files.animated_gif(2000))

    assert metadata["frame_count"] == 2000


@pytest.mark.parametrize("maker", [files.heic, files.avif])
def test_heic_and_avif_decode(maker: Any) -> None:
    metadata, preview = details(maker())

    assert preview.size == (48, 32)
    assert preview.getpixel((10, 10))[:3] == pytest.approx((0, 160, 80), abs=12)
    assert metadata["palette"]["swatches"]


def test_lqip_blurhash_and_palette_of_a_one_colour_image() -> None:
    metadata, _ = details(files.jpeg(640, 480))

    lqip = metadata["lqip"]
    assert lqip.startswith("data:image/webp;base64,")
    assert len(lqip) < 1024
    tiny = Image.open(io.BytesIO(base64.b64decode(lqip.split(",", 1)[1])))
    assert max(tiny.size) == images.LQIP_EDGE
    assert len(metadata["blurhash"]) == 4 + 2 * 4 * 3
    assert re.fullmatch(r"[0-9A-Za-z#$%*+,\-.:;=?@\[\]^_{|}~]+", metadata["blurhash"])
    dominant = metadata["palette"]["dominant"]
    assert tuple(bytes.fromhex(dominant["hex"][1:])) == pytest.approx((200, 40, 40), abs=4)
    assert dominant["population"] == 1.0
    assert dominant["foreground"] == "#ffffff"


def test_palette_ranks_up_to_six_swatches_with_readable_foregrounds() -> None:
    image = Image.new("RGB", (80, 10), "white")
    colours = [(0, 0, 0), (255, 255, 0), (0, 0, 255), (255, 0, 0), (0, 128, 0), (128, 128, 128), (255, 0, 255)]
    for index, colour in enumerate(colours):
        image.paste(colour, (index * 10, 0, index * 10 + 10, 10))
    data = io.BytesIO()
    image.save(data, "PNG")

    palette = details(data.getvalue())[0]["palette"]

    swatches = palette["swatches"]
    assert len(swatches) <= images.SWATCHES
    assert palette["dominant"] == swatches[0]
    assert sum(swatch["population"] for swatch in swatches) == pytest.approx(1.0, abs=1e-3)
    foregrounds = {swatch["hex"]: swatch["foreground"] for swatch in swatches}
    assert foregrounds.get("#000000", "#ffffff") == "#ffffff"
    assert foregrounds.get("#ffff00", "#000000") == "#000000"
