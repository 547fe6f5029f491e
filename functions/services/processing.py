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
from functions.services.assets import change, remove_objects
from functions.services.deps import Deps
from functions.services.inspection import Inspection, Rejected, inspect

logger = Logger(service="assets")
METRICS_NAMESPACE = "Assets"
SERVICE = "assets"
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
"""The processor's metrics; its handler flushes them after each batch."""

_KEY = re.compile(rf"^{re.escape(schema.UPLOADS_PREFIX)}(?P<tenant>[a-z0-9][a-z0-9_-]{{0,62}})/(?P<id>[0-9a-f]{{32}})$")


def parse_key(key: str) -> tuple[str, str] | None:
    match = _KEY.match(key)
    return (match["tenant"], match["id"]) if match else None


def _store_renditions(deps: Deps, record: AssetRecord, revision: str, found: Inspection) -> list[dict[str, Any]]:
    stored = []
    for made in found.renditions:
        key = schema.rendition_key(record.tenant, record.id, revision, made.name)
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


@dataclass
class _Outcome:
    changes: dict[str, Any]
    """What to write on the record."""
    reason: str | None = None
    """Why it failed (one of `rejected.REASONS`), for the metrics only."""


def _failed(error: str, size: int, reason: str) -> _Outcome:
    return _Outcome({"status": "failed", "error": error, "size": size}, reason)


def _count_failure(reason: str) -> None:
    """One `UploadFailed` with its `reason` (the dashboard's failures by reason)."""
    with single_metric(name="UploadFailed", unit=MetricUnit.Count, value=1, namespace=METRICS_NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        metric.add_dimension(name="reason", value=reason)


def _outcome(deps: Deps, record: AssetRecord, revision: str) -> _Outcome | None:
    """Seal the upload as `revision` and inspect it. None when there is no upload (any more) to process."""
    upload = schema.upload_key(record.tenant, record.id)
    head = deps.storage.head(upload)
    if head is None:
        return None
    limit = min(record.size, deps.settings.max_upload_bytes)
    if head["size"] > limit:
        return _failed(f"the file has {head['size']} bytes, more than the {limit} declared", head["size"], "too_large")
    if record.attempts > schema.PROCESSING_ATTEMPTS:
        return _failed(
            f"processing crashed or timed out on {schema.PROCESSING_ATTEMPTS} attempts", head["size"], "crashed"
        )
    sealed = schema.original_key(record.tenant, record.id, revision)
    deps.storage.copy(upload, sealed, head["etag"])
    try:
        found = inspect(
            deps.storage,
            sealed,
            head["size"],
            record.content_type,
            deps.settings,
            expected_sha256=record.expected_sha256,
        )
    except Rejected as rejected:
        return _failed(str(rejected), head["size"], rejected.reason)
    logger.info(
        "inspected upload",
        extra={
            "asset_id": record.id,
            "size": found.size,
            "bytes_read": found.bytes_read,
            "header_bytes_read": found.header_bytes_read,
        },
    )
    metrics.add_metric(name="BytesRead", unit=MetricUnit.Bytes, value=found.bytes_read)
    metrics.add_metric(name="HeaderBytesRead", unit=MetricUnit.Bytes, value=found.header_bytes_read)
    original = deps.table.first_with_hash(record.tenant, found.sha256, exclude=record.id)
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
            "renditions": _store_renditions(deps, record, revision, found),
            "duplicate_of": original.id if original else None,
            **hash_keys(record, found.sha256),
        }
    )


def process_object(deps: Deps, key: str) -> str:
    """Process one uploaded object. Returns what happened, for logs and tests.

    After `schema.PROCESSING_ATTEMPTS` attempts (counted on the record, so deliveries that never reached
    us don't count) the file is not inspected again: it ends `failed` rather than `pending` in the
    dead-letter queue. Whatever else the upload prefix holds for this asset is removed: a second POST
    to the form, or a POST after the asset was deleted, is never served.
    """
    parsed = parse_key(key)
    if parsed is None:
        logger.warning("ignoring object outside the uploads layout", extra={"key": key})
        return "ignored"
    tenant, asset_id = parsed
    record = deps.table.start_attempt(tenant, asset_id)
    if record is None:
        current = deps.table.get_asset(tenant, asset_id)
        remove_objects(deps, tenant, asset_id, keep=current.original_revision if current else None)
        return "already_processed" if current else "missing"
    revision = secrets.token_hex(8)
    outcome = _outcome(deps, record, revision)
    if outcome is None:
        return "missing"
    changes = outcome.changes | {schema.TTL_ATTRIBUTE: None}
    updated, written = change(
        deps,
        tenant,
        asset_id,
        lambda current: dict(changes) if current.status == "pending" else None,
        record=record,
        expected_status="pending",
    )
    if not written:
        # deleted, or another attempt won: only this attempt's objects go; the winner's stay
        remove_objects(deps, tenant, asset_id, keep=updated.original_revision if updated else None)
        return "raced" if updated else "missing"
    remove_objects(deps, tenant, asset_id, keep=updated.original_revision)
    if outcome.reason:  # counted once it is the asset's outcome, not when another attempt won
        _count_failure(outcome.reason)
    logger.info("processed upload", extra={"asset_id": asset_id, "status": updated.status, "error": updated.error})
    return updated.status
