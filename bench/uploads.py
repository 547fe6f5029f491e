"""Upload benchmark: a multipart upload through the local stack's API, next to boto3's `upload_file` in the same run.

    python -m bench.uploads [--runs 3] [--size-mib 1024] [--concurrency 4] [--out bench/results/uploads.json]

One local stack (`python -m local`, what `make dev` runs) is started for the whole run on free ports, with a
`DEV_API_KEY` of its own, and stopped at the end. One file of `--size-mib` (a random 4 MiB block repeated) is
written to a temporary directory and deleted at the end. Per round, three measurements, whose order rotates
between rounds so that they share the machine's noise (each follows an untimed pause of `SETTLE_SECONDS`):

- `api`: what a client does. `POST /v1/uploads` (declared size, `application/octet-stream`) answers a multipart
  ticket; each part is read from the file and PUT to its presigned URL by `--concurrency` threads (requests, one
  session per thread); URLs past the ones given come from `POST /v1/uploads/{id}/parts`; then
  `POST /v1/uploads/{id}/complete` with every part's ETag. `ms` runs from the first POST to the complete's
  answer, split into `create_ms`, `part_urls_ms`, `puts_ms` and `complete_ms`. `until_ready_ms` runs from the same
  POST until `GET /v1/assets/{id}` says `ready` (the processor's inspection, hashes and seal copy included) and
  `processing_ms` from the complete's answer to then; the size and SHA-256 of the ready asset must be the file's.
- `boto3`: the `aws s3 cp` baseline. `upload_file` to the same emulator and bucket, under `bench/` (outside
  `uploads/`, so the processor never sees it), with `TransferConfig(multipart_chunksize=<the API's part size>,
  max_concurrency=<the same concurrency>)` and botocore's defaults otherwise (a CRC32 checksum on every part).
  `puts_ms` runs to its `CompleteMultipartUpload` (its `CreateMultipartUpload` included),
  `complete_ms` from there. The object's size is checked, then it is deleted.
- `boto3_no_checksums`: a reference, the same with `request_checksum_calculation="when_required"`: a multipart
  upload created without a checksum algorithm, as the API's is. moto's `CompleteMultipartUpload` then builds a
  full-object checksum (another copy of the whole object, CRC64NVME falling back to CRC32 without awscrt), which
  costs it seconds per GiB here; with CRC32 part checksums it only combines the parts' checksums. This row
  separates the API's own cost from that choice of moto's.

Before the first round, untimed: one `POST /v1/uploads` aborted with `DELETE /v1/uploads/{id}` (it gives the part
size and warms the API's clients) and a `HeadBucket` per client. The assets are deleted at the end
(`DELETE /v1/assets/{id}?permanent=true`).

Target: the API's median upload time within 1.25x of boto3's (it does the same PUTs plus two API calls and the
part checks at completion). A missed target is a result: the exit code is 0 unless a measurement itself failed.
moto serves every path here, so the figures are the emulator's and this machine's, not S3's.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from bench.common import finish, report_head, stats

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "uploads.json"
MIB = 1024 * 1024
FILL_BYTES = 4 * MIB
"""The file repeats one random block of this size: neither path looks at the bytes."""
KINDS = ("api", "boto3", "boto3_no_checksums")
"""`boto3_no_checksums` is a reference: the target compares `api` with `boto3`."""
SETTLE_SECONDS = 2
"""Untimed pause before each measurement, for the previous one's background work (events, deletes) to end."""
TARGET_RATIO = 1.25
CONTENT_TYPE = "application/octet-stream"
MAX_PART_URLS = 1000
"""Part numbers one `POST /v1/uploads/{id}/parts` may ask for."""
STARTUP_TIMEOUT_SECONDS = 60
API_TIMEOUT_SECONDS = 120
PART_TIMEOUT_SECONDS = 300
READY_TIMEOUT_SECONDS = 1800
"""moto reads the whole object for each of the processor's ranged GETs: about 65 s for 1 GiB here."""
POLL_SECONDS = 0.25
REGION = "us-east-1"


