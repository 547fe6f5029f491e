"""Export benchmark: the export worker's time and peak memory against Python's `zipfile` writing the same files.

    python -m bench.exports [--runs 3] [--out bench/results/exports.json]
    BENCH_EXPORT_MIB=64 BENCH_EXPORT_FILES=200 python -m bench.exports --runs 1     # a quick run

`BENCH_EXPORT_FILES` files (2,000) totalling `BENCH_EXPORT_MIB` MiB (1,024), generated at run time: three in four
are incompressible bytes declared `image/jpeg` (stored in the zip, as a real JPEG would be), one in four text
(deflated); sizes vary from half to one and a half times the mean. They are written to a temporary directory and,
with their asset records, into one moto server started here (S3 and DynamoDB), in one folder of a tenant; the first
quarter of them again in a second tenant's folder, the `quarter` size.

Each measurement is a fresh interpreter, separate from the emulator, so its peak RSS is its own:

- `export`: one round of the export worker (`services.exports.run`, the whole folder export: the plan read from
  DynamoDB, every original streamed from S3 into the zip, the parts and the completion of the multipart upload),
  for an export asked for (untimed) just before.
- `local`: `zipfile.ZipFile.write` of the same files from local disk into a zip on local disk, each file with the
  compression the export gives its type: the baseline, measured in the same run.
- `floor`: the same originals streamed from the emulator (the worker's read-ahead) straight into a multipart upload
  of the same part size, no zip and no plan: what the emulator's S3 alone costs, to tell its share from ours.
- `pipeline`: the worker's own zip path (`services.exports`' entry writer and manifest into `zipstream.PartWriter`,
  a part sent on its thread while the next fills) over the same files read from local disk in the worker's chunk
  size, its parts appended to a local file: the export's code without the emulator, next to `local`.

`ms` is the wall time of that work alone (imports and client creation excluded), `cpu_ms` the process's CPU time
in it, `plan_ms` the export's plan (its DynamoDB reads); `peak_delta_mib` = VmHWM after - VmRSS before (kernel
accounting of the whole process, not tracemalloc, which misses buffers allocated outside Python's allocator). The
emulator is moto: S3 there is a Python server in the parent process on the same 2 cores, so the export's wall time
includes moto's work (`floor` measures it).

Targets: the export's peak growth at the full size within 1.5x of the quarter size's (flat memory), and its
throughput at least half the local baseline's (`local ms / export ms` >= 0.5). Against this emulator the second
cannot be met by any exporter when `floor` itself is under 0.5 of `local`; `pipeline` says what share is ours.
A missed target is a result: the exit code is 0 unless a measurement itself failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import finish, proc_status_mib, report_head, start_emulator, stats
from bench.processing import child_env
from functions import schema
from functions.adapters.storage import CHUNK_BYTES

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "exports.json"
MIB = 1024 * 1024
FILES = int(os.environ.get("BENCH_EXPORT_FILES", "2000"))
TOTAL_MIB = int(os.environ.get("BENCH_EXPORT_MIB", "1024"))
SIZES = {"full": 1, "quarter": 4}
PATHS = ("export", "local", "floor", "pipeline")
STREAM_CHUNK = CHUNK_BYTES
"""The pipeline's read size: what the worker's streaming GETs hand the zip at a time."""
"""Each size's tenant, and the fraction of the files it exports (1/n)."""
FLAT_TARGET = 1.5
THROUGHPUT_TARGET = 0.5
CHILD_TIMEOUT_SECONDS = 1800
RESULT_PREFIX = "BENCH_RESULT "
SETTINGS = {"table_name": "bench-exports", "bucket_name": "bench-exports", "event_bus_name": "bench-exports"}
WORDS = ("asset", "export", "zip", "stream", "part", "carry", "entry", "manifest", "folder", "tenant", "deflate")


@dataclass
class File:
    path: Path
    name: str
    content_type: str
    size: int


# ------------------------------------------------------------------------------------------------ child


