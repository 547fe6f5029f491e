"""Turn an uploaded original into a `ready` or `failed` asset, exactly once.

Idempotency comes from conditional writes: only the delivery that moves the record out of
`pending` publishes the event. The record keeps `event_pending` until the bus has accepted
the event, so a crash between the two is repaired by the redelivered message.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from functions import schema
from functions.adapters.table import hash_keys
from functions.models import AssetRecord, EventDetail
from functions.services.assets import timestamp
from functions.services.deps import Deps
from functions.services.inspection import Inspection, Rejected, inspect

logger = Logger(service="assets")
metrics = Metrics(namespace="Assets", service="assets")
"""The processor's metrics; its handler flushes them after each batch."""

_KEY = re.compile(
    rf"^{re.escape(schema.ORIGINALS_PREFIX)}(?P<tenant>[a-z0-9][a-z0-9_-]{{0,62}})/(?P<id>[0-9a-f]{{32}})$"
)


def parse_key(key: str) -> tuple[str, str] | None:
    match = _KEY.match(key)
    return (match["tenant"], match["id"]) if match else None


def _publish(deps: Deps, record: AssetRecord) -> None:
    detail_type = record.event_pending
    if not detail_type:
        return
    deps.bus.publish(detail_type, EventDetail(tenant=record.tenant, asset=record.public()).model_dump(mode="json"))
    deps.table.clear_event_pending(record.tenant, record.id, detail_type)


def _store_renditions(deps: Deps, record: AssetRecord, found: Inspection) -> list[dict[str, Any]]:
    stored = []
    for made in found.renditions:
        deps.storage.put(schema.rendition_key(record.tenant, record.id, made.name), made.data, made.content_type)
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


def _outcome(deps: Deps, record: AssetRecord, key: str, last_attempt: bool) -> dict[str, Any]:
    head = deps.storage.head(key)
    if head is None:
        return {}
    limit = min(record.size, deps.settings.max_upload_bytes)
    if head["size"] > limit:
        return {"status": "failed", "error": f"the file has {head['size']} bytes, more than the {limit} declared"}
    if last_attempt:
        return {"status": "failed", "error": "processing crashed or timed out on every attempt", "size": head["size"]}
    try:
        found = inspect(
            deps.storage, key, head["size"], record.content_type, deps.settings, expected_sha256=record.expected_sha256
        )
    except Rejected as rejected:
        return {"status": "failed", "error": str(rejected), "size": head["size"]}
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
    return {
        "status": "ready",
        "error": None,
        "size": found.size,
        "sha1": found.sha1,
        "sha256": found.sha256,
        "content_type": found.content_type,
        "kind": found.kind,
        "metadata": found.metadata,
        "renditions": _store_renditions(deps, record, found),
        "duplicate_of": original.id if original else None,
        **hash_keys(record, found.sha256),
    }


def process_object(deps: Deps, key: str, last_attempt: bool = False) -> str:
    """Process one uploaded object. Returns what happened, for logs and tests.

    On the queue's last delivery the file is not inspected again: earlier deliveries crashed or
    timed out on it, so it ends `failed` rather than `pending` in the dead-letter queue.
    """
    parsed = parse_key(key)
    if parsed is None:
        logger.warning("ignoring object outside the originals layout", extra={"key": key})
        return "ignored"
    tenant, asset_id = parsed
    record = deps.table.get_asset(tenant, asset_id)
    if record is None:
        return "missing"
    if record.status != "pending":
        _publish(deps, record)
        return "already_processed"
    outcome = _outcome(deps, record, key, last_attempt)
    if not outcome:
        return "missing"
    outcome |= {
        "updated_at": timestamp(),
        "event_pending": f"asset.{outcome['status']}",
        schema.TTL_ATTRIBUTE: None,
    }
    updated = deps.table.update_asset(tenant, asset_id, outcome, expected_status="pending")
    if updated is None:
        if outcome.get("renditions") and deps.table.get_asset(tenant, asset_id) is None:
            # deleted while we worked: its delete may have listed the prefix before we wrote to it
            deps.storage.delete_keys([schema.rendition_key(tenant, asset_id, r["name"]) for r in outcome["renditions"]])
            return "missing"
        return "raced"
    logger.info("processed upload", extra={"asset_id": asset_id, "status": updated.status, "error": updated.error})
    _publish(deps, updated)
    return updated.status