# ---------------------------------------------------------------------------------------------- the stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStack:
    """`python -m local` in a child process, on free ports, with its own dev key (as `tests/e2e/conftest.py`)."""

    def __init__(self, workdir: Path):
        self.port, self.emulator_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"http://127.0.0.1:{self.emulator_port}"
        self.key = "dam_bench-" + secrets.token_urlsafe(16)
        self.log = workdir / "local-stack.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def start(self) -> None:
        env = {
            **os.environ,
            "DEV_API_KEY": self.key,
            "PORT": str(self.port),
            "EMULATOR_PORT": str(self.emulator_port),
            "PYTHONFAULTHANDLER": "1",  # a crash of the stack leaves its traceback in the log
        }
        env.pop("AWS_ENDPOINT_URL", None)
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local"], cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            try:
                if requests.get(f"{self.url}/v1/assets", headers=self.headers, timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local stack did not start:\n{self.log_tail()}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def status(self) -> str:
        """Why a request to the stack may have failed: its exit code once it has gone."""
        code = self.process.poll() if self.process else None
        return "" if code is None else f" (the local stack exited with code {code})"

    def peak_rss_mib(self) -> float | None:
        """The stack process's peak resident memory so far (VmHWM), or None once it has gone."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:  # type: ignore[union-attr]
                for line in status:
                    if line.startswith("VmHWM:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# ------------------------------------------------------------------------------------------------ the file


def generate(path: Path, size: int) -> str:
    """`size` bytes of one random block repeated; returns their SHA-256."""
    block = os.urandom(FILL_BYTES)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        left = size
        while left:
            chunk = block[: min(left, len(block))]
            out.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    if path.stat().st_size != size:
        raise RuntimeError(f"the file has {path.stat().st_size} bytes, not {size}")
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------------ the API


def _answer(response: requests.Response, expected: int, what: str) -> Any:
    """The JSON of an answer with the expected status; anything else fails the measurement with its body."""
    if response.status_code != expected:
        raise RuntimeError(f"{what}: {response.status_code} (expected {expected}): {response.text[:500]}")
    return response.json() if response.content else None


def create_upload(stack: LocalStack, api: requests.Session, size: int, filename: str) -> dict[str, Any]:
    body = {"filename": filename, "content_type": CONTENT_TYPE, "size": size}
    created = _answer(
        api.post(f"{stack.url}/v1/uploads", json=body, headers=stack.headers, timeout=API_TIMEOUT_SECONDS),
        201,
        "POST /v1/uploads",
    )
    if created["upload"]["method"] != "multipart":
        raise RuntimeError(f"a {size}-byte upload is {created['upload']['method']!r}, not multipart")
    return created


def warm_up(stack: LocalStack, size: int) -> dict[str, Any]:
    """Untimed: create an upload and abort it. Returns its ticket (the part size the API chooses for `size`)."""
    with requests.Session() as api:
        created = create_upload(stack, api, size, "warm-up.bin")
        upload, asset_id = created["upload"], created["asset"]["id"]
        aborted = api.delete(
            f"{stack.url}/v1/uploads/{upload['upload_id']}", headers=stack.headers, timeout=API_TIMEOUT_SECONDS
        )
        _answer(aborted, 204, "DELETE /v1/uploads/{id}")
        gone = api.get(f"{stack.url}/v1/assets/{asset_id}", headers=stack.headers, timeout=API_TIMEOUT_SECONDS)
        _answer(gone, 404, "GET /v1/assets/{id} of an aborted upload")
    return upload


def measure_api(stack: LocalStack, path: Path, size: int, sha256: str, concurrency: int, ids: list[str]) -> dict:
    """One upload as a client does it; the new asset's id goes into `ids` as soon as it exists."""
    local = threading.local()
    sessions: list[requests.Session] = []
    lock = threading.Lock()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            with lock:
                sessions.append(local.session)
        return local.session

    api = requests.Session()
    fd = os.open(path, os.O_RDONLY)
    upload_id, completed = None, False
    try:
        started = time.perf_counter()
        created = create_upload(stack, api, size, path.name)
        ids.append(created["asset"]["id"])
        created_at = time.perf_counter()
        upload = created["upload"]
        upload_id, part_size, part_count = upload["upload_id"], upload["part_size"], upload["part_count"]
        urls = {part["number"]: part["url"] for part in upload["parts"]}
        missing = [n for n in range(1, part_count + 1) if n not in urls]
        url_requests = 0
        for first in range(0, len(missing), MAX_PART_URLS):
            signed = api.post(
                f"{stack.url}/v1/uploads/{upload_id}/parts",
                json={"numbers": missing[first : first + MAX_PART_URLS]},
                headers=stack.headers,
                timeout=API_TIMEOUT_SECONDS,
            )
            urls.update({part["number"]: part["url"] for part in _answer(signed, 200, "POST .../parts")["parts"]})
            url_requests += 1
        if sorted(urls) != list(range(1, part_count + 1)):
            raise RuntimeError(f"part URLs for {sorted(urls)[:5]}... of {part_count} parts")

        def put(number: int) -> dict[str, Any]:
            offset = (number - 1) * part_size
            data = os.pread(fd, min(part_size, size - offset), offset)
            answer = session().put(urls[number], data=data, timeout=PART_TIMEOUT_SECONDS)
            if answer.status_code != 200 or "ETag" not in answer.headers:
                raise RuntimeError(f"PUT part {number}: {answer.status_code}: {answer.text[:300]}")
            return {"number": number, "etag": answer.headers["ETag"]}

        signed_at = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="part") as pool:
            parts = list(pool.map(put, range(1, part_count + 1)))
        if sum(min(part_size, size - (n - 1) * part_size) for n in range(1, part_count + 1)) != size:
            raise RuntimeError(f"{part_count} parts of {part_size} bytes do not make {size} bytes")
        put_at = time.perf_counter()
        done = api.post(
            f"{stack.url}/v1/uploads/{upload_id}/complete",
            json={"parts": parts},
            headers=stack.headers,
            timeout=API_TIMEOUT_SECONDS,
        )
        answer = _answer(done, 200, "POST .../complete")
        uploaded = time.perf_counter()
        completed = True
        asset_id = answer["asset"]["id"]

        deadline = uploaded + READY_TIMEOUT_SECONDS
        while True:
            got = api.get(f"{stack.url}/v1/assets/{asset_id}", headers=stack.headers, timeout=API_TIMEOUT_SECONDS)
            asset = _answer(got, 200, "GET /v1/assets/{id}")
            if asset["status"] != "pending":
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"asset {asset_id} still pending {READY_TIMEOUT_SECONDS} s after completion")
            time.sleep(POLL_SECONDS)
        ready = time.perf_counter()
        if asset["status"] != "ready":
            raise RuntimeError(f"asset {asset_id} ended {asset['status']}: {asset.get('error')}")
        if (asset["size"], asset["sha256"]) != (size, sha256):
            raise RuntimeError(f"the ready asset has size {asset['size']}, sha256 {asset['sha256']}: not the file's")
        return {
            "ms": (uploaded - started) * 1000,
            "until_ready_ms": (ready - started) * 1000,
            "processing_ms": (ready - uploaded) * 1000,
            "create_ms": (created_at - started) * 1000,
            "part_urls_ms": (signed_at - created_at) * 1000,
            "puts_ms": (put_at - signed_at) * 1000,
            "complete_ms": (uploaded - put_at) * 1000,
            "part_size": part_size,
            "part_count": part_count,
            "part_urls_given": len(upload["parts"]),
            "part_url_requests": url_requests,
            "asset_id": asset_id,
        }
    except BaseException:
        if upload_id and not completed:  # abort: no multipart upload left open, the pending asset purged
            try:
                aborted = api.delete(
                    f"{stack.url}/v1/uploads/{upload_id}", headers=stack.headers, timeout=API_TIMEOUT_SECONDS
                )
                if aborted.status_code == 204:
                    ids.pop()
            except requests.RequestException:
                pass
        raise
    finally:
        os.close(fd)
        api.close()
        for each in sessions:
            each.close()