def _export_child(spec: dict[str, Any]) -> dict[str, Any]:
    from functions.models.exports import ExportJob
    from functions.services import export_plan, exports
    from functions.services.deps import build
    from functions.settings import Settings

    planning = export_plan.plan
    plan_ms, plan_peak = [], []

    def timed_plan(*args: Any) -> Any:
        began = time.perf_counter()
        try:
            return planning(*args)
        finally:
            plan_ms.append((time.perf_counter() - began) * 1000)
            plan_peak.append(proc_status_mib("VmHWM"))

    export_plan.plan = timed_plan  # the plan's share of the time: DynamoDB reads, moto's slowest part here
    deps = build(Settings(**SETTINGS))
    deps.storage.client.head_bucket(Bucket=SETTINGS["bucket_name"])  # the client made, a connection open
    before = proc_status_mib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    done = exports.run(deps, ExportJob(tenant=spec["tenant"], export_id=spec["export_id"]), lambda: False)
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    peak = proc_status_mib("VmHWM") - before
    return {
        "ms": elapsed,
        "cpu_ms": cpu,
        "plan_ms": sum(plan_ms),
        "plan_peak_delta_mib": plan_peak[0] - before,
        "rss_before_mib": before,
        "peak_delta_mib": peak,
        "done": done,
    }


def _floor_child(spec: dict[str, Any]) -> dict[str, Any]:
    from functions import schema
    from functions.services.deps import build
    from functions.services.zipstream import PartWriter
    from functions.settings import Settings

    deps = build(Settings(**SETTINGS))
    deps.storage.client.head_bucket(Bucket=SETTINGS["bucket_name"])
    key = f"{schema.EXPORTS_PREFIX}floor/{uuid.uuid4().hex}"
    before = proc_status_mib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    upload = deps.storage.start_multipart(key, "application/octet-stream")
    writer = PartWriter(lambda number, data: deps.storage.upload_part(key, upload, number, data), schema.MIN_PART_BYTES)
    for chunks in deps.storage.stream_each(spec["keys"]):
        for chunk in chunks or ():
            writer.write(chunk)
    deps.storage.complete_multipart(key, upload, writer.finish())
    writer.close()
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    peak = proc_status_mib("VmHWM") - before
    deps.storage.delete_keys([key])
    return {"ms": elapsed, "cpu_ms": cpu, "rss_before_mib": before, "peak_delta_mib": peak, "size": writer.offset}


def _pipeline_child(spec: dict[str, Any]) -> dict[str, Any]:
    from functions.services import exports, zipstream
    from functions.services.export_plan import Planned

    files = [File(Path(f["path"]), f["name"], f["content_type"], f["size"]) for f in spec["files"]]
    plan = [
        Planned(uuid.uuid4().hex, f.name, size=f.size, content_type=f.content_type, created_at=spec["created_at"])
        for f in files
    ]
    before = proc_status_mib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    with open(spec["out"], "wb") as out:
        writer = zipstream.PartWriter(lambda number, data: out.write(data) and f"part-{number}", schema.MIN_PART_BYTES)
        archive = zipstream.resume(writer)
        for file, item in zip(files, plan, strict=True):
            with file.path.open("rb") as original:
                exports._add(archive, item, iter(lambda original=original: original.read(STREAM_CHUNK), b""))
        exports._manifest(archive, plan)
        archive.close()
        writer.finish()
        writer.close()
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    peak = proc_status_mib("VmHWM") - before
    size = Path(spec["out"]).stat().st_size
    with zipfile.ZipFile(spec["out"]) as written:  # untimed: the zip is whole
        assert len(written.namelist()) == len(files) + 1
    Path(spec["out"]).unlink()
    return {"ms": elapsed, "cpu_ms": cpu, "rss_before_mib": before, "peak_delta_mib": peak, "size": size}


