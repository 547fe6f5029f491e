"""`Storage.read_ranges`: parallel ranged GETs handed over strictly in order, with a bounded number in flight."""

from __future__ import annotations

import threading
import time

import pytest

from functions.errors import TransientError
from tests.memory_storage import MemoryStorage

KEY = "originals/acme/0123456789abcdef0123456789abcdef/r1"
DATA = bytes(range(256)) * 40 + b"tail"  # 10,244 bytes


class SlowStorage(MemoryStorage):
    """Earlier ranges answer later than the ones after them; counts the GETs started and running at once.

    With `together`, the first that many GETs wait for each other: they must run at once, or the test fails.
    """

    def __init__(self, data: bytes, together: int = 0):
        super().__init__({KEY: data})
        self.lock = threading.Lock()
        self.running = self.most_running = self.started = 0
        self.together = threading.Barrier(together, timeout=5) if together else None

    def read_range(self, key: str, start: int, end: int) -> bytes:
        with self.lock:
            self.started += 1
            self.running += 1
            self.most_running = max(self.most_running, self.running)
            wait = self.together is not None and self.started <= self.together.parties
        try:
            if wait:
                self.together.wait()
            time.sleep(0.002 * (3 - start % 3))
            return super().read_range(key, start, end)
        finally:
            with self.lock:
                self.running -= 1


@pytest.mark.parametrize("size", [len(DATA), 10_000], ids=["partial-last-range", "whole-ranges"])
def test_ranges_cover_the_object_and_come_back_in_order(size: int) -> None:
    data = DATA[:size]
    storage = SlowStorage(data)
    chunks = list(storage.read_ranges(KEY, size, range_bytes=1000, in_flight=4))
    assert b"".join(chunks) == data
    assert [len(chunk) for chunk in chunks[:-1]] == [1000] * (len(chunks) - 1)
    starts = list(range(0, size, 1000))
    expected = [(start, start + 999) for start in starts[:-1]] + [(starts[-1], size)]  # one byte past the end
    assert sorted(storage.ranges) == expected


def test_an_object_that_grew_or_shrank_shows_in_the_byte_count() -> None:
    storage = MemoryStorage({KEY: DATA})
    assert sum(map(len, storage.read_ranges(KEY, len(DATA) - 1, range_bytes=1000))) == len(DATA)
    assert sum(map(len, storage.read_ranges(KEY, len(DATA) + 2500, range_bytes=1000))) == len(DATA)


def test_at_most_in_flight_gets_run_and_none_runs_ahead_of_the_reader() -> None:
    in_flight = 3
    storage = SlowStorage(DATA, together=in_flight)
    consumed = 0
    for _ in storage.read_ranges(KEY, len(DATA), range_bytes=500, in_flight=in_flight):
        consumed += 1
        time.sleep(0.005)  # a slow reader: what is fetched for it, held in memory, stays bounded
        assert storage.started - consumed <= in_flight - 1
    assert consumed == len(range(0, len(DATA), 500))
    assert storage.most_running == in_flight


def test_a_failed_get_is_raised_in_its_turn_and_stops_the_rest() -> None:
    storage = SlowStorage(DATA)
    first_read = storage.read_range

    def read_range(key: str, start: int, end: int) -> bytes:
        if start == 3000:
            raise TransientError("SlowDown from AWS")
        return first_read(key, start, end)

    storage.read_range = read_range  # type: ignore[method-assign]
    chunks = []
    with pytest.raises(TransientError, match="SlowDown"):
        chunks.extend(storage.read_ranges(KEY, len(DATA), range_bytes=500, in_flight=2))
    assert b"".join(chunks) == DATA[:3000]
    assert storage.started <= 3000 // 500 + 2  # nothing started after the failure but what was in flight


def test_a_reader_that_stops_early_leaves_no_get_behind() -> None:
    storage = SlowStorage(DATA)
    reads = storage.read_ranges(KEY, len(DATA), range_bytes=500, in_flight=4)
    assert next(reads) == DATA[:500]
    reads.close()
    started = storage.started
    time.sleep(0.05)
    assert storage.started == started <= 4
    assert storage.running == 0
