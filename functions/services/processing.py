"""Turn an upload into a `ready` or `failed` asset, exactly once, serving exactly the bytes inspected.

Sealing: the upload (`uploads/`, where the presigned POST writes) is copied server-side, pinned to the
ETag just read, to `originals/{tenant}/{id}/{revision}`, which no client can write; that copy is what
is inspected and, once the record names its revision, what is served. A second POST to the same form
lands in `uploads/` again and is deleted unprocessed. `revision` is random per attempt, so concurrent
attempts never share an object: the one whose conditional write wins is kept, the others removed.

Idempotency comes from conditional writes: only the delivery that moves the record out of `pending`
writes it, and that write is what the table's stream turns into `asset.ready` or `asset.failed`
(services.events), so no crash can lose the event or send it twice from here.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from functions import schema
from functions.adapters.table import hash_keys
from functions.models.assets import AssetRecord
from functions.models.versions import VersionRecord
from functions.services.assets import change, revision_keys
from functions.services.deps import Deps
from functions.services.inspection import Inspection, Rejected, inspect
from functions.services.versions import promote

logger = Logger(service="assets")
METRICS_NAMESPACE = "Assets"
SERVICE = "assets"
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
"""The processor's metrics; its handler flushes them after each batch."""

_KEY = re.compile(
    rf"^{re.escape(schema.UPLOADS_PREFIX)}(?P<tenant>[a-z0-9][a-z0-9_-]{{0,62}})/(?P<id>[0-9a-f]{{32}})"
    r"(?:/(?P<number>[1-9][0-9]{0,5}))?$"
)


def parse_key(key: str) -> tuple[str, str, int] | None:
    """The tenant, asset id and version number of an upload's key."""
    match = _KEY.match(key)
    return (match["tenant"], match["id"], int(match["number"] or 1)) if match else None


def _store_renditions(deps: Deps, tenant: str, asset_id: str, revision: str, found: Inspection) -> list[dict[str, Any]]:
    stored = []
    for made in found.renditions:
        key = schema.rendition_key(tenant, asset_id, revision, made.name)
        deps.storage.put(key, made.data, made.content_type)
        stored.append(
            {
                "name": made.name,
                "width": made.width,
                "height": made.height,
                "content_type": made.content_type,
                "size": len(made.data),
            }
        )
    return stored


@dataclass(frozen=True)
class Upload:
    """What is being processed: version `number` of an asset, as declared."""

    tenant: str
    asset_id: str
    number: int
    size: int
    content_type: str
    expected_sha256: str | None
    attempts: int


@dataclass
class _Outcome:
    fields: dict[str, Any]
    """The file's fields, for the asset or the version: `status`, `error`, `size` and, when ready, the rest."""
    reason: str | None = None
    """Why it failed (one of `rejected.REASONS`), for the metrics only."""


def _failed(error: str, size: int, reason: str) -> _Outcome:
    return _Outcome({"status": "failed", "error": error, "size": size}, reason)