def _local_child(spec: dict[str, Any]) -> dict[str, Any]:
    from functions.services.exports import compression

    files = [File(Path(f["path"]), f["name"], f["content_type"], f["size"]) for f in spec["files"]]
    before = proc_status_mib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    with zipfile.ZipFile(spec["out"], "w") as archive:
        for file in files:
            archive.write(file.path, file.name, compress_type=compression(file.content_type))
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    peak = proc_status_mib("VmHWM") - before
    size = Path(spec["out"]).stat().st_size
    Path(spec["out"]).unlink()
    return {"ms": elapsed, "cpu_ms": cpu, "rss_before_mib": before, "peak_delta_mib": peak, "size": size}


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    modes = {"export": _export_child, "local": _local_child, "floor": _floor_child, "pipeline": _pipeline_child}
    return modes[spec["mode"]](spec)


# ----------------------------------------------------------------------------------------------- parent


def generate(workdir: Path, count: int, total: int) -> list[File]:
    """`count` files of `total` bytes in all, sizes from 0.5x to 1.5x the mean; every fourth text, else random."""
    rng = random.Random(11)
    weights = [0.5 + (n % 11) / 10 for n in range(count)]
    scale = total / sum(weights)
    text = " ".join(rng.choice(WORDS) for _ in range(20_000)).encode()
    files = []
    for n, weight in enumerate(weights):
        size = max(1, int(weight * scale))
        is_text = n % 4 == 3
        name = f"file-{n:05d}.{'txt' if is_text else 'jpg'}"
        path = workdir / name
        with path.open("wb") as out:
            left = size
            while left:
                block = text[: min(left, len(text))] if is_text else os.urandom(min(left, 4 * MIB))
                out.write(block)
                left -= len(block)
        files.append(File(path, name, "text/plain" if is_text else "image/jpeg", size))
    return files


