"""Large-file benchmark: the processor's time and peak memory on 64 MiB, 256 MiB and 1 GiB originals.

    python -m bench.large_files [--runs 3] [--sizes 64,256,1024] [--out bench/results/large_files.json]

Two samples per size, generated at run time into a temporary directory (nothing is committed) and uploaded to one
moto S3 server started here:

- `mp4`: an MP4 whose `moov` box comes after its `mdat` (as cameras write them): the header pass seeks to the end
  for duration and codecs; the file is hashed, never decoded.
- `jpeg`: a 12 MP JPEG followed by a video payload (a "motion photo"), measured with `MAX_DECODED_BYTES` at 32 MiB
  so that every size takes the path the default (256 MiB) gives larger images: header metadata from ranged reads,
  hashes, no decode, no renditions.

Each measurement runs `inspection.inspect` (the processor's whole inspection: header pass, full pass) in a fresh
interpreter, as `bench.processing` does: imports, client creation and a HEAD come first and are not timed;
`peak_delta_mib` = VmHWM after the run - VmRSS before it. Two ways to read the bytes, rotating within each round:

- `ranges`: the processor's settings: parallel ranged GETs (`Storage.read_ranges`, 4 x 8 MiB) above 32 MiB.
- `stream`: one streamed GET whatever the size (`PARALLEL_READ_BYTES` raised above the file), the single-stream
  throughput against moto.

moto answers every ranged GET by reading the whole object (`S3Response._handle_range_header` slices `key.value`),
so `ranges` times against it grow with size x ranges and say nothing about S3; its memory figures do, since they
are the processor's own. `hash_only` is hashlib's SHA-1 + SHA-256 rate on this machine, for the Lambda arithmetic
in the README.

Target: flat memory, the largest size's peak growth within 1.5x of the smallest's, for every sample and read. A
missed target is a result: the exit code is 0 unless a measurement itself failed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import counting_storage, finish, proc_status_mib, report_head, start_emulator, stats
from bench.processing import child_env

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "large_files.json"
MIB = 1024 * 1024
DEFAULT_SIZES_MIB = (64, 256, 1024)
READS = ("ranges", "stream")
BENCH_MAX_DECODED_BYTES = 32 * MIB
FLAT_TARGET = 1.5
CHILD_TIMEOUT_SECONDS = 900
RESULT_PREFIX = "BENCH_RESULT "
REGION = "us-east-1"
FILL_BYTES = 4 * MIB
"""The payload repeats one random block of this size: hashing cost does not depend on the bytes."""


# ------------------------------------------------------------------------------------------------ child


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    import boto3

    from functions.services import inspection
    from functions.settings import Settings

    import_ms = (time.perf_counter() - t0) * 1000

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    client = session.client("s3", endpoint_url=spec["endpoint"])
    storage = counting_storage(spec["bucket"], client)
    size = client.head_object(Bucket=spec["bucket"], Key=spec["key"])["ContentLength"]
    settings = Settings(**spec["settings"])

    rss_before = proc_status_mib("VmRSS")
    started = time.perf_counter()
    found = inspection.inspect(storage, spec["key"], size, spec["content_type"], settings)
    elapsed_ms = (time.perf_counter() - started) * 1000
    peak = proc_status_mib("VmHWM")
    return {
        "import_ms": import_ms,
        "ms": elapsed_ms,
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak,
        "peak_delta_mib": peak - rss_before,
        "bytes_read": storage.bytes_read,
        "requests": storage.requests,
        "output": {
            "content_type": found.content_type,
            "sha256": found.sha256,
            "size": found.size,
            "renditions": len(found.renditions),
            "dimensions": found.metadata.get("dimensions"),
            "duration": found.metadata.get("duration"),
            "reported_bytes_read": found.bytes_read,
            "reported_header_bytes_read": found.header_bytes_read,
        },
    }


def _check(spec: dict[str, Any], result: dict[str, Any]) -> None:
    """A measurement that did not do its job must not produce a nice number."""
    output = result["output"]
    if output["content_type"] != spec["content_type"]:
        raise RuntimeError(f"detected {output['content_type']}, expected {spec['content_type']}")
    if output["sha256"] != spec["sha256"] or output["size"] != spec["size"]:
        raise RuntimeError("the hash or the size is not the file's")
    if output["renditions"]:
        raise RuntimeError(f"made {output['renditions']} renditions of a file over the decode limit")
    if not (output["dimensions"] or output["duration"]):
        raise RuntimeError("no header metadata")
    if result["bytes_read"] < spec["size"]:
        raise RuntimeError(f"read {result['bytes_read']} bytes of {spec['size']}")


# ----------------------------------------------------------------------------------------------- samples


@dataclass
class Sample:
    kind: str
    size: int
    content_type: str
    path: Path
    sha256: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}_{self.size // MIB}mib"

    @property
    def key(self) -> str:
        return f"bench/{self.name}"


def _box(kind: bytes, payload_size: int) -> bytes:
    return struct.pack(">I4s", 8 + payload_size, kind)


def _write(path: Path, head: bytes, payload_size: int, tail: bytes, block: bytes) -> str:
    """`head`, `payload_size` bytes of `block` repeated, `tail`; returns the file's SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for part in (head, *_fill(payload_size, block), tail):
            out.write(part)
            digest.update(part)
    return digest.hexdigest()