def _count_failure(reason: str) -> None:
    """One `UploadFailed` with its `reason` (the dashboard's failures by reason)."""
    with single_metric(name="UploadFailed", unit=MetricUnit.Count, value=1, namespace=METRICS_NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        metric.add_dimension(name="reason", value=reason)


def _outcome(deps: Deps, upload: Upload, revision: str) -> _Outcome | None:
    """Seal the upload as `revision` and inspect it. None when there is no upload (any more) to process."""
    key = schema.upload_key(upload.tenant, upload.asset_id, upload.number)
    head = deps.storage.head(key)
    if head is None:
        return None
    limit = min(upload.size, deps.settings.max_upload_bytes)
    if head["size"] > limit:
        return _failed(f"the file has {head['size']} bytes, more than the {limit} declared", head["size"], "too_large")
    if upload.attempts > schema.PROCESSING_ATTEMPTS:
        return _failed(
            f"processing crashed or timed out on {schema.PROCESSING_ATTEMPTS} attempts", head["size"], "crashed"
        )
    sealed = schema.original_key(upload.tenant, upload.asset_id, revision)
    deps.storage.copy(key, sealed, head["etag"], size=head["size"])
    try:
        found = inspect(
            deps.storage,
            sealed,
            head["size"],
            upload.content_type,
            deps.settings,
            expected_sha256=upload.expected_sha256,
        )
    except Rejected as rejected:
        return _failed(str(rejected), head["size"], rejected.reason)
    logger.info(
        "inspected upload",
        extra={
            "asset_id": upload.asset_id,
            "version": upload.number,
            "size": found.size,
            "bytes_read": found.bytes_read,
            "header_bytes_read": found.header_bytes_read,
        },
    )
    metrics.add_metric(name="BytesRead", unit=MetricUnit.Bytes, value=found.bytes_read)
    metrics.add_metric(name="HeaderBytesRead", unit=MetricUnit.Bytes, value=found.header_bytes_read)
    return _Outcome(
        {
            "status": "ready",
            "error": None,
            "original_revision": revision,
            "size": found.size,
            "sha1": found.sha1,
            "sha256": found.sha256,
            "content_type": found.content_type,
            "kind": found.kind,
            "metadata": found.metadata,
            "renditions": _store_renditions(deps, upload.tenant, upload.asset_id, revision, found),
        }
    )


def _first_version(deps: Deps, record: AssetRecord, revision: str) -> tuple[str, str | None] | None:
    """Process a first upload: the asset leaves `pending`, and its version 1 item is written with it.
    Returns the status written and the revision kept (None: this attempt did not write), or None when the
    upload is gone."""
    tenant, asset_id = record.tenant, record.id
    upload = Upload(tenant, asset_id, 1, record.size, record.content_type, record.expected_sha256, record.attempts)
    outcome = _outcome(deps, upload, revision)
    if outcome is None:
        return None
    changes = outcome.fields | {schema.TTL_ATTRIBUTE: None, "attempt_revisions": None}
    if outcome.fields["status"] == "ready":
        original = deps.table.first_with_hash(tenant, outcome.fields["sha256"], exclude=asset_id)
        changes |= {"duplicate_of": original.id if original else None, **hash_keys(record, outcome.fields["sha256"])}
    first = VersionRecord.of_asset(AssetRecord.model_validate(record.model_dump() | outcome.fields))
    updated, written = change(
        deps,
        tenant,
        asset_id,
        lambda current: dict(changes) if current.status == "pending" else None,
        record=record,
        expected_status="pending",
        alongside=[deps.versions.put(first)],
    )
    if not written:
        return "raced" if updated else "missing", None
    if outcome.reason:  # counted once it is the asset's outcome, not when another attempt won
        _count_failure(outcome.reason)
    return updated.status if updated else "missing", outcome.fields.get("original_revision")


def _later_version(deps: Deps, version: VersionRecord, revision: str) -> tuple[str, str | None] | None:
    """Process the upload of a new version: ready, it becomes current (unless a newer one is); failed, the
    asset stays as it was and the version records why."""
    upload = Upload(
        version.tenant,
        version.asset_id,
        version.number,
        version.size,
        version.content_type,
        version.expected_sha256,
        version.attempts,
    )
    outcome = _outcome(deps, upload, revision)
    if outcome is None:
        return None
    settled = VersionRecord.model_validate(
        version.model_dump() | outcome.fields | {"expires_at": None, "attempt_revisions": []}
    )
    if settled.status == "ready":
        _, written = promote(deps, settled)
    else:
        written = deps.versions.settle(settled)
    if not written:
        return "raced", None
    if outcome.reason:
        _count_failure(outcome.reason)
    return settled.status, settled.original_revision


def process_object(deps: Deps, key: str) -> str:
    """Process one uploaded object. Returns what happened, for logs and tests.

    After `schema.PROCESSING_ATTEMPTS` attempts (counted on the record, so deliveries that never reached
    us don't count) the file is not inspected again: it ends `failed` rather than `pending` in the
    dead-letter queue. Each attempt records the revision it seals before sealing it; the attempt that
    writes the outcome removes the others' files, and one that did not write removes its own. The
    upload itself is always removed: a second POST to the form, or a POST after the asset or version
    was deleted, is never served.
    """
    parsed = parse_key(key)
    if parsed is None:
        logger.warning("ignoring object outside the uploads layout", extra={"key": key})
        return "ignored"
    tenant, asset_id, number = parsed
    revision = secrets.token_hex(8)
    if number == 1:
        record = deps.table.start_attempt(tenant, asset_id, revision)
        attempted = record.attempt_revisions if record else []
        result = _first_version(deps, record, revision) if record else ("nothing", None)
    else:
        version = deps.versions.start_attempt(tenant, asset_id, number, revision)
        attempted = version.attempt_revisions if version else []
        result = _later_version(deps, version, revision) if version else ("nothing", None)
    if result is None:
        return "missing"
    status, kept = result
    doomed = [revision] if status == "raced" else [r for r in attempted if r != kept]
    deps.storage.delete_keys([key, *revision_keys(tenant, asset_id, doomed)])
    if status == "nothing":
        return "already_processed" if deps.table.get_asset(tenant, asset_id) else "missing"
    logger.info("processed upload", extra={"asset_id": asset_id, "version": number, "status": status})
    return status
