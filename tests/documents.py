"""PDFs made on the fly for tests (text, encrypted, image-heavy, damaged, broken) and a counting reader."""

from __future__ import annotations

import io
import os
import re
from typing import Any

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

LETTER = (612, 792)
TITLE = "Quarterly Report"
AUTHOR = "Ada Lovelace"
CREATED = "D:20240102030405+01'00'"


def _font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )


def text_pdf(pages: list[str], size: tuple[float, float] = LETTER, **encrypt: str) -> bytes:
    """One page per string, each drawn in Helvetica; `encrypt` goes to `PdfWriter.encrypt` (RC4, no extra deps)."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(*size)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 36 {size[1] - 48} Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): _font()})}
        )
        page.replace_contents(content)
    writer.add_metadata({"/Title": TITLE, "/Author": AUTHOR, "/CreationDate": CREATED, "/ModDate": "D:2024"})
    if encrypt:
        writer.encrypt(algorithm="RC4-128", **encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_pdf(big_pages: int = 3, side: int = 1000) -> bytes:
    """A small first page followed by pages of incompressible noise (~1.5 MB each): no text layer."""
    first = Image.new("RGB", (200, 100), (30, 120, 200))
    noise = [Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)) for _ in range(big_pages)]
    buffer = io.BytesIO()
    first.save(buffer, "PDF", save_all=True, append_images=noise, resolution=72.0, quality=95)
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    data = text_pdf(["one", "two", "three"])
    return data[: len(data) // 2]


def damaged_trailer_pdf(catalog: bytes = b"99 0 R") -> bytes:
    """Intact pages behind a trailer whose /Root names no catalog (a missing object by default). PDFium refuses it;
    a structural parser finds the catalog by scanning the objects."""
    return re.sub(rb"/Root \d+ 0 R", b"/Root " + catalog, text_pdf(["one two", "three", "four"]))


def garbage_pdf() -> bytes:
    return b"%PDF-1.7\n" + os.urandom(4096)


class CountingReader(io.BytesIO):
    """A seekable file that counts the bytes handed out, standing in for the lazy S3 object."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.size = len(data)
        self.bytes_read = 0
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        self.reads += 1
        return chunk

    def readinto(self, buffer: Any) -> int:
        count = super().readinto(buffer)
        self.bytes_read += count
        self.reads += 1
        return count
