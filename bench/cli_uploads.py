"""CLI upload benchmark: `assets upload` of 500 small files and of one 1 GiB file, next to boto3's `upload_file` of
the same bytes straight to the emulator, in the same run.

    python -m bench.cli_uploads [--runs 3] [--files 500] [--file-kib 16] [--size-mib 1024] [--concurrency 4]
                                [--out bench/results/cli_uploads.json]

One local stack (`python -m local`, as `bench.uploads`) for the whole run, on free ports with a key of its own. Per
round and per workload (`small`: `--files` files of `--file-kib` KiB, random bytes, new ones every round; `large`:
one file of `--size-mib`, a random 4 MiB block repeated, a new block every round, so that no round's upload is a
duplicate of an earlier one), two measurements whose order rotates between rounds, each after an untimed pause:

- `cli`: `.venv/bin/assets upload <dir or file> --json --concurrency N` as a child process (`ASSETS_API_URL`,
  `ASSETS_API_KEY`), wall time from its start to its exit: the interpreter's start, SHA-256 of every file, one
  `POST /v1/uploads` per file, the presigned POSTs or parts (N files, or N parts of the large file, at a time) and
  the multipart completion. Its JSON summary must report every file uploaded (none failed, none a duplicate).
- `boto3`: `upload_file` of the same files to the same emulator and bucket, under `bench/` (outside `uploads/`,
  the processor never sees it): the small files by N threads sharing one client, the large one with
  `TransferConfig(multipart_chunksize=<the API's part size>, max_concurrency=N)`; botocore's defaults otherwise.

Untimed after each `cli` measurement: the new assets are waited for until processed, so the processor's work never
overlaps a timed measurement (they are not deleted: new bytes every round, and the stack is thrown away at the
end); the boto3 objects are deleted. Ratio = cli median / boto3
median per workload. There is no target: the CLI does more than boto3 (hashing, API calls, a process start), and
the ratio says how much that costs. moto serves every path, so the figures are the emulator's and this machine's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from bench import uploads
from bench.common import finish, report_head
from bench.uploads import LocalStack, generate, s3_client

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "cli_uploads.json"
ASSETS = Path(sys.executable).parent / "assets"
MIB = 1024 * 1024
KINDS = ("cli", "boto3")
WORKLOADS = ("small", "large")
SETTLE_SECONDS = 2
API_TIMEOUT_SECONDS = 120
CLI_TIMEOUT_SECONDS = 1800
READY_TIMEOUT_SECONDS = 1800
"""moto reads the whole object for each of the processor's ranged GETs: about 65 s for 1 GiB here."""


def make_small(directory: Path, files: int, kib: int) -> list[Path]:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    paths = [directory / f"small-{n:04d}.bin" for n in range(files)]
    for path in paths:
        path.write_bytes(os.urandom(kib * 1024))
    return paths


def measure_cli(stack: LocalStack, target: Path, expected: int, concurrency: int) -> tuple[dict[str, Any], list[str]]:
    env = {**os.environ, "ASSETS_API_URL": stack.url, "ASSETS_API_KEY": stack.key, "ASSETS_CONFIG": "/nonexistent"}
    started = time.perf_counter()
    done = subprocess.run(
        [str(ASSETS), "upload", str(target), "--json", "--concurrency", str(concurrency)],
        env=env,
        capture_output=True,
        timeout=CLI_TIMEOUT_SECONDS,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"assets upload exited {done.returncode}: {done.stderr.decode()[-1000:]}")
    summary = json.loads(done.stdout)
    ids = [entry["id"] for entry in summary["uploaded"]]
    if len(ids) != expected or summary["duplicates"] or summary["failed"]:
        raise RuntimeError(
            f"{len(ids)} uploaded of {expected}, {len(summary['duplicates'])} duplicates, "
            f"{len(summary['failed'])} failed: {summary['failed'][:3]}"
        )
    return {"ms": elapsed * 1000, "files": expected}, ids


