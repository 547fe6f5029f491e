"""Processing benchmark: the processor's header pass and full pipeline against a naive Pillow pipeline and libvips.

    python -m bench.processing [--runs 5] [--quick] [--out bench/results/processing.json]
    python -m bench.processing --profile jpeg_24mp:full     # one cProfile'd run, top functions, no JSON

Samples (`bench/samples.py`: photo-like JPEG 24 MP with EXIF orientation 6 and GPS, JPEG 50 MP, PNG RGBA, WebP,
HEIC, TIFF and GIF at 12 MP or less, a ~100 MiB scanned PDF and a small text PDF) are generated into a temporary
directory from a fixed seed and uploaded to one moto S3 server started here for the whole run.

Every measurement is a fresh interpreter (`python -m bench.processing --child SPEC`), so its peak memory is that
run's alone. The child imports what its pipeline needs (`import_ms`), creates the S3 client and HEADs the object
(connection and endpoint resolution happen here, untimed), records `rss_before_mib` (VmRSS), then times the
operation (`ms`) and reads `peak_rss_mib` (VmHWM) at the end; `peak_delta_mib` = peak - before. Bytes read from
S3 are counted in a `Storage` subclass (`read_range`, `stream`, and whole-object GETs), not taken from the
code under test. Pipelines:

- `header`: `inspection.read_header` (ranged GETs only).
- `full`: `inspection.inspect` (header pass, one streamed read that hashes and spools, preview decode,
  LQIP/BlurHash/palette, WebP renditions at 1024 and 256 px).
- `naive`: GET the whole object into memory, `Image.open` + `load()` (full decode), `exif_transpose`, resize the
  full image to 1024 and to 256 px long edge (LANCZOS), save both as WebP.
- `vips`: GET the whole object into memory, `pyvips.Image.thumbnail_buffer(data, 1024)` and `(data, 256)`
  (shrink-on-load, autorotate), `webpsave_buffer` for both.
  All WebP encodes use the renditions' quality and effort (`renditions.QUALITY`, `renditions.METHOD`), no metadata.
  naive and vips run on raster images only (PDFs are skipped: pyvips-binary has no PDF loader).

Each round runs every (sample, pipeline) once, pipelines rotating within each sample, so they share the machine's
noise; figures are medians with min/max over `--runs` rounds. Targets: the header pass reads at most 256 KiB of
any raster image; `full` on the 24 MP JPEG within 1.5x of `vips` (median ms); peak memory of `full` on the 50 MP
JPEG and on the ~100 MiB PDF, against the processor's 1024 MB Lambda. Missing a target is a result: the exit
code is 0 unless a measurement itself failed (then 1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.common import counting_storage, finish, proc_status_mib, report_head, start_emulator, stats

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "processing.json"
PIPELINES = ("header", "full", "naive", "vips")
REGION = "us-east-1"
HEADER_LIMIT = 256 * 1024
VIPS_RATIO_TARGET = 1.5
LAMBDA_MIB = 1024
CHILD_TIMEOUT_SECONDS = 300
RESULT_PREFIX = "BENCH_RESULT "
MIB = 1024 * 1024
LONG_EDGES = (1024, 256)


# ------------------------------------------------------------------------------------------------ child


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement. Everything the pipeline imports is imported before the clock starts."""
    pipeline = spec["pipeline"]
    t0 = time.perf_counter()
    import io

    import boto3

    if pipeline in ("header", "full"):
        from functions.services import inspection
        from functions.settings import Settings
    elif pipeline == "naive":
        import pillow_heif
        from PIL import Image, ImageOps

        pillow_heif.register_heif_opener()
    elif pipeline == "vips":
        import pyvips
    else:
        raise ValueError(f"unknown pipeline {pipeline}")

    import_ms = (time.perf_counter() - t0) * 1000

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    client = session.client("s3", endpoint_url=spec["endpoint"])
    storage = counting_storage(spec["bucket"], client)
    key, declared = spec["key"], spec["content_type"]
    quality, effort = spec["webp_quality"], spec["webp_method"]  # the renditions' own, read by the parent
    size = client.head_object(Bucket=spec["bucket"], Key=key)["ContentLength"]
    settings = Settings() if pipeline in ("header", "full") else None

    def run() -> dict[str, Any]:
        if pipeline == "header":
            header = inspection.read_header(storage, key, size, declared, settings.max_image_pixels)
            dims = header.metadata.get("dimensions") or {}
            return {
                "content_type": header.content_type,
                "complete": header.complete,
                "reported_bytes_read": header.bytes_read,
                "width": dims.get("width"),
                "height": dims.get("height"),
                "page_count": header.metadata.get("page_count"),
            }
        if pipeline == "full":
            result = inspection.inspect(storage, key, size, declared, settings)
            return {
                "content_type": result.content_type,
                "reported_bytes_read": result.bytes_read,
                "reported_header_bytes_read": result.header_bytes_read,
                "renditions": [[r.name, r.width, r.height, len(r.data)] for r in result.renditions],
                "has_blurhash": "blurhash" in result.metadata,
            }
        data = storage.get_whole(key)
        made = []
        if pipeline == "naive":
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
            for edge in LONG_EDGES:
                scale = edge / max(image.size)
                small = image.resize(
                    (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                    Image.Resampling.LANCZOS,
                )
                out = io.BytesIO()
                small.save(out, "WEBP", quality=quality, method=effort)
                made.append([edge, small.width, small.height, out.tell()])
        else:
            for edge in LONG_EDGES:
                thumb = pyvips.Image.thumbnail_buffer(data, edge)
                out = thumb.webpsave_buffer(Q=quality, effort=effort, keep=pyvips.enums.ForeignKeep.NONE)
                made.append([edge, thumb.width, thumb.height, len(out)])
        return {"renditions": made}

    profiler = None
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
    rss_before = proc_status_mib("VmRSS")
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    output = run()
    if profiler:
        profiler.disable()
    elapsed_ms = (time.perf_counter() - started) * 1000
    peak = proc_status_mib("VmHWM")
    if profiler:
        import pstats

        stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs().sort_stats("cumulative")
        stats.print_stats(30)
        pstats.Stats(profiler, stream=sys.stderr).strip_dirs().sort_stats("tottime").print_stats(15)
    return {
        "import_ms": import_ms,
        "ms": elapsed_ms,
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak,
        "peak_delta_mib": peak - rss_before,
        "bytes_read": storage.bytes_read,
        "requests": storage.requests,
        "output": output,
    }


def _check(spec: dict[str, Any], result: dict[str, Any]) -> None:
    """A measurement that did not do its job must not produce a nice number."""
    output, pipeline = result["output"], spec["pipeline"]
    if pipeline in ("header", "full") and output["content_type"] != spec["content_type"]:
        raise RuntimeError(f"detected {output['content_type']}, expected {spec['content_type']}")
    if pipeline == "full" and len(output["renditions"]) != len(LONG_EDGES):
        raise RuntimeError(f"made {len(output['renditions'])} renditions, expected {len(LONG_EDGES)}")
    if pipeline in ("naive", "vips") and len(output["renditions"]) != len(LONG_EDGES):
        raise RuntimeError(f"made {len(output['renditions'])} thumbnails")
    if pipeline != "header" and result["bytes_read"] < spec["size"]:
        raise RuntimeError(f"read {result['bytes_read']} bytes of {spec['size']}")


# ----------------------------------------------------------------------------------------------- parent


@dataclass
class Cell:
    sample: str
    pipeline: str
    runs: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: str | None = None


def child_env(pycache: str, endpoint: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "PYTHONPYCACHEPREFIX": pycache,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
        }
    )
    return env


