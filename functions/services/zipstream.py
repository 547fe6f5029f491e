"""A zip written by the stdlib's `zipfile` straight into an S3 multipart upload, and carried over between runs.

`PartWriter` is the file `zipfile.ZipFile` writes to: write-only and not seekable, so every entry gets a data
descriptor (sizes and CRC after the data) and nothing is ever rewritten; `tell()` is the absolute offset in the
zip, which the central directory records. Whenever a part's worth is buffered it goes to S3 as the next part, on a
thread of its own while the next part fills, so memory holds at most two parts (and a chunk) whatever the zip's
size; nothing touches /tmp.

A run that must stop leaves the archive between two entries with `suspend` (no central directory written), and
keeps what the next run needs: the upload's ETags, the offset, the bytes not yet sent (under a part, which S3
refuses but as the last) and every finished entry's `ZipInfo` (`saved`), from which `resume` rebuilds the
central directory. Only `ZipFile.filelist`, `NameToInfo`, `start_dir` and `fp` and public `ZipInfo` attributes
are touched: they are the same in Python 3.11 to 3.13.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

SAVED_FIELDS = (
    "compress_type",
    "flag_bits",
    "CRC",
    "compress_size",
    "file_size",
    "header_offset",
    "external_attr",
    "create_system",
    "create_version",
    "extract_version",
)
"""What the central directory needs of an entry, besides its name and time."""

SendPart = Callable[[int, bytes], str]
"""Upload part `number` (from 1) with these bytes; its ETag."""


class PartWriter(io.RawIOBase):
    """Write-only, non-seekable: what is written goes to S3 in parts of at least `part_bytes` (the last may be
    smaller), one part sent while the next fills; `tell()` counts from the zip's first byte, across runs. `close`
    it when done (it waits for the part in flight)."""

    def __init__(
        self, send: SendPart, part_bytes: int, *, offset: int = 0, etags: Iterable[str] = (), carry: bytes = b""
    ):
        super().__init__()
        self._send = send
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parts")
        self._in_flight: Future[str] | None = None
        self.part_bytes = part_bytes
        self.offset = offset
        self.etags = list(etags)
        self._unsent = [carry] if carry else []
        self._unsent_bytes = len(carry)

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.offset

    def write(self, data: Any) -> int:
        chunk = bytes(data)  # zipfile writes a header, or a chunk of an entry (at most a MiB) at a time
        self._unsent.append(chunk)
        self._unsent_bytes += len(chunk)
        self.offset += len(chunk)
        if self._unsent_bytes >= self.part_bytes:
            self._send_unsent()
        return len(chunk)

    def unsent(self) -> bytes:
        """What was written since the last part: the carry a suspended zip keeps for its next run."""
        return b"".join(self._unsent)

    def _send_unsent(self) -> None:
        number = len(self.sent()) + 1  # the part before is in: one part in flight at most, and one filling
        data = self.unsent()
        self._unsent, self._unsent_bytes = [], 0
        self._in_flight = self._sender.submit(self._send, number, data)

    def sent(self) -> list[str]:
        """The ETags of every part sent, in order, once the part in flight is in (its failure raised here)."""
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            self.etags.append(in_flight.result())
        return self.etags

    def finish(self) -> list[str]:
        """Send what is left as the last part; the ETags of every part, in order."""
        if self._unsent_bytes or not (self.etags or self._in_flight):
            self._send_unsent()
        return self.sent()

    def close(self) -> None:
        self._sender.shutdown(wait=True)
        super().close()


def saved(info: zipfile.ZipInfo) -> list[Any]:
    """A finished entry as JSON: name, time and `SAVED_FIELDS`."""
    return [info.filename, list(info.date_time), *(getattr(info, name) for name in SAVED_FIELDS)]


def restored(row: list[Any]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(row[0], tuple(row[1]))
    for name, value in zip(SAVED_FIELDS, row[2:], strict=True):
        setattr(info, name, value)
    return info


def resume(writer: PartWriter, entries: Iterable[zipfile.ZipInfo] = ()) -> zipfile.ZipFile:
    """A `ZipFile` writing at `writer`'s offset whose central directory already holds `entries` (a new zip with
    none). `ZipFile` takes the offset it starts at (`start_dir`) from `tell()`."""
    archive = zipfile.ZipFile(writer, "w")
    for info in entries:
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
    return archive


def suspend(archive: zipfile.ZipFile) -> None:
    """Leave the archive between two entries without its central directory: `close` (or garbage collection)
    then writes nothing; the next run `resume`s it."""
    archive.fp = None