def settle(stack: LocalStack, ids: list[str]) -> dict[str, Any]:
    """Untimed: wait until every asset is processed, so that the processor's work never overlaps the next timed
    measurement. Returns how long that took after the CLI's exit, and how the assets ended. They stay: every round
    uploads new bytes (no duplicates), and the stack is thrown away at the end."""
    started = time.perf_counter()
    deadline = started + READY_TIMEOUT_SECONDS
    statuses: set[str] = set()
    with requests.Session() as api:
        for asset_id in ids:
            while True:
                got = api.get(f"{stack.url}/v1/assets/{asset_id}", headers=stack.headers, timeout=API_TIMEOUT_SECONDS)
                got.raise_for_status()
                if got.json()["status"] != "pending":
                    statuses.add(got.json()["status"])
                    break
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"asset {asset_id} still pending after {READY_TIMEOUT_SECONDS} s")
                time.sleep(0.25)
    return {"processed_after_s": round(time.perf_counter() - started, 1), "statuses": sorted(statuses)}


def measure_boto3(s3: Any, bucket: str, paths: list[Path], part_size: int, concurrency: int) -> dict[str, Any]:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=part_size, multipart_chunksize=part_size, max_concurrency=concurrency, use_threads=True
    )
    prefix = f"bench/cli-{secrets.token_hex(4)}/"

    def put(path: Path) -> None:
        s3.upload_file(str(path), bucket, prefix + path.name, Config=config)

    started = time.perf_counter()
    if len(paths) == 1:
        put(paths[0])
    else:
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(put, paths))
    elapsed = time.perf_counter() - started
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1000).get("Contents", [])
    if len(listed) != len(paths) or sum(o["Size"] for o in listed) != sum(p.stat().st_size for p in paths):
        raise RuntimeError(f"{len(listed)} objects under {prefix}, not the {len(paths)} files")
    for first in range(0, len(listed), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": o["Key"]} for o in listed[first : first + 1000]]})
    return {"ms": elapsed * 1000, "files": len(paths)}


def summarize(size: int, runs: list[dict[str, Any]], errors: list[str]) -> dict[str, Any]:
    """`bench.uploads`' summary (samples, errors, ms, MiB/s), and files a second."""
    summary = uploads.summarize(size, runs, errors)
    median = summary["ms"]["median"]
    summary["files_per_s"] = round(runs[0]["files"] / (median / 1000), 1) if median else None
    return summary


def print_table(report: dict[str, Any]) -> None:
    settings = report["settings"]
    print(
        f"small: {settings['files']} files of {settings['file_kib']} KiB; large: {settings['size_mib']} MiB; "
        f"concurrency {settings['concurrency']}; {settings['runs']} rounds"
    )
    header = f"{'workload':<10}{'path':<8}{'ms med':>10}{'min-max':>17}{'MiB/s':>8}{'files/s':>9}{'cli/boto3':>11}"
    print(header)
    print("-" * len(header))
    for workload in WORKLOADS:
        for kind in KINDS:
            s = report["results"][workload][kind]
            if s["ms"]["median"] is None:
                print(f"{workload:<10}{kind:<8}  failed")
                continue
            ratio = report["ratios"][workload] if kind == "cli" else None
            print(
                f"{workload:<10}{kind:<8}{s['ms']['median']:>10.0f}{s['ms']['min']:>8.0f}-{s['ms']['max']:<8.0f}"
                f"{s['mib_per_s']:>8.1f}{s['files_per_s']:>9.1f}{'' if ratio is None else f'{ratio:.2f}':>11}"
            )


def run(runs: int, files: int, file_kib: int, size_mib: int, concurrency: int, out: Path) -> int:
    began = time.perf_counter()
    from local.stack import SETTINGS

    workdir = Path(tempfile.mkdtemp(prefix="bench-cli-uploads-"))
    stack = LocalStack(workdir)
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {w: {k: [] for k in KINDS} for w in WORKLOADS}
    errors: dict[str, dict[str, list[str]]] = {w: {k: [] for k in KINDS} for w in WORKLOADS}
    rounds: list[dict[str, Any]] = []
    setup_error = ""
    part_size = 0
    sizes = {"small": files * file_kib * 1024, "large": size_mib * MIB}
    try:
        print("starting the local stack ...", flush=True)
        stack.start()
        created = requests.post(
            f"{stack.url}/v1/uploads",
            json={"filename": "probe.bin", "content_type": "application/octet-stream", "size": sizes["large"]},
            headers=stack.headers,
            timeout=API_TIMEOUT_SECONDS,
        ).json()
        part_size = created["upload"]["part_size"]
        requests.delete(
            f"{stack.url}/v1/uploads/{created['upload']['upload_id']}", headers=stack.headers, timeout=60
        ).raise_for_status()
        s3 = s3_client(stack, concurrency, checksums=True)
        s3.head_bucket(Bucket=SETTINGS.bucket_name)
        for r in range(runs):
            this_round: dict[str, Any] = {"round": r + 1}
            for workload in WORKLOADS:
                print(f"round {r + 1}/{runs}, {workload}: making the files ...", flush=True)
                if workload == "small":
                    paths = make_small(workdir / "small", files, file_kib)
                    target = workdir / "small"
                else:
                    target = workdir / f"large-{r + 1}.bin"
                    shutil.rmtree(workdir / "small", ignore_errors=True)
                    generate(target, sizes["large"])
                    paths = [target]
                order = KINDS if r % 2 == 0 else KINDS[::-1]
                for kind in order:
                    if errors[workload][kind]:
                        continue
                    time.sleep(SETTLE_SECONDS)
                    try:
                        if kind == "cli":
                            result, ids = measure_cli(stack, target, len(paths), concurrency)
                            result |= settle(stack, ids)
                        else:
                            result = measure_boto3(s3, SETTINGS.bucket_name, paths, part_size, concurrency)
                    except Exception as error:  # a failed measurement is reported, never a nice number
                        errors[workload][kind].append(f"round {r + 1}: {type(error).__name__}: {error}{stack.status()}")
                        continue
                    samples[workload][kind].append(result)
                    this_round[f"{workload}_{kind}"] = {
                        k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()
                    }
                    print(f"  {kind}: {result['ms']:.0f} ms", flush=True)
                if workload == "large":
                    target.unlink()
            rounds.append(this_round)
    except Exception as error:
        setup_error = f"setup: {type(error).__name__}: {error}{stack.status()}"
    finally:
        failed = setup_error or any(e for w in errors.values() for e in w.values())
        log_tail = stack.log_tail() if failed else ""
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    results = {w: {k: summarize(sizes[w], samples[w][k], errors[w][k]) for k in KINDS} for w in WORKLOADS}
    ratios = {}
    for workload in WORKLOADS:
        cli, boto = (results[workload][k]["ms"]["median"] for k in KINDS)
        ratios[workload] = round(cli / boto, 2) if cli and boto else None
    failures = [f"{w} {k}: {e}" for w in WORKLOADS for k in KINDS for e in errors[w][k]]
    failures += [setup_error] if setup_error else []
    import boto3
    import httpx

    report = {
        **report_head("cli_uploads", failures),
        "settings": {
            "runs": runs,
            "files": files,
            "file_kib": file_kib,
            "size_mib": size_mib,
            "concurrency": concurrency,
            "part_size": part_size,
            "bucket": SETTINGS.bucket_name,
        },
        "method": (
            "One local stack for the whole run. cli = wall time of `assets upload <dir|file> --json --concurrency N` "
            "(process start, SHA-256, POST /v1/uploads per file, presigned POSTs or parts, completion); after it, "
            "untimed, the assets are waited for until processed. boto3 = upload_file of the "
            "same files to the same emulator (small: N threads; large: multipart_chunksize = the API's part size, "
            "max_concurrency = N). New random bytes every round; order alternates; medians with min/max; ratio = "
            "cli median / boto3 median."
        ),
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "boto3": boto3.__version__,
            "httpx": httpx.__version__,
        },
        "ratios": ratios,
        "results": results,
        "rounds": rounds,
        "duration_s": round(time.perf_counter() - began, 1),
    }
    if log_tail:
        report["local_stack_log_tail"] = log_tail.splitlines()
    count = sum(len(k) for w in samples.values() for k in w.values())
    return finish(report, out, print_table, f"{count} measurements in {report['duration_s']} s", failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli_uploads", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of every measurement (default 3)")
    parser.add_argument("--files", type=int, default=500, help="small files (default 500)")
    parser.add_argument("--file-kib", type=int, default=16, help="size of each small file in KiB (default 16)")
    parser.add_argument("--size-mib", type=int, default=1024, help="the large file in MiB (default 1024)")
    parser.add_argument("--concurrency", type=int, default=4, help="files or parts in flight, both paths (default 4)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if min(args.runs, args.files, args.file_kib, args.concurrency) < 1 or args.size_mib <= 100:
        parser.error("--runs, --files, --file-kib and --concurrency must be >= 1, --size-mib over 100 (multipart)")
    return run(args.runs, args.files, args.file_kib, args.size_mib, args.concurrency, args.out)


if __name__ == "__main__":
    sys.exit(main())