# ---------------------------------------------------------------------------------------------- boto3


def s3_client(stack: LocalStack, concurrency: int, checksums: bool) -> Any:
    """A client of the stack's emulator; `checksums=False`: botocore sends no checksum it is not required to."""
    import boto3
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        max_pool_connections=max(10, concurrency),
        request_checksum_calculation="when_supported" if checksums else "when_required",
    )
    session = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=REGION)
    return session.client("s3", endpoint_url=stack.endpoint, config=config)


def measure_boto3(s3: Any, path: Path, size: int, bucket: str, key: str, part_size: int, concurrency: int) -> dict:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=part_size, multipart_chunksize=part_size, max_concurrency=concurrency, use_threads=True
    )
    moments: dict[str, float] = {}

    def completing(**_: Any) -> None:
        moments.setdefault("complete", time.perf_counter())

    s3.meta.events.register("before-call.s3.CompleteMultipartUpload", completing)
    try:
        started = time.perf_counter()
        s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": CONTENT_TYPE}, Config=config)
        finished = time.perf_counter()
        head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        if head["ContentLength"] != size:
            raise RuntimeError(f"s3://{bucket}/{key} has {head['ContentLength']} bytes, not {size}")
        parts = head.get("ETag", "").strip('"').partition("-")[2]
        if "complete" not in moments or not parts:
            raise RuntimeError(f"s3://{bucket}/{key} was not a multipart upload")
        return {
            "ms": (finished - started) * 1000,
            "puts_ms": (moments["complete"] - started) * 1000,
            "complete_ms": (finished - moments["complete"]) * 1000,
            "part_size": part_size,
            "part_count": int(parts),
            "object_checksums": sorted(name for name in head if name.startswith("Checksum")),
        }
    finally:
        s3.meta.events.unregister("before-call.s3.CompleteMultipartUpload", completing)
        s3.delete_object(Bucket=bucket, Key=key)


