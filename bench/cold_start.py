"""Cold-start benchmark: every API handler and the authorizer against a naive baseline, in the same run.

    python -m bench.cold_start [--runs 7] [--warmup 1] [--out bench/results/cold_start.json]

Each measurement is a fresh interpreter (`sys.executable -c`) that imports one handler module, then serves
one realistic API Gateway event against a single moto server started here for the whole run. The child
reports `import_ms` (import of the module, the interpreter's own start-up excluded) and
`first_request_ms` (the first `handler(event, context)` call, lazy clients and resolver included) and
asserts the exact status the route answers on success, so a broken handler cannot produce a nice number.

Every handler run is followed by a run of `bench/naive_handler.py` (the same route written "the usual
way"), and the order of handlers rotates each round, so handler and baseline share the machine's noise.
Children get the variables the Lambda runtime sets, so the naive handler's Tracer runs as deployed (see
`child_env`); the naive handler without them is measured once per round as a reference only.
The target is `median total(handler) <= 0.5 * median total(naive)` for every API handler. Missing the
target is a result, not a failure: the exit code is 0 unless a measurement itself failed (then 1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.common import finish, report_head, start_emulator, stats

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "cold_start.json"
TARGET_RATIO = 0.5
TENANT = "bench"
SCOPES = "assets:read assets:write keys:admin"
REGION = "us-east-1"
ACCOUNT = "123456789012"
API_ID = "abcdef1234"
STAGE = "prod"
CHILD_TIMEOUT_SECONDS = 60
RESULT_PREFIX = "BENCH_RESULT "

# Run by `sys.executable -c` in the repository root: nothing but `sys` and `time` is imported before the
# clock starts. argv: module, expected status, event (JSON).
CHILD = r"""
import sys, time
t0 = time.perf_counter()
__import__(sys.argv[1])
handler = sys.modules[sys.argv[1]].handler
t1 = time.perf_counter()
import json, types
expected = int(sys.argv[2])
event = json.loads(sys.argv[3])
context = types.SimpleNamespace(
    function_name="bench", function_version="$LATEST", memory_limit_in_mb=512,
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:bench",
    aws_request_id="c6af9ac6-7b61-11e6-9a41-93e812345678", log_group_name="/aws/lambda/bench",
    log_stream_name="2024/01/01/[$LATEST]bench", get_remaining_time_in_millis=lambda: 30_000,
)
t2 = time.perf_counter()
result = handler(event, context)
t3 = time.perf_counter()
if "statusCode" in result:
    status = result["statusCode"]
else:
    status = 200 if result["policyDocument"]["Statement"][0]["Effect"] == "Allow" else 403
if status != expected:
    sys.stderr.write(f"expected status {expected}, got {status}: {json.dumps(result)[:2000]}\n")
    sys.exit(3)