def _fill(size: int, block: bytes) -> list[bytes]:
    whole, rest = divmod(size, len(block))
    return [block] * whole + [block[:rest]]


def generate(workdir: Path, sizes: list[int]) -> list[Sample]:
    from PIL import Image

    block = os.urandom(FILL_BYTES)
    clip = (REPO / "tests" / "corpus" / "clip.mp4").read_bytes()
    boxes, position = {}, 0
    while position < len(clip):
        box_size, kind = struct.unpack(">I4s", clip[position : position + 8])
        boxes[kind] = clip[position : position + box_size]
        position += box_size
    photo = io.BytesIO()
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(photo, "JPEG", quality=90)
    made = []
    for size in sizes:
        mp4 = Sample("mp4", size, "video/mp4", workdir / f"mp4_{size}")
        head = boxes[b"ftyp"] + _box(b"mdat", size - len(boxes[b"ftyp"]) - len(boxes[b"moov"]) - 8)
        mp4.sha256 = _write(mp4.path, head, size - len(head) - len(boxes[b"moov"]), boxes[b"moov"], block)
        jpeg = Sample("jpeg", size, "image/jpeg", workdir / f"jpeg_{size}")
        jpeg.sha256 = _write(jpeg.path, photo.getvalue(), size - photo.tell(), b"", block)
        made += [mp4, jpeg]
    for sample in made:
        if sample.path.stat().st_size != sample.size:
            raise RuntimeError(f"{sample.name} has {sample.path.stat().st_size} bytes")
    return made


