from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from functions.services import images, renditions
from tests import files


def reopen(rendition: renditions.RenditionFile) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    assert image.format == "WEBP"
    assert image.size == (rendition.width, rendition.height)
    return image


def test_a_3000x2000_image_gives_1024x683_and_256x171() -> None:
    made = renditions.make(Image.new("RGB", (3000, 2000), (20, 120, 220)))

    assert [(file.name, file.width, file.height, file.content_type) for file in made] == [
        ("large", 1024, 683, "image/webp"),
        ("small", 256, 171, "image/webp"),
    ]
    for file in made:
        assert reopen(file).getpixel((5, 5)) == pytest.approx((20, 120, 220), abs=6)


def test_a_portrait_image_is_bounded_by_its_height() -> None:
    made = {file.name: file for file in renditions.make(Image.new("RGB", (500, 2000)))}

    assert (made["large"].width, made["large"].height) == (256, 1024)
    assert (made["small"].width, made["small"].height) == (64, 256)


def test_small_images_are_never_upscaled() -> None:
    made = renditions.make(Image.new("RGB", (100, 60)))

    assert {(file.name, file.width, file.height) for file in made} == {("large", 100, 60), ("small", 100, 60)}


def test_renditions_carry_no_exif_xmp_or_gps() -> None:
    metadata_source = Image.open(io.BytesIO(files.camera_jpeg()))
    image = Image.new("RGB", (1200, 900), (200, 40, 40))
    image.info.update(metadata_source.info, xmp=b"<x:xmpmeta>secret</x:xmpmeta>")
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    for file in renditions.make(image):
        reopened = reopen(file)
        assert not reopened.getexif()
        assert not {"exif", "xmp", "icc_profile"} & reopened.info.keys()
        assert b"Canon" not in file.data
        assert b"secret" not in file.data


def test_alpha_is_kept() -> None:
    image = Image.new("RGBA", (40, 40), (0, 0, 255, 0))
    image.paste((0, 0, 255, 255), (0, 0, 20, 40))

    for file in renditions.make(image):
        reopened = reopen(file)
        assert reopened.mode == "RGBA"
        assert reopened.getpixel((35, 20))[3] == 0
        assert reopened.getpixel((5, 20))[3] == 255


def test_details_preview_feeds_renditions_end_to_end() -> None:
    _, preview = images.details(io.BytesIO(files.noise()), 50_000_000)

    made = renditions.make(preview)

    assert [(file.width, file.height) for file in made] == [(1024, 1024), (256, 256)]