def measure(spec: dict[str, Any], env: dict[str, str], echo_stderr: bool = False) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.processing", "--child", json.dumps(spec)]
    proc = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS, check=False
    )
    if echo_stderr:
        sys.stderr.write(proc.stderr)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        raise RuntimeError(f"{spec['sample']}/{spec['pipeline']} exited {proc.returncode}: {' | '.join(tail)}")
    result = json.loads(lines[-1][len(RESULT_PREFIX) :])
    _check(spec, result)
    return result


def summarize(cell: Cell) -> dict[str, Any]:
    if cell.skipped:
        return {"skipped": cell.skipped}
    summary: dict[str, Any] = {"samples": len(cell.runs), "errors": cell.errors}
    for metric in ("ms", "peak_delta_mib", "peak_rss_mib", "rss_before_mib", "import_ms"):
        summary[metric] = stats([r[metric] for r in cell.runs], 1)
    summary["bytes_read"] = stats([r["bytes_read"] for r in cell.runs], 0)
    summary["requests"] = stats([r["requests"] for r in cell.runs], 0)
    summary["output"] = cell.runs[-1]["output"] if cell.runs else None
    summary["runs"] = [
        {k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items() if k != "output"} for r in cell.runs
    ]
    return summary


def versions() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for dist in ("pillow", "pillow-heif", "pyvips", "pyvips-binary", "pypdfium2", "boto3", "moto", "blurhash"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = None
    try:
        import pyvips

        found["libvips"] = ".".join(str(pyvips.version(i)) for i in range(3))
    except Exception as error:  # reported, not fatal
        found["libvips"] = f"unavailable: {error}"
    try:
        import pillow_heif

        found["libheif"] = pillow_heif.libheif_version()
    except Exception as error:
        found["libheif"] = f"unavailable: {error}"
    return found


def vips_skip_reason(path: Path) -> str | None:
    """None when this libvips can thumbnail the file, else why not."""
    import pyvips

    try:
        pyvips.Image.thumbnail_buffer(path.read_bytes(), 64).avg()  # lazy until pixels are asked for
    except pyvips.Error as error:
        detail = " ".join(str(error).split())
        return f"libvips cannot decode it: {detail[-200:]}"
    return None


def print_table(report: dict[str, Any]) -> None:
    header = (
        f"{'sample':<11}{'pipeline':<8}{'ms med':>9}{'min-max':>15}{'peak Δ MiB':>11}"
        f"{'peak MiB':>9}{'read bytes':>12}{'GETs':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, cells in report["results"].items():
        for pipeline, s in cells.items():
            if "skipped" in s:
                print(f"{name:<11}{pipeline:<8}  skipped: {s['skipped'][:70]}")
                continue
            if s["ms"]["median"] is None:
                print(f"{name:<11}{pipeline:<8}  failed")
                continue
            spread = f"{s['ms']['min']:.0f}-{s['ms']['max']:.0f}"
            print(
                f"{name:<11}{pipeline:<8}{s['ms']['median']:>9.0f}{spread:>15}{s['peak_delta_mib']['median']:>11.1f}"
                f"{s['peak_rss_mib']['median']:>9.1f}{s['bytes_read']['median']:>12.0f}{s['requests']['median']:>6.0f}"
            )
        ratios = report["ratios"].get(name, {})
        if any(v is not None for v in ratios.values()):
            parts = [f"{k} {v:.2f}" for k, v in ratios.items() if v is not None]
            print(f"{'':<11}ratios: {', '.join(parts)}")
    t = report["targets"]
    h, v, m = t["header_bytes_under_256KiB"], t["jpeg_24mp_full_vs_vips"], t["memory"]
    print(
        f"\nheader pass <= 256 KiB of every raster image: {'met' if h['met'] else 'NOT met'} "
        f"(max {h['max_bytes']} bytes" + (f", over: {', '.join(h['over'])}" if h["over"] else "") + ")"
    )
    ratio = "n/a" if v["ratio"] is None else f"{v['ratio']:.2f}"
    print(f"full vs vips on jpeg_24mp <= {v['target']}x: {'met' if v['met'] else 'NOT met'} (ratio {ratio})")
    print(
        f"peak RSS of full: jpeg_50mp {m['jpeg_50mp_peak_mib']} MiB, pdf_100mb {m['pdf_100mb_peak_mib']} MiB "
        f"(max over runs; Lambda {m['lambda_mib']} MB)"
    )


def run(runs: int, quick: bool, out: Path, profile: str | None, only: set[str] | None = None) -> int:
    began = time.perf_counter()
    import boto3

    from bench import samples as sample_files
    from functions.services import renditions

    workdir = Path(tempfile.mkdtemp(prefix="bench-processing-"))
    pycache = tempfile.mkdtemp(prefix="bench-processing-pycache-")
    server, endpoint = start_emulator()
    try:
        print("generating samples ...", flush=True)
        made = sample_files.generate(workdir, quick=quick)
        if only:
            unknown = only - {s.name for s in made}
            if unknown:
                print(f"--only: unknown samples {sorted(unknown)}; known: {[s.name for s in made]}", file=sys.stderr)
                return 2
            made = [s for s in made if s.name in only]
        generated_s = time.perf_counter() - began
        bucket = f"bench-processing-{uuid.uuid4().hex[:8]}"
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        s3 = session.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=bucket)
        for s in made:
            with s.path.open("rb") as body:
                s3.put_object(Bucket=bucket, Key=s.key, Body=body, ContentType=s.content_type)
        env = child_env(pycache, endpoint)

        cells: dict[str, dict[str, Cell]] = {}
        for s in made:
            cells[s.name] = {}
            vips_reason = vips_skip_reason(s.path) if s.raster else None
            for pipeline in PIPELINES:
                cell = Cell(s.name, pipeline)
                if pipeline in ("naive", "vips") and not s.raster:
                    cell.skipped = "not a raster image (naive and vips thumbnail images only)"
                elif pipeline == "vips" and vips_reason:
                    cell.skipped = vips_reason
                cells[s.name][pipeline] = cell

        def spec(s: Any, pipeline: str, **extra: Any) -> dict[str, Any]:
            return {
                "sample": s.name, "pipeline": pipeline, "endpoint": endpoint, "bucket": bucket, "key": s.key,
                "content_type": s.content_type, "size": s.bytes, "webp_quality": renditions.QUALITY,
                "webp_method": renditions.METHOD, **extra,
            }  # fmt: skip

        if profile:
            name, _, pipeline = profile.partition(":")
            chosen = next((s for s in made if s.name == name), None)
            if chosen is None or pipeline not in PIPELINES:
                print(f"--profile wants SAMPLE:PIPELINE with SAMPLE in {[s.name for s in made]}", file=sys.stderr)
                return 2
            measure(spec(chosen, pipeline), env)  # untimed: bytecode, page cache
            result = measure(spec(chosen, pipeline, profile=True), env, echo_stderr=True)
            print(json.dumps({k: v for k, v in result.items()}, indent=2))
            return 0

        # Untimed warm-up: each pipeline once on its smallest sample (bytecode into the private cache, page cache).
        for pipeline in PIPELINES:
            usable = [s for s in made if not cells[s.name][pipeline].skipped]
            if not usable:
                continue
            small = min(usable, key=lambda s: s.bytes)
            try:
                measure(spec(small, pipeline), env)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                cells[small.name][pipeline].errors.append(f"warm-up: {error}")

        for r in range(runs):
            print(f"round {r + 1}/{runs} ...", flush=True)
            for s in made:
                order = PIPELINES[r % len(PIPELINES) :] + PIPELINES[: r % len(PIPELINES)]
                for pipeline in order:
                    cell = cells[s.name][pipeline]
                    if cell.skipped or cell.errors:
                        continue
                    try:
                        cell.runs.append(measure(spec(s, pipeline), env))
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        cell.errors.append(str(error))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(pycache, ignore_errors=True)

    results = {name: {p: summarize(c) for p, c in by.items()} for name, by in cells.items()}

    def median_ms(name: str, pipeline: str) -> float | None:
        cell = results.get(name, {}).get(pipeline, {})
        return None if "skipped" in cell or cell.get("errors") else cell["ms"]["median"]

    ratios: dict[str, dict[str, float | None]] = {}
    for name in results:
        full = median_ms(name, "full")
        ratios[name] = {}
        for other in ("vips", "naive"):
            base = median_ms(name, other)
            ratios[name][f"full/{other}"] = round(full / base, 3) if full and base else None

    raster = [s for s in made if s.raster]
    per_sample = {}
    for s in raster:
        cell = cells[s.name]["header"]
        per_sample[s.name] = max((r["bytes_read"] for r in cell.runs), default=None)
    measured = [v for v in per_sample.values() if v is not None]
    over = [name for name, v in per_sample.items() if v is not None and v > HEADER_LIMIT]
    header_target = {
        "limit_bytes": HEADER_LIMIT,
        "met": bool(measured) and len(measured) == len(per_sample) and not over,
        "max_bytes": max(measured, default=None),
        "over": over,
        "per_sample": per_sample,
    }
    vips_ratio = ratios.get("jpeg_24mp", {}).get("full/vips")

    def peak(name: str) -> float | None:
        runs_ = cells.get(name, {}).get("full")
        return round(max(r["peak_rss_mib"] for r in runs_.runs), 1) if runs_ and runs_.runs else None

    def peak_delta(name: str) -> float | None:
        runs_ = cells.get(name, {}).get("full")
        return round(max(r["peak_delta_mib"] for r in runs_.runs), 1) if runs_ and runs_.runs else None

    errors = [f"{c.sample}/{c.pipeline}: {e}" for by in cells.values() for c in by.values() for e in c.errors]
    report = {
        **report_head("processing", errors),
        "settings": {
            "runs": runs,
            "quick": quick,
            "only": sorted(only) if only else None,
            "pipelines": list(PIPELINES),
            "long_edges": list(LONG_EDGES),
        },
        "method": (
            "Fresh interpreter per measurement against one local moto S3 server. ms = wall time of the operation "
            "only (imports, client creation and a HEAD excluded; import_ms reported apart). rss_before_mib = VmRSS "
            "just before the operation, peak_rss_mib = VmHWM after it, peak_delta_mib = their difference. "
            "bytes_read/requests = bytes and GETs that reached S3, counted in a Storage subclass. header = "
            "inspection.read_header; full = inspection.inspect (Settings() defaults); naive = whole GET, Pillow full "
            "decode, exif_transpose, LANCZOS resize of the full image to each long edge, WebP; vips = whole GET, "
            "pyvips thumbnail_buffer per long edge, WebP (same quality/effort as renditions). libvips uses its own "
            "thread pool (all cores); Pillow runs on one. Pipelines rotate within each sample in every round; "
            "medians with min/max. ratios = median ms of full / median ms of the other. header target: the most "
            "bytes any run of the header pass read from a raster image is <= limit_bytes. Memory figures are the "
            "max over runs of full's peak RSS (the whole process, interpreter and libraries included)."
        ),
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "packages": versions(),
        },
        "samples": {s.name: s.describe() for s in made},
        "targets": {
            "header_bytes_under_256KiB": header_target,
            "jpeg_24mp_full_vs_vips": {
                "target": VIPS_RATIO_TARGET,
                "ratio": vips_ratio,
                "met": vips_ratio is not None and vips_ratio <= VIPS_RATIO_TARGET,
            },
            "memory": {
                "jpeg_50mp_peak_mib": peak("jpeg_50mp"),
                "jpeg_50mp_peak_delta_mib": peak_delta("jpeg_50mp"),
                "pdf_100mb_peak_mib": peak("pdf_100mb"),
                "pdf_100mb_peak_delta_mib": peak_delta("pdf_100mb"),
                "pdf_100mb_bytes": next((s.bytes for s in made if s.name == "pdf_100mb"), None),
                "lambda_mib": LAMBDA_MIB,
                "under_half_of_lambda": all(
                    p is not None and p <= LAMBDA_MIB / 2 for p in (peak("jpeg_50mp"), peak("pdf_100mb"))
                ),
            },
        },
        "ratios": ratios,
        "results": results,
        "generation_s": round(generated_s, 1),
        "duration_s": round(time.perf_counter() - began, 1),
    }
    count = sum(len(c.runs) for by in cells.values() for c in by.values())
    summary = f"{count} measurements in {report['duration_s']} s (samples generated in {report['generation_s']} s)"
    return finish(report, out, print_table, summary, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.processing", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="rounds of every (sample, pipeline) (default 5)")
    parser.add_argument("--quick", action="store_true", help="1 round, samples at 1/16 of the pixels (smoke test)")
    parser.add_argument("--out", type=Path, default=None, help=f"JSON output (default {DEFAULT_OUT})")
    parser.add_argument("--profile", metavar="SAMPLE:PIPELINE", help="cProfile one run, print, write no JSON")
    parser.add_argument("--only", metavar="SAMPLE[,SAMPLE]", help="measure these samples only (all are generated)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = _child(json.loads(args.child))
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    runs = args.runs if args.runs is not None else (1 if args.quick else 5)
    if runs < 1:
        parser.error("--runs must be >= 1")
    out = args.out or (DEFAULT_OUT.with_name("processing-quick.json") if args.quick else DEFAULT_OUT)
    only = set(args.only.split(",")) if args.only else None
    return run(runs, args.quick, out, args.profile, only)


if __name__ == "__main__":
    sys.exit(main())