def hash_only_mib_s(total: int = 512 * MIB) -> float:
    """SHA-1 and SHA-256 of `total` bytes in 8 MiB updates, as the processor does them: MiB/s."""
    data = os.urandom(8 * MIB)
    sha1, sha256 = hashlib.sha1(usedforsecurity=False), hashlib.sha256()
    started = time.perf_counter()
    for _ in range(total // len(data)):
        sha1.update(data)
        sha256.update(data)
    return round(total / MIB / (time.perf_counter() - started), 1)


# ----------------------------------------------------------------------------------------------- parent


def measure(spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.large_files", "--child", json.dumps(spec)]
    proc = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        raise RuntimeError(f"{spec['sample']}/{spec['read']} exited {proc.returncode}: {' | '.join(tail)}")
    result = json.loads(lines[-1][len(RESULT_PREFIX) :])
    _check(spec, result)
    return result


def summarize(size: int, runs: list[dict[str, Any]], errors: list[str]) -> dict[str, Any]:
    summary: dict[str, Any] = {"samples": len(runs), "errors": errors}
    for metric in ("ms", "peak_delta_mib", "peak_rss_mib", "rss_before_mib", "import_ms"):
        summary[metric] = stats([r[metric] for r in runs], 1)
    summary["max_peak_delta_mib"] = round(max(r["peak_delta_mib"] for r in runs), 1) if runs else None
    median_ms = summary["ms"]["median"]
    summary["mib_per_s"] = round(size / MIB / (median_ms / 1000), 1) if median_ms else None
    summary["bytes_read"] = stats([r["bytes_read"] for r in runs], 0)
    summary["requests"] = stats([r["requests"] for r in runs], 0)
    summary["output"] = runs[-1]["output"] if runs else None
    return summary


def flatness(results: dict[str, dict[str, dict[str, Any]]], samples: list[Sample]) -> dict[str, Any]:
    """Per sample kind and read: the largest size's worst peak growth against the smallest's."""
    sizes = sorted({s.size for s in samples})
    found: dict[str, Any] = {}
    for kind in sorted({s.kind for s in samples}):
        for read in READS:
            small = results[f"{kind}_{sizes[0] // MIB}mib"][read]["max_peak_delta_mib"]
            large = results[f"{kind}_{sizes[-1] // MIB}mib"][read]["max_peak_delta_mib"]
            ratio = round(large / small, 2) if small and large is not None else None  # None: a size failed
            found[f"{kind}/{read}"] = {
                "smallest_mib": small,
                "largest_mib": large,
                "ratio": ratio,
                "met": ratio is not None and ratio <= FLAT_TARGET,
            }
    return {"target": FLAT_TARGET, "sizes_mib": [sizes[0] // MIB, sizes[-1] // MIB], "by_read": found}


def print_table(report: dict[str, Any]) -> None:
    header = f"{'sample':<15}{'read':<8}{'ms med':>9}{'min-max':>15}{'MiB/s':>8}{'peak Δ MiB':>11}{'GETs':>7}"
    print(header)
    print("-" * len(header))
    for name, by_read in report["results"].items():
        for read, s in by_read.items():
            if s["ms"]["median"] is None:
                print(f"{name:<15}{read:<8}  failed")
                continue
            spread = f"{s['ms']['min']:.0f}-{s['ms']['max']:.0f}"
            print(
                f"{name:<15}{read:<8}{s['ms']['median']:>9.0f}{spread:>15}{s['mib_per_s']:>8.0f}"
                f"{s['peak_delta_mib']['median']:>11.1f}{s['requests']['median']:>7.0f}"
            )
    flat = report["targets"]["flat_memory"]
    low, high = flat["sizes_mib"]
    print(f"\nhash only (SHA-1 + SHA-256, one core): {report['hash_only_mib_s']} MiB/s")
    print(f"peak growth at {high} MiB within {flat['target']}x of {low} MiB (worst run of each):")
    for name, t in flat["by_read"].items():
        ratio = "n/a" if t["ratio"] is None else f"{t['ratio']:.2f}"
        verdict = "met" if t["met"] else "NOT met"
        print(f"  {name:<14}{t['smallest_mib']} -> {t['largest_mib']} MiB, ratio {ratio}: {verdict}")


def run(runs: int, sizes_mib: list[int], out: Path) -> int:
    began = time.perf_counter()
    import boto3

    workdir = Path(tempfile.mkdtemp(prefix="bench-large-"))
    pycache = tempfile.mkdtemp(prefix="bench-large-pycache-")
    server, endpoint = start_emulator()
    cells: dict[str, dict[str, list[dict[str, Any]]]] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    try:
        print("generating samples ...", flush=True)
        made = generate(workdir, [size * MIB for size in sizes_mib])
        bucket = f"bench-large-{uuid.uuid4().hex[:8]}"
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        s3 = session.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=bucket)
        for sample in made:
            s3.upload_file(str(sample.path), bucket, sample.key, ExtraArgs={"ContentType": sample.content_type})
            sample.path.unlink()
        generated_s = time.perf_counter() - began
        hash_rate = hash_only_mib_s()
        env = child_env(pycache, endpoint)

        def spec(sample: Sample, read: str) -> dict[str, Any]:
            settings: dict[str, int] = {"max_decoded_bytes": BENCH_MAX_DECODED_BYTES}
            if read == "stream":
                settings["parallel_read_bytes"] = sample.size
            return {
                "sample": sample.name, "read": read, "endpoint": endpoint, "bucket": bucket, "key": sample.key,
                "content_type": sample.content_type, "size": sample.size, "sha256": sample.sha256,
                "settings": settings,
            }  # fmt: skip

        for sample in made:
            cells[sample.name] = {read: [] for read in READS}
            errors[sample.name] = {read: [] for read in READS}
        smallest = min(made, key=lambda s: s.size)
        for read in READS:  # untimed warm-up: bytecode into the private cache
            try:
                measure(spec(smallest, read), env)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                errors[smallest.name][read].append(f"warm-up: {error}")
        for r in range(runs):
            print(f"round {r + 1}/{runs} ...", flush=True)
            for sample in made:
                for read in READS[r % 2 :] + READS[: r % 2]:
                    if errors[sample.name][read]:
                        continue
                    try:
                        cells[sample.name][read].append(measure(spec(sample, read), env))
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        errors[sample.name][read].append(str(error))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(pycache, ignore_errors=True)

    sizes = {s.name: s.size for s in made}
    results = {
        name: {read: summarize(sizes[name], runs_, errors[name][read]) for read, runs_ in by.items()}
        for name, by in cells.items()
    }
    failures = [f"{name}/{read}: {e}" for name, by in errors.items() for read, es in by.items() for e in es]
    report = {
        **report_head("large_files", failures),
        "settings": {
            "runs": runs,
            "sizes_mib": sizes_mib,
            "reads": list(READS),
            "max_decoded_bytes": BENCH_MAX_DECODED_BYTES,
        },
        "method": (
            "Fresh interpreter per measurement against one local moto S3 server. ms = wall time of "
            "inspection.inspect only (imports, client creation and a HEAD excluded). rss_before_mib = VmRSS just "
            "before, peak_rss_mib = VmHWM after, peak_delta_mib = their difference. mib_per_s = size / median ms. "
            "bytes_read/requests = bytes and GETs that reached S3, counted in a Storage subclass. ranges = the "
            "processor's default reads (parallel ranged GETs above PARALLEL_READ_BYTES); stream = one GET. moto reads "
            "the whole object for every ranged GET, so ranges times measure moto. Reads rotate within each round; "
            "medians with min/max. flat_memory compares the worst run of the largest size with the worst of the "
            "smallest."
        ),
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        },
        "hash_only_mib_s": hash_rate,
        "targets": {"flat_memory": flatness(results, made)},
        "results": results,
        "generation_s": round(generated_s, 1),
        "duration_s": round(time.perf_counter() - began, 1),
    }
    count = sum(len(r) for by in cells.values() for r in by.values())
    summary = (
        f"{count} measurements in {report['duration_s']} s (samples made and uploaded in {report['generation_s']} s)"
    )
    return finish(report, out, print_table, summary, failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.large_files", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of every (sample, read) (default 3)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES_MIB)), help="sizes in MiB (64,256,1024)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(RESULT_PREFIX + json.dumps(_child(json.loads(args.child))), flush=True)
        return 0
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if args.runs < 1 or len(sizes) < 2 or sizes[0] < 1:
        parser.error("--runs must be >= 1 and --sizes must list two sizes or more, in MiB")
    return run(args.runs, sizes, args.out)


if __name__ == "__main__":
    sys.exit(main())
