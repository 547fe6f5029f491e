"""The zip writer of exports: stdlib zipfile into parts, suspended and resumed, ZIP64 when needed."""

from __future__ import annotations

import gc
import io
import json
import os
import struct
import zipfile

from functions.services import zipstream

PART = 64 * 1024


class Parts:
    """An in-memory multipart upload: part number -> bytes."""

    def __init__(self) -> None:
        self.parts: dict[int, bytes] = {}

    def send(self, number: int, data: bytes) -> str:
        self.parts[number] = bytes(data)
        return f'"etag-{number}"'

    def joined(self, etags: list[str]) -> bytes:
        assert etags == [f'"etag-{n}"' for n in range(1, len(etags) + 1)]
        return b"".join(self.parts[n] for n in range(1, len(etags) + 1))


def _entries(archive: zipfile.ZipFile, contents: dict[str, bytes]) -> None:
    for name, data in contents.items():
        info = zipfile.ZipInfo(name, (2026, 1, 2, 3, 4, 6))
        info.file_size = len(data)
        info.compress_type = zipfile.ZIP_DEFLATED if name.endswith(".txt") else zipfile.ZIP_STORED
        with archive.open(info, "w") as target:
            for start in range(0, len(data), 10_000):
                target.write(data[start : start + 10_000])


def _suspended(parts: Parts, writer: zipstream.PartWriter, archive: zipfile.ZipFile) -> dict:
    """What a run keeps, through JSON as the state file holds it."""
    zipstream.suspend(archive)
    state = {
        "offset": writer.offset,
        "etags": writer.sent(),
        "carry": writer.unsent().hex(),
        "entries": [zipstream.saved(info) for info in archive.filelist],
    }
    return json.loads(json.dumps(state))


def _resumed(parts: Parts, state: dict) -> tuple[zipstream.PartWriter, zipfile.ZipFile]:
    writer = zipstream.PartWriter(
        parts.send, PART, offset=state["offset"], etags=state["etags"], carry=bytes.fromhex(state["carry"])
    )
    return writer, zipstream.resume(writer, map(zipstream.restored, state["entries"]))


def test_parts_are_at_least_the_part_size_but_the_last_and_make_the_zip() -> None:
    parts = Parts()
    writer = zipstream.PartWriter(parts.send, PART)
    contents = {"a.bin": os.urandom(150_000), "b.txt": b"text " * 40_000, "c.bin": os.urandom(10)}
    with zipstream.resume(writer) as archive:
        _entries(archive, contents)
    etags = writer.finish()
    sizes = [len(parts.parts[n]) for n in range(1, len(etags) + 1)]
    assert len(sizes) > 2
    assert all(size >= PART for size in sizes[:-1])
    data = parts.joined(etags)
    assert writer.tell() == len(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert {name: archive.read(name) for name in archive.namelist()} == contents
    assert all(info.flag_bits & 0x08 for info in archive.infolist())  # data descriptors: nothing rewritten


def test_a_suspended_zip_resumes_in_another_writer_with_its_central_directory() -> None:
    parts = Parts()
    first = {f"first/{n}.bin": os.urandom(30_000 + n) for n in range(5)}
    second = {f"second/{n}.txt": f"line {n}\n".encode() * 3000 for n in range(5)}
    writer = zipstream.PartWriter(parts.send, PART)
    archive = zipstream.resume(writer)
    _entries(archive, first)
    state = _suspended(parts, writer, archive)
    del archive
    gc.collect()  # a collected ZipFile closes itself: a suspended one writes nothing then
    assert writer.offset == state["offset"]
    assert b"PK\x05\x06" not in parts.joined(state["etags"]) + writer.unsent()  # no end record
    assert 0 < len(state["carry"]) // 2 < PART

    writer, archive = _resumed(parts, state)
    assert archive.start_dir == state["offset"]
    _entries(archive, second)
    archive.close()
    data = parts.joined(writer.finish())

    read = zipfile.ZipFile(io.BytesIO(data))
    assert read.testzip() is None
    assert read.namelist() == [*first, *second]
    assert {name: read.read(name) for name in read.namelist()} == first | second
    assert [info.CRC for info in read.infolist()] == [zipfile.crc32(v) for v in (first | second).values()]


def test_more_than_65535_entries_across_a_resume_are_zip64() -> None:
    parts = Parts()
    writer = zipstream.PartWriter(parts.send, PART)
    archive = zipstream.resume(writer)
    count = 70_000
    for n in range(40_000):
        archive.writestr(f"{n}.txt", b"x")
    state = _suspended(parts, writer, archive)
    writer, archive = _resumed(parts, state)
    for n in range(40_000, count):
        archive.writestr(f"{n}.txt", b"x")
    archive.close()
    data = parts.joined(writer.finish())

    assert b"PK\x06\x06" in data[-200:]  # the ZIP64 end of central directory record
    assert struct.unpack("<H", data[-12:-10])[0] == 0xFFFF  # the classic record says "see ZIP64"
    read = zipfile.ZipFile(io.BytesIO(data))
    assert len(read.infolist()) == count
    assert read.read("0.txt") == read.read(f"{count - 1}.txt") == b"x"
    assert read.testzip() is None


def test_an_entry_that_may_pass_4_gib_is_written_as_zip64() -> None:
    parts = Parts()
    writer = zipstream.PartWriter(parts.send, PART)
    with zipstream.resume(writer) as archive:
        info = zipfile.ZipInfo("big.bin", (2026, 1, 1, 0, 0, 0))
        with archive.open(info, "w", force_zip64=True) as target:  # what a file_size over 4 GiB decides
            target.write(b"payload")
    data = parts.joined(writer.finish())
    header_extra = struct.unpack("<H", data[28:30])[0]
    assert header_extra == 20  # the local header's ZIP64 extra field (id, size, two 8-byte sizes)
    assert struct.unpack("<H", data[30 + len("big.bin") : 32 + len("big.bin")])[0] == 0x0001
    read = zipfile.ZipFile(io.BytesIO(data))
    assert read.read("big.bin") == b"payload"
    assert read.testzip() is None


def test_an_empty_zip_is_one_part() -> None:
    parts = Parts()
    writer = zipstream.PartWriter(parts.send, PART)
    zipstream.resume(writer).close()
    etags = writer.finish()
    assert len(etags) == 1
    assert zipfile.ZipFile(io.BytesIO(parts.joined(etags))).namelist() == []
