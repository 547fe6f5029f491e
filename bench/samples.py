"""Deterministic sample files for `bench.processing`, generated at bench start (nothing is committed).

Pixels come from libvips' seeded Gaussian noise at four scales (large soft blobs, mid-size detail, fine texture,
sensor-like grain), so every encoder sees photo-like statistics and file sizes are realistic (a 24 MP JPEG at
quality 90 is several MB), and the same seed gives the same bytes on every run. One 50 MP frame is generated and
the smaller images are crops of it. PDFs are written by hand: a ~100 MiB one whose pages each hold a full-page,
incompressible JPEG scan plus a line of text, and a small text-only one.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
SEED = 20250101
PDF_TARGET_BYTES = 100 * MIB - 256 * 1024
"""Just under `Settings.max_upload_bytes` (100 MiB), the largest PDF an upload can be."""
QUICK_PDF_BYTES = 8 * MIB
QUICK_SCALE = 4
"""`--quick` divides every image edge by this (pixel counts by its square)."""


@dataclass
class Sample:
    name: str
    content_type: str
    format: str
    width: int
    height: int
    path: Path
    bytes: int = 0
    raster: bool = True
    """Pillow and libvips can both thumbnail it (the naive and vips pipelines run on it)."""
    frames: int = 1
    pages: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"bench/{self.name}"

    def describe(self) -> dict[str, Any]:
        described = asdict(self)
        described.pop("path")
        described.update(key=self.key, megapixels=round(self.width * self.height / 1e6, 2) if self.width else None)
        return described


def photo(width: int, height: int, seed: int = SEED) -> Any:
    """An RGB PIL image with photo-like content: noise at four scales, upscaled with a cubic kernel, summed."""
    import pyvips
    from PIL import Image

    def layer(divisor: int, sigma: float, layer_seed: int) -> Any:
        w, h = max(2, width // divisor), max(2, height // divisor)
        bands = [pyvips.Image.gaussnoise(w, h, sigma=sigma, mean=0, seed=layer_seed * 10 + b) for b in range(3)]
        image = bands[0].bandjoin(bands[1:])
        if divisor == 1:
            return image
        return image.resize(width / w, vscale=height / h, kernel="cubic").crop(0, 0, width, height)

    image = layer(300, 90, seed) + layer(40, 35, seed + 1) + layer(6, 12, seed + 2) + layer(1, 5, seed + 3) + 128
    image = image.cast("uchar")
    return Image.frombytes("RGB", (image.width, image.height), image.write_to_memory())


def _exif(orientation: int, with_gps: bool) -> Any:
    from PIL import ExifTags, Image
    from PIL.TiffImagePlugin import IFDRational

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchCam"
    exif[ExifTags.Base.Model] = "BC-24"
    exif[ExifTags.Base.Software] = "bench.samples"
    exif[ExifTags.Base.DateTime] = "2025:01:01 12:00:00"
    exif[ExifTags.Base.Orientation] = orientation
    if with_gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (IFDRational(48), IFDRational(51), IFDRational(2988, 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (IFDRational(2), IFDRational(17), IFDRational(402, 10)),
            ExifTags.GPS.GPSAltitudeRef: b"\x00",
            ExifTags.GPS.GPSAltitude: IFDRational(35),
        }
    return exif


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def write_pdf(path: Path, pages: list[tuple[bytes | None, tuple[int, int], list[str]]], title: str) -> None:
    """A PDF 1.4 whose page i shows `pages[i]`: an optional full-page JPEG (bytes, pixel size) and lines of text.

    Objects: 1 catalog, 2 page tree, 3 Helvetica, 4 info, then page, content stream and image for each page,
    in file order, so a page's objects sit next to its image as in a scanned document.
    """
    page_w, page_h = 595, 842  # A4 in points
    offsets: dict[int, int] = {}
    count = 4 + 3 * len(pages)
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

        def obj(number: int, body: bytes, stream: bytes | None = None) -> None:
            offsets[number] = out.tell()
            out.write(f"{number} 0 obj\n".encode() + body)
            if stream is not None:
                out.write(b"\nstream\n" + stream + b"\nendstream")
            out.write(b"\nendobj\n")

        kids = " ".join(f"{5 + 3 * i} 0 R" for i in range(len(pages)))
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, f"<< /Type /Pages /Count {len(pages)} /Kids [{kids}] >>".encode())
        obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        info = f"<< /Title {_pdf_string(title)} /Author (bench) /CreationDate (D:20250101120000Z) >>"
        obj(4, info.encode())
        for i, (jpeg, (width, height), lines) in enumerate(pages):
            page, contents, image = 5 + 3 * i, 6 + 3 * i, 7 + 3 * i
            resources = f"/Font << /F1 3 0 R >> /XObject << /Im0 {image} 0 R >>" if jpeg else "/Font << /F1 3 0 R >>"
            obj(
                page,
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w} {page_h}] "
                f"/Resources << {resources} >> /Contents {contents} 0 R >>".encode(),
            )
            ops = [f"q {page_w} 0 0 {page_h} 0 0 cm /Im0 Do Q"] if jpeg else []
            ops.append(f"BT /F1 11 Tf 14 TL 50 {page_h - 50} Td")
            ops.extend(f"{_pdf_string(line)} Tj T*" for line in lines)
            ops.append("ET")
            content = "\n".join(ops).encode("latin-1")
            obj(contents, f"<< /Length {len(content)} >>".encode(), content)
            if jpeg:
                obj(
                    image,
                    f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB "
                    f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>".encode(),
                    jpeg,
                )
            else:
                obj(image, b"null")
        xref = out.tell()
        out.write(f"xref\n0 {count + 1}\n0000000000 65535 f \n".encode())
        out.write(b"".join(f"{offsets[n]:010d} 00000 n \n".encode() for n in range(1, count + 1)))
        out.write(f"trailer\n<< /Size {count + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())


TEXT = (
    "the quick brown fox jumps over the lazy dog while a serverless asset backend inspects every upload "
    "reading headers with ranged requests and streaming the rest once"
)


def _text_lines(page: int, count: int) -> list[str]:
    return [f"Page {page + 1}, line {n + 1}: " + " ".join(TEXT.split(" ")[(page + n) % 7 :][:12]) for n in range(count)]


def generate(directory: Path, quick: bool = False) -> list[Sample]:
    """Write every sample into `directory`; returns them with their sizes filled in."""
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    div = QUICK_SCALE if quick else 1
    big_w, big_h = 8660 // div, 5773 // div
    base = photo(big_w, big_h)
    samples: list[Sample] = []

    def crop(width: int, height: int) -> Any:
        return base.crop((0, 0, width, height))

    def add(sample: Sample, save: Any) -> None:
        save(sample.path)
        sample.bytes = sample.path.stat().st_size
        samples.append(sample)

    w24, h24 = 6000 // div, 4000 // div
    w12, h12 = 4000 // div, 3000 // div

    jpeg24 = Sample("jpeg_24mp", "image/jpeg", "JPEG", w24, h24, directory / "jpeg_24mp.jpg")
    jpeg24.notes.append("quality 90, EXIF orientation 6 (stored landscape, shown portrait), GPS, camera tags")
    add(jpeg24, lambda p: crop(w24, h24).save(p, "JPEG", quality=90, exif=_exif(6, with_gps=True)))

    jpeg50 = Sample("jpeg_50mp", "image/jpeg", "JPEG", big_w, big_h, directory / "jpeg_50mp.jpg")
    jpeg50.notes.append("quality 90, EXIF orientation 1")
    add(jpeg50, lambda p: base.save(p, "JPEG", quality=90, exif=_exif(1, with_gps=False)))

    def rgba(image: Any) -> Any:
        alpha = Image.linear_gradient("L").resize(image.size).point(lambda v: 255 if v > 96 else 64 + v * 2)
        converted = image.convert("RGBA")
        converted.putalpha(alpha)
        return converted

    png = Sample("png_12mp", "image/png", "PNG", w12, h12, directory / "png_12mp.png")
    png.notes.append("RGBA, alpha gradient, zlib level 6 (Pillow's default)")
    add(png, lambda p: rgba(crop(w12, h12)).save(p, "PNG"))

    webp = Sample("webp_12mp", "image/webp", "WEBP", w12, h12, directory / "webp_12mp.webp")
    webp.notes.append("lossy, quality 80")
    add(webp, lambda p: crop(w12, h12).save(p, "WEBP", quality=80))

    heic = Sample("heic_12mp", "image/heic", "HEIF", w12, h12, directory / "heic_12mp.heic")
    heic.notes.append("x265 preset ultrafast (the default preset takes ~25 s to encode 12 MP here), quality 80")
    add(heic, lambda p: crop(w12, h12).save(p, "HEIF", quality=80, enc_params={"preset": "ultrafast"}))

    tiff = Sample("tiff_12mp", "image/tiff", "TIFF", w12, h12, directory / "tiff_12mp.tif")
    tiff.notes.append("RGB, uncompressed strips (as scanners write them)")
    add(tiff, lambda p: crop(w12, h12).save(p, "TIFF"))

    gif_w, gif_h, frames = 1200 // div, 800 // div, 8
    gif = Sample("gif_anim", "image/gif", "GIF", gif_w, gif_h, directory / "gif_anim.gif", frames=frames)
    gif.notes.append(f"{frames} frames, adaptive palette per frame")

    def save_gif(p: Path) -> None:
        shots = [
            base.crop((i * 40, i * 25, i * 40 + gif_w, i * 25 + gif_h)).quantize(colors=256) for i in range(frames)
        ]
        shots[0].save(p, "GIF", save_all=True, append_images=shots[1:], duration=100, loop=0)

    add(gif, save_gif)

    # A full-page scan: an A4 crop at ~300 dpi (quick: ~75 dpi), quality 95 so it is nearly incompressible.
    scan_w, scan_h = 2480 // div, 3508 // div
    scans = []
    for i in range(4):
        shot = base.crop((i * 300 // div, 0, i * 300 // div + scan_w, scan_h)).transpose(Image.Transpose.ROTATE_180)
        buffer = io.BytesIO()
        shot.save(buffer, "JPEG", quality=95)
        scans.append(buffer.getvalue())
    per_page = sum(len(s) for s in scans) / len(scans) + 600
    target = QUICK_PDF_BYTES if quick else PDF_TARGET_BYTES
    page_count = max(1, int(target // per_page))
    pdf = Sample("pdf_100mb", "application/pdf", "PDF", scan_w, scan_h, directory / "pdf_100mb.pdf", raster=False)
    pdf.pages = page_count
    pdf.notes.append(
        f"{page_count} A4 pages, each a {scan_w}x{scan_h} JPEG scan (quality 95) plus a line of text; "
        f"width/height are the scan's pixels" + ("; --quick: ~8 MiB" if quick else "")
    )
    add(
        pdf,
        lambda p: write_pdf(
            p,
            [(scans[i % len(scans)], (scan_w, scan_h), _text_lines(i, 1)) for i in range(page_count)],
            "Bench scanned document",
        ),
    )

    text_pages = 20
    text = Sample("pdf_text", "application/pdf", "PDF", 0, 0, directory / "pdf_text.pdf", raster=False)
    text.pages = text_pages
    text.notes.append(f"{text_pages} pages of text, no images")
    add(text, lambda p: write_pdf(p, [(None, (0, 0), _text_lines(i, 50)) for i in range(text_pages)], "Bench text"))
    return samples
