"""What the benchmarks share: the emulator, summary statistics and the report's last steps."""

from __future__ import annotations

import json
import logging
import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def start_emulator() -> tuple[Any, str]:
    """One moto server on a free loopback port for the whole run."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def counting_storage(bucket: str, client: Any) -> Any:
    """A `Storage` that counts every byte and GET reaching S3, thread-safe (parallel ranged GETs come from a pool).
    Built on call, so a child's import time is its pipeline's alone."""
    import threading

    from functions.adapters.storage import Storage

    class CountingStorage(Storage):
        lock = threading.Lock()
        bytes_read = 0
        requests = 0

        def count(self, size: int, request: bool = True) -> None:
            with self.lock:
                self.bytes_read += size
                self.requests += request

        def read_range(self, key: str, start: int, end: int) -> bytes:
            data = super().read_range(key, start, end)
            self.count(len(data))
            return data

        def stream(self, key: str):  # type: ignore[no-untyped-def]
            self.count(0)
            for chunk in super().stream(key):
                self.count(len(chunk), request=False)
                yield chunk

        def get_whole(self, key: str) -> bytes:
            data = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            self.count(len(data))
            return data

    return CountingStorage(bucket, client)


def proc_status_mib(field_name: str) -> float:
    """A field of /proc/self/status in MiB (`VmRSS` now, `VmHWM` the peak so far)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"{field_name} not in /proc/self/status")


def stats(values: list[float], digits: int = 2) -> dict[str, float | None]:
    if not values:
        return {"median": None, "min": None, "max": None}
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def report_head(benchmark: str, errors: list[str]) -> dict[str, Any]:
    """The first keys of every report: what ran, when, and whether every measurement succeeded."""
    return {
        "benchmark": benchmark,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "command": [Path(sys.executable).name, "-m", f"bench.{benchmark}", *sys.argv[1:]],
        "ok": not errors,
        "errors": errors,
    }


def finish(
    report: dict[str, Any], out: Path, print_table: Callable[[dict[str, Any]], None], summary: str, errors: list[str]
) -> int:
    """Write the JSON, print the table; exit code 1 only when a measurement failed (a missed target is a result)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print_table(report)
    print(f"\n{summary}")
    print(f"wrote {out}")
    if errors:
        print("\nERRORS (these figures are incomplete):", *errors, sep="\n  ", file=sys.stderr)
        return 1
    return 0