import_ms, request_ms = (t1 - t0) * 1000, (t3 - t2) * 1000
print("BENCH_RESULT " + json.dumps({
    "import_ms": import_ms, "first_request_ms": request_ms, "total_ms": import_ms + request_ms, "status": status,
}), flush=True)
"""


@dataclass
class Fixture:
    endpoint: str
    settings_env: dict[str, str]
    api_key: str
    asset_id: str
    """A `ready` asset read by get, download and the naive handler."""
    update_id: str
    delete_ids: list[str]
    """One asset per delete_asset run: deleting is what that handler does."""
    restore_ids: list[str]
    """One asset in the trash per restore_asset run."""
    purge_ids: list[str]
    """One asset in the trash per purge_asset run."""
    version_ids: list[str]
    """One asset with a pending version 2 per delete_version run."""
    upload_id: str
    """A multipart upload whose parts sign_upload_parts signs."""
    completions: list[tuple[str, str]]
    """One multipart upload (its id, its one part's ETag) per complete_upload run."""
    abort_ids: list[str]
    """One multipart upload per abort_upload run."""
    folder_id: str
    """A folder read and renamed by get_folder and update_folder."""
    delete_folder_ids: list[str]
    """One empty folder per delete_folder run."""
    comment_ids: list[str]
    """One comment on `asset_id` per delete_comment run."""
    share_id: str
    """A password share of `asset_id`, read, updated and unlocked (its token: `locked_token`)."""
    locked_token: str
    open_token: str
    """A share without a password, visited and downloaded from."""
    delete_share_ids: list[str]
    """One share per delete_share run."""
    export_id: str
    """A ready export that get_export reads (create_export queues its own on the exports queue)."""
    shared_export_id: str
    """A ready export the open share made, that get_shared_export reads (export_shared queues its own)."""
    delete_key_ids: list[str]
    """One API key of the tenant per delete_key run."""


@dataclass
class Target:
    name: str
    module: str
    expected_status: int
    route: str
    samples: list[dict[str, float]] = field(default_factory=list)
    paired_naive_total: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- events


def rest_event(
    method: str,
    resource: str,
    path_params: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST proxy event as the cloud sends it, after the authorizer allowed the call."""
    path = resource
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", value)
    headers = {
        "Accept": "application/json",
        "Authorization": "Bearer <redacted>",
        "Host": f"{API_ID}.execute-api.{REGION}.amazonaws.com",
        "User-Agent": "bench/1.0",
        "X-Amzn-Trace-Id": "Root=1-5e1b4151-5ac6c58f1b5ee25c3e2a2d3e",
        "X-Forwarded-For": "203.0.113.10",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if body is not None:
        headers["Content-Type"] = "application/json"
    request_id = str(uuid.uuid4())
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_params,
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": API_ID,
            "authorizer": {"principalId": TENANT, "tenant": TENANT, "scopes": SCOPES, "integrationLatency": 12},
            "domainName": f"{API_ID}.execute-api.{REGION}.amazonaws.com",
            "domainPrefix": API_ID,
            "extendedRequestId": "bench=",
            "httpMethod": method,
            "identity": {"sourceIp": "203.0.113.10", "userAgent": "bench/1.0"},
            "path": f"/{STAGE}{path}",
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTime": "01/Jan/2025:00:00:00 +0000",
            "requestTimeEpoch": 1735689600000,
            "resourceId": "abc123",
            "resourcePath": resource,
            "stage": STAGE,
        },
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def token_event(key: str) -> dict[str, Any]:
    return {
        "type": "TOKEN",
        "authorizationToken": f"Bearer {key}",
        "methodArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API_ID}/{STAGE}/GET/v1/assets",
    }


def event_for(name: str, fixture: Fixture, run: int) -> dict[str, Any]:
    """The event for one run of a target. `run` picks a fresh asset where the handler consumes one."""
    from functions.routes import BY_NAME

    if name == "authorize":
        return token_event(fixture.api_key)
    if name == "naive":
        route = BY_NAME["get_asset"]
        return rest_event(route.method, route.path, {"asset_id": fixture.asset_id})
    route = BY_NAME[name]
    asset = {
        "update_asset": fixture.update_id,
        "replace_asset": fixture.update_id,
        "delete_asset": fixture.delete_ids[run] if name == "delete_asset" else "",
        "restore_asset": fixture.restore_ids[run] if name == "restore_asset" else "",
        "purge_asset": fixture.purge_ids[run] if name == "purge_asset" else "",
        "delete_version": fixture.version_ids[run] if name == "delete_version" else "",
    }.get(name, fixture.asset_id)
    params = {"asset_id": asset} if "{asset_id}" in route.path else None
    if "{upload_id}" in route.path:
        upload_id = {
            "sign_upload_parts": fixture.upload_id,
            "complete_upload": fixture.completions[run][0] if name == "complete_upload" else "",
            "abort_upload": fixture.abort_ids[run] if name == "abort_upload" else "",
        }[name]
        params = {"upload_id": upload_id}
    if "{number}" in route.path:
        params = {"asset_id": asset, "number": "2" if name == "delete_version" else "1"}
    if "{comment_id}" in route.path:
        params = {"asset_id": asset, "comment_id": fixture.comment_ids[run]}
    if "{name}" in route.path:
        params = {"asset_id": asset, "name": "small"}
    if "{share_id}" in route.path:
        params = {"share_id": fixture.delete_share_ids[run] if name == "delete_share" else fixture.share_id}
    if "{token}" in route.path:
        params = {"token": fixture.locked_token if name == "unlock_share" else fixture.open_token}
        params |= {"asset_id": asset} if "{asset_id}" in route.path else {}
    if "{folder_id}" in route.path:
        params = {"folder_id": fixture.delete_folder_ids[run] if name == "delete_folder" else fixture.folder_id}
    if "{key_id}" in route.path:
        params = {"key_id": fixture.delete_key_ids[run]}
    if "{export_id}" in route.path:
        shared = name == "get_shared_export"
        params = (params or {}) | {"export_id": fixture.shared_export_id if shared else fixture.export_id}
    body = {
        "create_upload": {"filename": "holiday photo.jpg", "content_type": "image/jpeg", "size": 482_113},
        "create_version": {"filename": "holiday photo v2.jpg", "content_type": "image/jpeg", "size": 482_113},
        "update_asset": {"title": f"run {run}", "tags": ["bench", "cold-start"]},
        "replace_asset": {"title": f"run {run}", "tags": ["bench"]},
        "copy_asset": {},
        "create_asset": {"kind": "external_video", "url": "https://youtu.be/dQw4w9WgXcQ", "title": "bench"},
        "sign_upload_parts": {"numbers": [1]},
        "complete_upload": {"parts": [{"number": 1, "etag": fixture.completions[run][1]}]}
        if name == "complete_upload"
        else None,
        "create_folder": {"name": f"bench {run} {uuid.uuid4().hex[:8]}"},
        "create_comment": {"text": f"run {run}", "annotation": {"x": 0.1, "y": 0.1, "w": 0.5, "h": 0.5}},
        "update_folder": {"name": f"renamed {run} {uuid.uuid4().hex[:8]}"},
        "create_share": {"asset_ids": [fixture.asset_id], "max_downloads": 10},
        "update_share": {"note": f"run {run}"},
        "unlock_share": {"password": SHARE_PASSWORD},
        "create_export": {"asset_ids": [fixture.asset_id]},
        "create_key": {"scopes": ["assets:read"], "label": f"bench {run}"},
    }.get(name)
    query = {"limit": "20"} if name == "list_assets" else None
    return rest_event(route.method, route.path, params, query, body)


# ------------------------------------------------------------------------------------------- emulator


REVISION = "bench"
SHARE_PASSWORD = "bench password"
BENCH_PART_BYTES = 1024
"""The one (and so last) part of each multipart upload the upload routes are measured on."""


def seed(endpoint: str, delete_runs: int) -> Fixture:
    """Table, bucket and bus from the shared definitions, one API key, and the assets the handlers read."""
    import boto3

    from functions.adapters.comments import Comments
    from functions.adapters.exports import Exports
    from functions.adapters.folders import Folders
    from functions.adapters.keys import Keys
    from functions.adapters.shares import Shares
    from functions.adapters.table import Table
    from functions.adapters.uploads import Uploads
    from functions.adapters.versions import Versions
    from functions.models.assets import AssetRecord
    from functions.models.comments import CommentRecord
    from functions.models.common import time_ordered_id
    from functions.models.exports import ExportRecord
    from functions.models.folders import FolderRecord
    from functions.models.shares import ShareRecord
    from functions.models.uploads import UploadRecord
    from functions.models.versions import VersionRecord
    from functions.schema import TIMESTAMP_FORMAT, create_table_kwargs, original_key, rendition_key, upload_key
    from functions.services.keys import create_key, hash_key
    from functions.services.shares import hash_password, token_hash
    from functions.settings import Settings

    suffix = uuid.uuid4().hex[:8]
    settings = Settings(
        table_name=f"bench-assets-{suffix}",
        bucket_name=f"bench-assets-{suffix}",
        event_bus_name=f"bench-{suffix}",
        cursor_secret=f"bench-cursor-{suffix}",
        delivery_secret=f"bench-delivery-{suffix}",
    )
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    dynamodb = session.client("dynamodb", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint)
    events = session.client("events", endpoint_url=endpoint)
    exports_queue = session.client("sqs", endpoint_url=endpoint).create_queue(QueueName=f"bench-exports-{suffix}")
    settings = replace(settings, exports_queue_url=exports_queue["QueueUrl"])
    dynamodb.create_table(**create_table_kwargs(settings.table_name))
    s3.create_bucket(Bucket=settings.bucket_name)
    events.create_event_bus(Name=settings.event_bus_name)
    for secret in (settings.cursor_secret, settings.delivery_secret):
        session.client("secretsmanager", endpoint_url=endpoint).create_secret(
            Name=secret, SecretString=uuid.uuid4().hex
        )

    table = Table(settings.table_name, client=dynamodb)
    api_key = create_key(table, TENANT, SCOPES.split(), label="cold-start benchmark")

    def ready_asset() -> str:
        created = datetime.now(UTC)
        record = AssetRecord(
            id=uuid.uuid4().hex,
            tenant=TENANT,
            status="ready",
            kind="image",
            filename="holiday photo.jpg",
            content_type="image/jpeg",
            size=482_113,
            title="Holiday",
            tags=["bench"],
            created_at=created,
            updated_at=created,
            sha256="0" * 64,
            original_revision=REVISION,
            metadata={
                "detected_content_type": "image/jpeg",
                "format": "JPEG",
                "dimensions": {
                    "width": 4000,
                    "height": 3000,
                    "stored_width": 4000,
                    "stored_height": 3000,
                    "orientation": 1,
                },
            },
            renditions=[{"name": "small", "width": 256, "height": 192, "content_type": "image/webp", "size": 9000}],
        )
        table.put_new_asset(record)
        s3.put_object(
            Bucket=settings.bucket_name, Key=original_key(TENANT, record.id, REVISION), Body=b"\xff\xd8\xff bench"
        )
        s3.put_object(
            Bucket=settings.bucket_name, Key=rendition_key(TENANT, record.id, REVISION, "small"), Body=b"RIFF bench"
        )
        return record.id

    def trashed_asset() -> str:
        asset_id = ready_asset()
        record = table.get_asset(TENANT, asset_id)
        moment = datetime.now(UTC)
        table.trash_asset(record, moment.strftime(TIMESTAMP_FORMAT), moment + timedelta(days=30))
        return asset_id

    def replaced_asset() -> str:
        asset_id = ready_asset()
        moment = datetime.now(UTC)
        pending = VersionRecord(
            tenant=TENANT,
            asset_id=asset_id,
            number=2,
            status="pending",
            filename="v2.jpg",
            content_type="image/jpeg",
            size=1000,
            kind="image",
            created_at=moment,
        )
        assert Versions(table).allocate(pending)
        return asset_id

    def multipart(with_part: bool) -> tuple[str, str]:
        """A pending asset and its multipart upload of one part (uploaded, when `with_part`): the upload's id and
        the part's ETag."""
        created = datetime.now(UTC)
        record = AssetRecord(
            id=uuid.uuid4().hex,
            tenant=TENANT,
            status="pending",
            kind="other",
            filename="archive.bin",
            content_type="application/octet-stream",
            size=BENCH_PART_BYTES,
            created_at=created,
            updated_at=created,
            expires_at=int(created.timestamp()) + 86_400,
        )
        table.put_new_asset(record)
        key = upload_key(TENANT, record.id)
        s3_upload_id = s3.create_multipart_upload(Bucket=settings.bucket_name, Key=key)["UploadId"]
        upload = UploadRecord(
            id=uuid.uuid4().hex,
            tenant=TENANT,
            asset_id=record.id,
            number=1,
            key=key,
            s3_upload_id=s3_upload_id,
            content_type=record.content_type,
            size=record.size,
            part_size=BENCH_PART_BYTES,
            part_count=1,
            created_at=created,
            expires_at=record.expires_at or 0,
        )
        Uploads(table).put(upload)
        etag = ""
        if with_part:
            etag = s3.upload_part(
                Bucket=settings.bucket_name,
                Key=key,
                UploadId=s3_upload_id,
                PartNumber=1,
                Body=b"\0" * BENCH_PART_BYTES,
            )["ETag"]
        return upload.id, etag

    def comment(asset_id: str) -> str:
        record = CommentRecord(
            id=time_ordered_id(datetime.now(UTC)),
            tenant=TENANT,
            asset_id=asset_id,
            text="bench",
            created_at=datetime.now(UTC),
        )
        assert Comments(table).add(record)
        return record.id

    def share(asset_id: str, token: str, password: str | None = None) -> str:
        created = datetime.now(UTC)
        record = ShareRecord(
            id=time_ordered_id(created),
            tenant=TENANT,
            token_hash=token_hash(token),
            asset_ids=[asset_id],
            has_password=password is not None,
            password_hash=hash_password(password) if password else None,
            created_at=created,
            updated_at=created,
        )
        Shares(table).add(record)
        return record.id

    def api_key_id() -> str:
        made = create_key(table, TENANT, ["assets:read"], label="revoked by delete_key")
        return Keys(table).resolve(hash_key(made))["key_id"]

    def ready_export(share_id: str | None = None) -> str:
        created = datetime.now(UTC)
        record = ExportRecord(
            id=uuid.uuid4().hex,
            tenant=TENANT,
            share_id=share_id,
            status="ready",
            asset_ids=[asset_id],
            filename="export.zip",
            done=1,
            total=1,
            size=1234,
            created_at=created,
            updated_at=created,
            expires_at=int(created.timestamp()) + 86_400,
        )
        Exports(table).add(record)
        return record.id

    def folder() -> str:
        created = datetime.now(UTC)
        record = FolderRecord(
            id=uuid.uuid4().hex, tenant=TENANT, name=f"bench {uuid.uuid4().hex}", created_at=created, updated_at=created
        )
        Folders(table).create(record, None)
        return record.id

    asset_id = ready_asset()
    locked_token, open_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    open_share = share(asset_id, open_token)
    return Fixture(
        endpoint=endpoint,
        settings_env=settings.to_env(),
        api_key=api_key,
        asset_id=asset_id,
        update_id=ready_asset(),
        delete_ids=[ready_asset() for _ in range(delete_runs)],
        restore_ids=[trashed_asset() for _ in range(delete_runs)],
        purge_ids=[trashed_asset() for _ in range(delete_runs)],
        version_ids=[replaced_asset() for _ in range(delete_runs)],
        upload_id=multipart(with_part=False)[0],
        completions=[multipart(with_part=True) for _ in range(delete_runs)],
        abort_ids=[multipart(with_part=False)[0] for _ in range(delete_runs)],
        folder_id=folder(),
        delete_folder_ids=[folder() for _ in range(delete_runs)],
        comment_ids=[comment(asset_id) for _ in range(delete_runs)],
        share_id=share(asset_id, locked_token, SHARE_PASSWORD),
        locked_token=locked_token,
        open_token=open_token,
        delete_share_ids=[share(asset_id, secrets.token_urlsafe(24)) for _ in range(delete_runs)],
        export_id=ready_export(),
        shared_export_id=ready_export(open_share),
        delete_key_ids=[api_key_id() for _ in range(delete_runs)],
    )


def child_env(fixture: Fixture, pycache: str, *, lambda_mode: bool = True) -> dict[str, str]:
    """A Lambda-like environment: no AWS config files, fake credentials, the endpoint of the emulator.

    `lambda_mode` adds what the Lambda runtime sets (`LAMBDA_TASK_ROOT`, `_X_AMZN_TRACE_ID`, ...), so powertools'
    Tracer runs as deployed: enabled, X-Ray SDK in Lambda mode, botocore patched, segments sent by UDP to a
    daemon address where nothing listens (fire-and-forget, never blocks). Without it the Tracer disables
    itself, but the X-Ray SDK then builds its non-Lambda recorder, whose sampling connector creates two
    botocore `xray` clients at import: about 200 ms the naive handler never pays in Lambda.

    Bytecode goes to a private `PYTHONPYCACHEPREFIX` that the warm-up fills, so every measured run (handler
    and baseline alike) loads compiled modules and nothing is written next to the sources.
    """
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(fixture.settings_env)
    env.update(
        {
            "PYTHONPYCACHEPREFIX": pycache,
            "AWS_ENDPOINT_URL": fixture.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "AssetsBench",
        }
    )
    if lambda_mode:
        env.update(
            {
                "LAMBDA_TASK_ROOT": str(REPO),
                "AWS_LAMBDA_FUNCTION_NAME": "bench",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
                "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
                "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
                "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
            }
        )
    return env


# ---------------------------------------------------------------------------------------------- runs


def measure(target: Target, event: dict[str, Any], env: dict[str, str]) -> dict[str, float]:
    """One fresh interpreter: import the module, serve `event` once. Raises on any failure."""
    command = [sys.executable, "-c", CHILD, target.module, str(target.expected_status), json.dumps(event)]
    started = time.perf_counter()
    proc = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS, check=False
    )
    process_ms = (time.perf_counter() - started) * 1000
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{target.name} exited {proc.returncode}: {' | '.join(tail)}")
    sample = json.loads(lines[-1][len(RESULT_PREFIX) :])
    if sample["status"] != target.expected_status:
        raise RuntimeError(f"{target.name} answered {sample['status']}, expected {target.expected_status}")
    return {
        "import_ms": sample["import_ms"],
        "first_request_ms": sample["first_request_ms"],
        "total_ms": sample["total_ms"],
        "process_ms": process_ms,
    }


def targets() -> tuple[list[Target], Target]:
    from functions.routes import ROUTES

    expected = {"POST": 201, "DELETE": 204}
    handlers = [
        Target(
            r.name,
            r.module,
            302
            if r.name in ("download_asset", "download_rendition", "download_version", "download_shared")
            else 200
            if r.name in ("restore_asset", "sign_upload_parts", "complete_upload", "unlock_share")
            else 202
            if r.name in ("create_export", "export_shared")
            else expected.get(r.method, 200),
            f"{r.method} {r.path}",
        )
        for r in ROUTES
    ]
    handlers.append(Target("authorize", "functions.authorize", 200, "TOKEN authorizer"))
    naive = Target("naive", "bench.naive_handler", 200, "GET /v1/assets/{asset_id}")
    return handlers, naive


def summarize(target: Target, naive_median_total: float | None) -> dict[str, Any]:
    summary: dict[str, Any] = {"module": target.module, "route": target.route, "samples": len(target.samples)}
    for metric in ("import_ms", "first_request_ms", "total_ms", "process_ms"):
        summary[metric] = stats([s[metric] for s in target.samples])
    median_total = summary["total_ms"]["median"]
    ok = not target.errors and median_total is not None and naive_median_total
    summary["naive_median_total_ms"] = naive_median_total
    summary["ratio"] = round(median_total / naive_median_total, 3) if ok else None
    summary["target_met"] = bool(ok) and summary["ratio"] <= TARGET_RATIO
    paired = [s["total_ms"] / n for s, n in zip(target.samples, target.paired_naive_total, strict=False) if n]
    summary["paired_ratio_median"] = round(statistics.median(paired), 3) if paired and not target.errors else None
    summary["errors"] = target.errors
    summary["runs"] = [{k: round(v, 2) for k, v in s.items()} for s in target.samples]
    return summary


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for dist in ("boto3", "botocore", "aws-lambda-powertools", "pydantic", "pydantic-core", "moto", "aws-xray-sdk"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = None
    return found


def print_table(report: dict[str, Any]) -> None:
    header = f"{'handler':<20}{'import med/min':>17}{'1st req med/min':>18}{'total med/min':>17}{'ratio':>8}  target"
    print(header)
    print("-" * len(header))

    def row(name: str, s: dict[str, Any], ratio: str, met: str) -> None:
        def pair(metric: str) -> str:
            m = s[metric]
            return "failed" if m["median"] is None else f"{m['median']:.0f}/{m['min']:.0f} ms"

        print(f"{name:<20}{pair('import_ms'):>17}{pair('first_request_ms'):>18}{pair('total_ms'):>17}{ratio:>8}  {met}")

    for name, s in report["handlers"].items():
        ratio = "-" if s["ratio"] is None else f"{s['ratio']:.2f}"
        row(
            name, s, ratio, ("met" if s["target_met"] else "NOT met") + (" (not judged)" if name == "authorize" else "")
        )
    row("naive (baseline)", report["baseline"], "1.00", "")
    row("naive, tracer local", report["baseline_tracer_local"], "", "reference only")
    target = report["target"]
    verdict = "met by every API handler" if target["all_met"] else f"NOT met by: {', '.join(target['not_met'])}"
    print(f"\ntarget ratio <= {TARGET_RATIO}: {verdict}")


def sample(target: Target, event: dict[str, Any], env: dict[str, str]) -> dict[str, float] | None:
    """One measurement, or None after recording why it failed (the target is then skipped)."""
    try:
        return measure(target, event, env)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        target.errors.append(str(error))
        return None


def run(runs: int, warmup: int, out: Path) -> int:
    began = time.perf_counter()
    handlers, naive = targets()
    naive_local = Target("naive_tracer_local", naive.module, naive.expected_status, naive.route)
    server, endpoint = start_emulator()
    pycache = tempfile.mkdtemp(prefix="cold-start-pycache-")
    try:
        fixture = seed(endpoint, delete_runs=runs + warmup)
        env = child_env(fixture, pycache)
        env_local = child_env(fixture, pycache, lambda_mode=False)

        # Untimed: write .pyc files, warm the page cache and every emulator backend the children touch.
        for w in range(warmup):
            for target in [*handlers, naive]:
                sample(target, event_for(target.name, fixture, w), env)
            sample(naive_local, event_for("naive", fixture, w), env_local)
        for target in [*handlers, naive, naive_local]:
            target.errors = [f"warm-up: {e}" for e in target.errors]

        for r in range(runs):
            if not naive_local.errors and (got := sample(naive_local, event_for("naive", fixture, r), env_local)):
                naive_local.samples.append(got)
            order = handlers[r % len(handlers) :] + handlers[: r % len(handlers)]
            for target in order:
                if target.errors or naive.errors:
                    continue
                got = sample(target, event_for(target.name, fixture, warmup + r), env)
                if got is None:
                    continue
                baseline = sample(naive, event_for("naive", fixture, r), env)
                if baseline is None:
                    target.samples.append(got)
                    target.paired_naive_total.append(0.0)
                    continue
                target.samples.append(got)
                target.paired_naive_total.append(baseline["total_ms"])
                naive.samples.append(baseline)
    finally:
        server.stop()
        shutil.rmtree(pycache, ignore_errors=True)

    def baseline_summary(target: Target) -> dict[str, Any]:
        summary = summarize(target, None)
        for key in ("naive_median_total_ms", "ratio", "target_met", "paired_ratio_median"):
            summary.pop(key)
        return summary

    naive_summary, local_summary = baseline_summary(naive), baseline_summary(naive_local)
    naive_median = None if naive.errors else naive_summary["total_ms"]["median"]
    local_median = None if naive_local.errors else local_summary["total_ms"]["median"]
    summaries = {t.name: summarize(t, naive_median) for t in handlers}
    for s in summaries.values():
        median = s["total_ms"]["median"]
        s["ratio_vs_naive_tracer_local"] = round(median / local_median, 3) if median and local_median else None
    api_names = [t.name for t in handlers if t.name != "authorize"]
    not_met = [name for name in api_names if not summaries[name]["target_met"]]
    errors = [f"{t.name}: {e}" for t in [*handlers, naive, naive_local] for e in t.errors]
    report = {
        **report_head("cold_start", errors),
        "settings": {"runs": runs, "warmup": warmup, "target_ratio": TARGET_RATIO},
        "method": (
            "Fresh interpreter per sample (bytecode cached by the warm-up); import_ms = import of the handler "
            "module (interpreter start-up excluded), first_request_ms = first handler(event, context) call "
            "against one local moto server, total_ms = their sum. Every child runs with the variables the Lambda "
            "runtime sets (LAMBDA_TASK_ROOT, _X_AMZN_TRACE_ID, ...), so the naive handler's Tracer is enabled and "
            "patches botocore as deployed. The naive baseline runs right after every handler sample; handler "
            "order rotates per round. ratio = median total(handler) / median total(naive, all its samples); "
            "target_met = ratio <= target_ratio. paired_ratio_median = median of per-pair ratios. "
            "baseline_tracer_local is the naive handler without the Lambda variables (Tracer auto-disabled, but "
            "the X-Ray SDK's non-Lambda recorder creates two xray clients at import), once per round, for "
            "reference only. process_ms = parent-side wall time of the whole child process, for reference only."
        ),
        "environment": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "packages": versions(),
        },
        "target": {
            "ratio": TARGET_RATIO,
            "scope": "API handlers of functions.routes.ROUTES (the authorizer is reported, not judged)",
            "all_met": not not_met and not errors,
            "not_met": not_met,
        },
        "baseline": {"name": "naive", **naive_summary},
        "baseline_tracer_local": {"name": "naive_tracer_local", **local_summary},
        "handlers": summaries,
        "duration_s": round(time.perf_counter() - began, 1),
    }
    samples = len(naive.samples) + len(naive_local.samples) + sum(len(t.samples) for t in handlers)
    return finish(report, out, print_table, f"{samples} samples in {report['duration_s']} s", errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="samples per handler (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of every target first (default 1)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    return run(args.runs, args.warmup, args.out)


if __name__ == "__main__":
    sys.exit(main())