# ------------------------------------------------------------------------------------------------ report


def summarize(size: int, runs: list[dict[str, Any]], errors: list[str]) -> dict[str, Any]:
    summary: dict[str, Any] = {"samples": len(runs), "errors": errors, "ms": stats([r["ms"] for r in runs], 0)}
    median = summary["ms"]["median"]
    summary["mib_per_s"] = round(size / MIB / (median / 1000), 1) if median else None
    for extra in ("puts_ms", "complete_ms", "until_ready_ms", "processing_ms", "create_ms", "part_urls_ms"):
        if runs and extra in runs[0]:
            summary[extra] = stats([r[extra] for r in runs], 0)
    return summary


def print_table(report: dict[str, Any]) -> None:
    settings = report["settings"]
    print(
        f"{settings['size_mib']} MiB in {settings['part_count']} parts of {(settings['part_size'] or 0) // MIB} MiB, "
        f"{settings['concurrency']} at a time, {settings['runs']} rounds"
    )
    header = (
        f"{'path':<20}{'ms med':>8}{'min-max':>15}{'MiB/s':>7}{'puts ms':>9}{'complete ms':>13}"
        f"{'until ready ms (min-max)':>28}"
    )
    print(header)
    print("-" * len(header))
    for kind, s in report["results"].items():
        if s["ms"]["median"] is None:
            print(f"{kind:<20}  failed")
            continue
        spread = f"{s['ms']['min']:.0f}-{s['ms']['max']:.0f}"
        ready = s.get("until_ready_ms")
        ready_text = f"{ready['median']:.0f} ({ready['min']:.0f}-{ready['max']:.0f})" if ready else ""
        print(
            f"{kind:<20}{s['ms']['median']:>8.0f}{spread:>15}{s['mib_per_s']:>7.0f}{s['puts_ms']['median']:>9.0f}"
            f"{s['complete_ms']['median']:>13.0f}{ready_text:>28}"
        )
    target = report["targets"]["api_vs_boto3"]
    ratio = "n/a" if target["ratio"] is None else f"{target['ratio']:.2f}"
    verdict = "met" if target["met"] else "NOT met"
    print(f"\napi / boto3 median time: {ratio} (target: within {target['target']}x): {verdict}")
    reference = report["reference"]["api_vs_boto3_no_checksums"]
    print(f"api / boto3_no_checksums (reference): {'n/a' if reference is None else f'{reference:.2f}'}")


