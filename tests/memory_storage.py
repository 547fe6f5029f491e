"""An in-memory `Storage` for unit tests and the benchmark: the real ranged reader, counted reads."""

from __future__ import annotations

from collections.abc import Iterator

from functions.adapters.storage import CHUNK_BYTES, Storage


class MemoryStorage(Storage):
    def __init__(self, objects: dict[str, bytes] | None = None):
        super().__init__("memory")
        self.objects = dict(objects or {})
        self.put_objects: dict[str, tuple[bytes, str]] = {}
        self.ranges: list[tuple[int, int]] = []

    def read_range(self, key: str, start: int, end: int) -> bytes:
        self.ranges.append((start, end))
        return self.objects[key][start : end + 1]

    def stream(self, key: str) -> Iterator[bytes]:
        data = self.objects[key]
        for start in range(0, len(data), CHUNK_BYTES):
            yield data[start : start + CHUNK_BYTES]

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.put_objects[key] = (data, content_type)