def seed(files: list[File]) -> dict[str, dict[str, Any]]:
    """Each size's tenant: a folder holding its share of the files as ready assets, originals in S3. The records
    are written with their index keys in batches (what an export reads: `by_folder` and the records), without the
    counters, members and words an upload also writes (moto's transactions would take minutes for 2,500)."""
    from functions import schema
    from functions.adapters.table import record_item
    from functions.models.assets import AssetRecord
    from functions.models.folders import FolderRecord
    from functions.services.deps import build
    from functions.settings import Settings

    deps = build(Settings(**SETTINGS))
    moment = datetime.now(UTC)
    tenants = {}
    for tenant, fraction in SIZES.items():
        folder = FolderRecord(id=uuid.uuid4().hex, tenant=tenant, name=tenant, created_at=moment, updated_at=moment)
        deps.folders.create(folder, None)
        share = files[: len(files) // fraction]
        records, keys = [], []
        for file in share:
            record = AssetRecord(
                id=uuid.uuid4().hex,
                tenant=tenant,
                status="ready",
                kind="image" if file.content_type.startswith("image/") else "document",
                filename=file.name,
                content_type=file.content_type,
                size=file.size,
                folder_id=folder.id,
                indexed_folders=[folder.id],
                original_revision="r1",
                created_at=moment,
                updated_at=moment,
            )
            records.append({"PutRequest": {"Item": record_item(record)}})
            keys.append(schema.original_key(tenant, record.id, "r1"))
            deps.storage.client.upload_file(str(file.path), SETTINGS["bucket_name"], keys[-1])
        deps.table.batch_write(records)
        tenants[tenant] = {
            "folder_id": folder.id,
            "files": share,
            "keys": keys,
            "bytes": sum(f.size for f in share),
        }
    return tenants


def measure(spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.exports", "--child"]
    proc = subprocess.run(
        command,
        cwd=REPO,
        env=env,
        input=json.dumps(spec),  # 2,000 paths are too long for a command line
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        raise RuntimeError(f"{spec['mode']} exited {proc.returncode}: {' | '.join(tail)}")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])


def export_once(tenant: str, share: dict[str, Any], env: dict[str, str], queue: str, verify: bool) -> dict[str, Any]:
    """Ask for the export (untimed; its message on `queue` stays there), run the worker in a child, check the zip,
    remove it."""
    from functions import schema
    from functions.services import exports
    from functions.services.deps import build
    from functions.settings import Settings

    deps = build(Settings(**SETTINGS, exports_queue_url=queue))
    record = exports.start(deps, tenant, folder_id=share["folder_id"])
    result = measure({"mode": "export", "tenant": tenant, "export_id": record.id}, env)
    done = deps.exports.get(tenant, record.id)
    key = schema.export_key(tenant, record.id)
    if not result["done"] or done is None or done.status != "ready" or done.done != len(share["files"]):
        raise RuntimeError(f"the export did not finish: {done}")
    if deps.storage.head(key)["size"] != done.size:
        raise RuntimeError("the zip's size is not the one recorded")
    if verify:  # the central directory, read back from S3: every file, at its size
        with zipfile.ZipFile(deps.storage.open_ranged(key, done.size)) as archive:
            sizes = {info.filename.rsplit("/", 1)[-1]: info.file_size for info in archive.infolist()}
        expected = {f.name: f.size for f in share["files"]}
        if {name: sizes.get(name) for name in expected} != expected or len(sizes) != len(expected) + 1:
            raise RuntimeError("the zip does not hold every file at its size")
    deps.storage.delete_keys([key])
    return result | {"size": done.size}


def summarize(runs: list[dict[str, Any]], total: int) -> dict[str, Any]:
    summary: dict[str, Any] = {"samples": len(runs)}
    for metric in ("ms", "cpu_ms", "peak_delta_mib", "rss_before_mib"):
        summary[metric] = stats([r[metric] for r in runs], 1)
    summary["max_peak_delta_mib"] = round(max(r["peak_delta_mib"] for r in runs), 1) if runs else None
    median = summary["ms"]["median"]
    summary["mib_per_s"] = round(total / MIB / (median / 1000), 1) if median else None
    if runs and "plan_ms" in runs[0]:  # the export: its plan's share, and the rate of the streaming after it
        summary["plan_ms"] = stats([r["plan_ms"] for r in runs], 1)
        summary["plan_peak_delta_mib"] = stats([r["plan_peak_delta_mib"] for r in runs], 1)
        streaming = statistics.median(r["ms"] - r["plan_ms"] for r in runs)
        summary["streaming_mib_per_s"] = round(total / MIB / (streaming / 1000), 1)
    summary["zip_bytes"] = runs[-1]["size"] if runs else None
    return summary


def targets(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    full, quarter = results["full"], results["quarter"]
    small, large = quarter["export"]["max_peak_delta_mib"], full["export"]["max_peak_delta_mib"]
    flat = round(large / small, 2) if small and large is not None else None
    local_ms, export_ms = full["local"]["ms"]["median"], full["export"]["ms"]["median"]
    throughput = round(local_ms / export_ms, 2) if local_ms and export_ms else None
    streaming = round(full["export"]["streaming_mib_per_s"] / full["local"]["mib_per_s"], 2)
    floor = round(local_ms / full["floor"]["ms"]["median"], 2)
    pipeline = round(local_ms / full["pipeline"]["ms"]["median"], 2)
    return {
        "flat_memory": {"quarter_mib": small, "full_mib": large, "ratio": flat, "target": FLAT_TARGET},
        "throughput": {
            "export_vs_local": throughput,
            "streaming_vs_local": streaming,
            "emulator_floor_vs_local": floor,
            "pipeline_vs_local": pipeline,
            "target": THROUGHPUT_TARGET,
        },
        "met": flat is not None and flat <= FLAT_TARGET and throughput is not None and throughput >= THROUGHPUT_TARGET,
    }


def print_table(report: dict[str, Any]) -> None:
    print(
        f"{'size':<9}{'files':>7}{'MiB':>7}  {'path':<8}{'ms (min-max)':>24}{'MiB/s':>8}{'CPU ms':>8}{'plan ms':>9}"
        f"{'after plan MiB/s':>18}{'peak growth MiB':>17}"
    )
    for size, result in report["results"].items():
        for path in PATHS:
            cell = result[path]
            ms = cell["ms"]
            plan = f"{cell['plan_ms']['median']:,.0f}" if "plan_ms" in cell else ""
            print(
                f"{size:<9}{result['files']:>7}{result['mib']:>7}  {path:<8}"
                f"{ms['median']:>10,.0f} ({ms['min']:,.0f}-{ms['max']:,.0f})"
                f"{cell['mib_per_s']:>8}{cell['cpu_ms']['median']:>8,.0f}{plan:>9}"
                f"{cell.get('streaming_mib_per_s', ''):>18}"
                f"{cell['max_peak_delta_mib']:>17}"
            )
    t = report["targets"]
    print(
        f"flat memory: quarter {t['flat_memory']['quarter_mib']} -> full {t['flat_memory']['full_mib']} MiB, ratio "
        f"{t['flat_memory']['ratio']} (target <= {FLAT_TARGET}); throughput export/local "
        f"{t['throughput']['export_vs_local']}, after the plan {t['throughput']['streaming_vs_local']}, the emulator "
        f"alone {t['throughput']['emulator_floor_vs_local']}, the worker's zip path over local files "
        f"{t['throughput']['pipeline_vs_local']} (target >= {THROUGHPUT_TARGET}): {'met' if t['met'] else 'NOT met'}"
    )


def run(runs: int, out: Path) -> int:
    began = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    pycache = tempfile.mkdtemp(prefix="bench-exports-pycache-")
    server, endpoint = start_emulator()
    env = child_env(pycache, endpoint) | schema.EXPORT_WORKER_ENVIRONMENT  # the worker's, as deployed (every child)
    os.environ.update({k: v for k, v in env.items() if k.startswith("AWS_")})
    cells: dict[str, dict[str, list[dict[str, Any]]]] = {size: {path: [] for path in PATHS} for size in SIZES}
    errors: list[str] = []
    try:
        from functions.settings import Settings
        from local.provision import provision

        queue = provision(Settings(**SETTINGS)).exports_queue_url
        print(f"generating {FILES} files, {TOTAL_MIB} MiB ...", flush=True)
        files = generate(workdir, FILES, TOTAL_MIB * MIB)
        tenants = seed(files)
        seeded_s = time.perf_counter() - began
        for r in range(runs):
            print(f"round {r + 1}/{runs} ...", flush=True)
            for size, share in tenants.items():
                for path in PATHS[r % len(PATHS) :] + PATHS[: r % len(PATHS)]:
                    try:
                        if path == "export":
                            cells[size][path].append(export_once(size, share, env, queue, verify=r == 0))
                        elif path == "floor":
                            cells[size][path].append(measure({"mode": "floor", "keys": share["keys"]}, env))
                        else:  # local and pipeline: the same files from local disk into a zip on local disk
                            listed = [f.__dict__ | {"path": str(f.path)} for f in share["files"]]
                            spec = {"mode": path, "out": str(workdir / f"{path}.zip"), "files": listed}
                            spec["created_at"] = datetime.now(UTC).strftime(schema.TIMESTAMP_FORMAT)
                            cells[size][path].append(measure(spec, env))
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        errors.append(f"{size}/{path}: {error}")
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(pycache, ignore_errors=True)

    results = {
        size: {
            "files": len(tenants[size]["files"]),
            "mib": round(tenants[size]["bytes"] / MIB),
            **{path: summarize(measured, tenants[size]["bytes"]) for path, measured in by.items()},
        }
        for size, by in cells.items()
    }
    report = {
        **report_head("exports", errors),
        "settings": {"runs": runs, "files": FILES, "total_mib": TOTAL_MIB, "sizes": SIZES},
        "method": __doc__,
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "targets": targets(results) if not errors else None,
        "results": results,
        "seed_s": round(seeded_s, 1),
        "duration_s": round(time.perf_counter() - began, 1),
    }
    summary = f"{runs} round(s) in {report['duration_s']} s (files made and seeded in {report['seed_s']} s)"
    return finish(report, out, print_table if not errors else lambda _: None, summary, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of every (size, path) (default 3)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(RESULT_PREFIX + json.dumps(_child(json.loads(sys.stdin.read()))), flush=True)
        return 0
    if args.runs < 1:
        parser.error("--runs must be >= 1")
    return run(args.runs, args.out)


if __name__ == "__main__":
    sys.exit(main())
