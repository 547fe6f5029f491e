"""Delivery transforms next to libvips: a camera-sized JPEG to an 800 px WebP and AVIF.

Each measurement runs in a fresh child process, so that memory is its own and "cold" is a new container:
- `ours`: `functions.services.transforms.render` (what the delivery function runs after reading the original:
  Pillow, JPEG decoded at a reduced DCT scale, EXIF orientation, sRGB, resize, encode without metadata).
- `vips`: `pyvips.Image.thumbnail_buffer(data, 800)` then `webpsave_buffer` / `heifsave_buffer(av1)` at the
  same quality, WebP effort and AV1 encoder speed, without metadata: libvips' own shrink-on-load thumbnail, the
  baseline of the target.

Cold is the first transform in the process (imports included); warm is the median of the next ones, as in a warm
container. A CDN cache hit runs neither: CloudFront answers it (infra/delivery.py). Peak memory is the growth of
the process's peak RSS over the transform (VmHWM minus VmRSS with the source bytes loaded), for a 6 MP and a
24 MP source: flat means the 24 MP figure is not four times the 6 MP one.

Targets (issue 10): warm time within 1.5x of libvips; memory flat in the source size.

    python -m bench.transforms [--runs N] [--quick] [--out bench/results/transforms.json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import finish, proc_status_mib, report_head, stats

REPO = Path(__file__).resolve().parent.parent
RESULT_PREFIX = "BENCH_RESULT "
WIDTH = 800
QUALITY = 80
FORMATS = ("webp", "avif")
SOURCES = {"6mp": (3000, 2000), "24mp": (6000, 4000)}
WARM_RUNS = 5


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    data = Path(spec["path"]).read_bytes()
    t0 = time.perf_counter()
    if spec["pipeline"] == "ours":
        from functions.models.delivery import Transform
        from functions.services import transforms

        transform = Transform(w=WIDTH, fm=spec["format"], q=QUALITY)

        def run() -> bytes:
            rendered = transforms.render(io.BytesIO(data), "image", transform, None, "", 100_000_000, 4096)
            return rendered.data

    else:
        import pyvips

        from functions.services.transforms import AVIF_SPEED

        def run() -> bytes:
            thumb = pyvips.Image.thumbnail_buffer(data, WIDTH)
            keep = pyvips.enums.ForeignKeep.NONE
            if spec["format"] == "webp":
                return thumb.webpsave_buffer(Q=QUALITY, effort=4, keep=keep)
            # libvips' effort is 9 minus the encoder speed: the speed the delivery function asks libavif for
            return thumb.heifsave_buffer(compression="av1", Q=QUALITY, effort=9 - AVIF_SPEED, keep=keep)

    rss_before = proc_status_mib("VmRSS")
    first = run()
    cold_ms = (time.perf_counter() - t0) * 1000
    warm = []
    for _ in range(spec["warm_runs"]):
        start = time.perf_counter()
        out = run()
        warm.append((time.perf_counter() - start) * 1000)
    from PIL import Image

    with Image.open(io.BytesIO(first)) as image:
        size = image.size
    return {
        "cold_ms": round(cold_ms, 1),
        "warm_ms": warm,
        "peak_growth_mib": round(proc_status_mib("VmHWM") - rss_before, 1),
        "output": {"width": size[0], "height": size[1], "bytes": len(out)},
    }


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    env = {**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.transforms", "--child", json.dumps(spec)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-4:]
        raise RuntimeError(f"{spec['pipeline']}/{spec['format']} exited {proc.returncode}: {' | '.join(tail)}")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])


def write_sources(directory: Path, quick: bool) -> dict[str, Path]:
    from bench.samples import photo

    paths = {}
    for name, (width, height) in SOURCES.items():
        scale = 4 if quick else 1
        path = directory / f"{name}.jpg"
        photo(width // scale, height // scale).save(path, "JPEG", quality=90)
        paths[name] = path
    return paths


def run(runs: int, quick: bool, out: Path) -> int:
    errors: list[str] = []
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sources = write_sources(Path(tmp), quick)
        for source, path in sources.items():
            for fmt in FORMATS:
                for pipeline in ("ours", "vips"):
                    cells = []
                    for _ in range(runs):  # interleaved per cell: a noisy moment hits both pipelines alike
                        spec = {"pipeline": pipeline, "format": fmt, "path": str(path), "warm_runs": WARM_RUNS}
                        try:
                            cells.append(measure(spec))
                        except RuntimeError as error:
                            errors.append(str(error))
                    results[f"{source}/{fmt}/{pipeline}"] = {
                        "source_bytes": path.stat().st_size,
                        "cold_ms": stats([c["cold_ms"] for c in cells], 1),
                        "warm_ms": stats([m for c in cells for m in c["warm_ms"]], 1),
                        "peak_growth_mib": stats([c["peak_growth_mib"] for c in cells], 1),
                        "output": cells[-1]["output"] if cells else None,
                    }

    def ratio(source: str, fmt: str, field: str) -> float | None:
        ours, vips = (results[f"{source}/{fmt}/{p}"][field]["median"] for p in ("ours", "vips"))
        return round(ours / vips, 2) if ours and vips else None

    ratios = {
        f"{s}/{f}": {"warm": ratio(s, f, "warm_ms"), "cold": ratio(s, f, "cold_ms")} for s in SOURCES for f in FORMATS
    }
    memory = {
        fmt: {pipeline: results[f"24mp/{fmt}/{pipeline}"]["peak_growth_mib"]["median"] for pipeline in ("ours", "vips")}
        | {
            "ours_24mp_over_6mp": _over(
                results[f"24mp/{fmt}/ours"]["peak_growth_mib"]["median"],
                results[f"6mp/{fmt}/ours"]["peak_growth_mib"]["median"],
            )
        }
        for fmt in FORMATS
    }
    worst = max((r["warm"] for r in ratios.values() if r["warm"] is not None), default=None)
    report = {
        **report_head("transforms", errors),
        "runs": runs,
        "quick": quick,
        "width": WIDTH,
        "quality": QUALITY,
        "results": results,
        "ratios_ours_over_vips": ratios,
        "peak_growth_mib_24mp": memory,
        "targets": {
            "warm_within_1_5x_of_libvips": worst is not None and worst <= 1.5,
            "worst_warm_ratio": worst,
            "memory_flat": all(
                m["ours_24mp_over_6mp"] is not None and m["ours_24mp_over_6mp"] < 2 for m in memory.values()
            ),
        },
    }
    summary = f"worst warm ratio ours/libvips: {worst}; memory 24 MP over 6 MP: " + ", ".join(
        f"{fmt} {m['ours_24mp_over_6mp']}" for fmt, m in memory.items()
    )
    return finish(report, out, print_table, summary, errors)


def _over(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def print_table(report: dict[str, Any]) -> None:
    print(f"{'source/format/pipeline':28} {'cold ms':>9} {'warm ms':>9} {'peak +MiB':>10} {'out bytes':>10}")
    for name, cell in report["results"].items():
        out = cell["output"] or {}
        print(
            f"{name:28} {cell['cold_ms']['median']!s:>9} {cell['warm_ms']['median']!s:>9} "
            f"{cell['peak_growth_mib']['median']!s:>10} {out.get('bytes', '')!s:>10}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="child processes per cell (default 3)")
    parser.add_argument("--quick", action="store_true", help="quarter-size sources, for a smoke run")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "transforms.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(RESULT_PREFIX + json.dumps(_child(json.loads(args.child))), flush=True)
        return 0
    return run(args.runs, args.quick, args.out)


if __name__ == "__main__":
    sys.exit(main())