def run(runs: int, size_mib: int, concurrency: int, out: Path) -> int:
    began = time.perf_counter()
    from local.stack import SETTINGS

    size = size_mib * MIB
    workdir = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    stack = LocalStack(workdir)
    samples: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    errors: dict[str, list[str]] = {kind: [] for kind in KINDS}
    rounds: list[dict[str, Any]] = []
    asset_ids: list[str] = []
    cleanup_errors: list[str] = []
    ticket: dict[str, Any] = {}
    setup_error = ""
    generated_s = 0.0
    try:
        print(f"generating {size_mib} MiB ...", flush=True)
        path = workdir / f"bench-{size_mib}mib.bin"
        sha256 = generate(path, size)
        generated_s = time.perf_counter() - began
        print("starting the local stack ...", flush=True)
        stack.start()
        ticket = warm_up(stack, size)
        part_size = ticket["part_size"]
        clients = {
            "boto3": s3_client(stack, concurrency, checksums=True),
            "boto3_no_checksums": s3_client(stack, concurrency, checksums=False),
        }
        for client in clients.values():
            client.head_bucket(Bucket=SETTINGS.bucket_name)
        for r in range(runs):
            order = KINDS[r % len(KINDS) :] + KINDS[: r % len(KINDS)]
            print(f"round {r + 1}/{runs}: {' then '.join(order)} ...", flush=True)
            this_round: dict[str, Any] = {"round": r + 1, "order": list(order)}
            for kind in order:
                if errors[kind]:
                    continue
                time.sleep(SETTLE_SECONDS)
                try:
                    if kind == "api":
                        result = measure_api(stack, path, size, sha256, concurrency, asset_ids)
                    else:
                        key = f"bench/uploads-{r + 1}-{secrets.token_hex(4)}.bin"
                        result = measure_boto3(
                            clients[kind], path, size, SETTINGS.bucket_name, key, part_size, concurrency
                        )
                except Exception as error:  # a failed measurement is reported, never a nice number
                    errors[kind].append(f"round {r + 1}: {type(error).__name__}: {error}{stack.status()}")
                    continue
                result["stack_peak_rss_mib"] = stack.peak_rss_mib()
                samples[kind].append(result)
                this_round[kind] = {k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}
                print(f"  {kind}: {result['ms']:.0f} ms", flush=True)
            rounds.append(this_round)
    except Exception as error:
        setup_error = f"setup: {type(error).__name__}: {error}{stack.status()}"
    finally:
        if stack.process is not None and stack.process.poll() is None:
            for asset_id in asset_ids:
                try:
                    deleted = requests.delete(
                        f"{stack.url}/v1/assets/{asset_id}?permanent=true",
                        headers=stack.headers,
                        timeout=API_TIMEOUT_SECONDS,
                    )
                    if deleted.status_code != 204:
                        cleanup_errors.append(f"DELETE {asset_id}: {deleted.status_code}: {deleted.text[:300]}")
                except requests.RequestException as error:
                    cleanup_errors.append(f"DELETE {asset_id}: {error}")
        log_tail = stack.log_tail() if setup_error or any(errors.values()) else ""
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    results = {kind: summarize(size, samples[kind], errors[kind]) for kind in KINDS}
    api_ms = results["api"]["ms"]["median"]
    ratios = {
        kind: round(api_ms / results[kind]["ms"]["median"], 2) if api_ms and results[kind]["ms"]["median"] else None
        for kind in KINDS[1:]
    }
    failures = [f"{kind}: {e}" for kind in KINDS for e in errors[kind]] + ([setup_error] if setup_error else [])
    import boto3
    import botocore
    import s3transfer

    report = {
        **report_head("uploads", failures),
        "settings": {
            "runs": runs,
            "size_mib": size_mib,
            "size": size,
            "concurrency": concurrency,
            "part_size": ticket.get("part_size"),
            "part_count": ticket.get("part_count"),
            "content_type": CONTENT_TYPE,
            "bucket": SETTINGS.bucket_name,
        },
        "method": (
            "One local stack (python -m local: moto server, gateway, processor worker) for the whole run. api = "
            "POST /v1/uploads, PUT of every part to its presigned URL by `concurrency` threads (requests), more part "
            "URLs if needed, POST .../complete: ms from the first POST to the complete's answer; until_ready_ms "
            "from the same POST until GET /v1/assets/{id} is ready (polled every 0.25 s), processing_ms from the "
            "complete's answer to then; create_ms, part_urls_ms, puts_ms, complete_ms split ms. boto3 = "
            "upload_file to the same emulator and bucket under bench/ with multipart_chunksize = the API's part "
            "size and max_concurrency = concurrency (botocore's default CRC32 checksums on), ms around upload_file "
            "alone. Order alternates between rounds; medians with min/max; mib_per_s = size / median ms; ratio = "
            "api median / boto3 median."
        ),
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "boto3": boto3.__version__,
            "botocore": botocore.__version__,
            "s3transfer": s3transfer.__version__,
            "requests": requests.__version__,
        },
        "targets": {
            "api_vs_boto3": {
                "target": TARGET_RATIO,
                "ratio": ratios["boto3"],
                "met": ratios["boto3"] is not None and ratios["boto3"] <= TARGET_RATIO,
            }
        },
        "reference": {"api_vs_boto3_no_checksums": ratios["boto3_no_checksums"]},
        "results": results,
        "rounds": rounds,
        "local_stack_peak_rss_mib": max(
            (r["stack_peak_rss_mib"] for rs in samples.values() for r in rs if r["stack_peak_rss_mib"]), default=None
        ),
        "cleanup": {"assets_deleted": len(asset_ids) - len(cleanup_errors), "errors": cleanup_errors},
        "generation_s": round(generated_s, 1),
        "duration_s": round(time.perf_counter() - began, 1),
    }
    if log_tail:
        report["local_stack_log_tail"] = log_tail.splitlines()
    if cleanup_errors:
        print("cleanup:", *cleanup_errors, sep="\n  ", file=sys.stderr)
    count = sum(len(s) for s in samples.values())
    summary = f"{count} measurements in {report['duration_s']} s (file made in {report['generation_s']} s)"
    return finish(report, out, print_table, summary, failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.uploads", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds of every measurement (default 3)")
    parser.add_argument("--size-mib", type=int, default=1024, help="file size in MiB (default 1024)")
    parser.add_argument("--concurrency", type=int, default=4, help="parts in flight, every path (default 4)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.concurrency < 1 or args.size_mib <= 100:
        parser.error("--runs and --concurrency must be >= 1, --size-mib over 100 (a smaller file is one POST)")
    return run(args.runs, args.size_mib, args.concurrency, args.out)


if __name__ == "__main__":
    sys.exit(main())
