"""What a committed change of an asset means to other systems: its `asset.*` events.

The table's stream hands `functions.publish_events` every change of an asset record with the item before
and after it, and the events follow from those two images alone. A write that failed is not on the
stream, so it emits nothing; one that succeeded is, so its event goes out however late the bus takes it.

- created `pending` (an upload): nothing yet.
- `pending` -> `ready` / `failed` (the processor), or created so (a copy, a link or an external video):
  `asset.ready` / `asset.failed`.
- another version of the file became current (a new version processed, or an old one restored):
  `asset.replaced`. A new version that failed changes nothing of the asset, so it sends nothing.
- any other change the client can see (every field of `Asset`, `revision` included): `asset.updated`.
- to the trash (or removed outright): `asset.deleted`, with the asset as it was; out of the trash:
  `asset.restored`; its purge marker written, once every file is gone: `asset.purged`. Removed by TTL (a
  pending upload that never came, or a purge from the trash): nothing itself.
- a change nobody sees (a processing attempt counted, a folder re-indexed) or a download counted: nothing.
- a comment written: `comment.created`; removed (deleted, or with its asset by a purge): `comment.deleted`.
- an export's zip completed: `export.ready`; an export given up: `export.failed` (its item's move to either, once).
- a webhook endpoint disabled (by its failures, or a PATCH): `webhook.disabled`; a test asked for (its `test_id`
  changed): `webhook.test`, which the webhook fan-out sends to that endpoint alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from functions import schema
from functions.adapters.items import deserialize
from functions.models.assets import AssetMetadata, AssetRecord, EventDetail
from functions.services import delivery, expiry

EVENT_BYTES = 256 * 1024
"""EventBridge's limit on one entry (detail, detail type and source)."""
_IDS = uuid.UUID("6f1c3b1e-3a52-4a43-9f0a-3e1f6d2a9c55")
"""Namespace of the events' ids (uuid5 of the stream record's id and the event's type)."""


@dataclass(frozen=True)
class Event:
    detail_type: str
    detail: str
    """`EventDetail` as JSON."""


def _record(change: dict[str, Any], image: str) -> AssetRecord | None:
    item = (change.get("dynamodb") or {}).get(image)
    return AssetRecord.model_validate(deserialize(item)) if item else None


def _meaning(before: AssetRecord | None, after: AssetRecord | None) -> tuple[str, AssetRecord] | None:
    """The event type of a change from `before` to `after` (None: absent) and the record it carries."""
    if before is not None and before.deleted_at is not None:
        return ("asset.restored", after) if after is not None and after.deleted_at is None else None
    if after is None or after.deleted_at is not None:
        return ("asset.deleted", before) if before is not None else None
    if before is not None and before.version != after.version:
        return "asset.replaced", after
    if after.status != "pending" and (before is None or before.status == "pending"):
        return f"asset.{after.status}", after
    if before is not None and _seen(before) != _seen(after):
        return "asset.updated", after
    return None


def _seen(record: AssetRecord) -> dict[str, Any]:
    """What a change must touch to be an update: the public asset but its download count (a download
    is not an edit)."""
    return record.public().model_dump(exclude={"download_count"})


def event(change_id: str, detail_type: str, record: AssetRecord, source: str) -> Event:
    """The event, its detail within EventBridge's limit: when the asset is too large, without the two fields
    that can make it so (`metadata` and `custom`), marked `truncated`."""
    asset = record.public()
    detail = EventDetail(id=uuid.uuid5(_IDS, f"{change_id}/{detail_type}").hex, tenant=record.tenant, asset=asset)
    text = detail.model_dump_json()
    if len(text.encode()) + len(detail_type) + len(source) > EVENT_BYTES:
        slim = asset.model_copy(update={"metadata": AssetMetadata(), "custom": {}})
        text = detail.model_copy(update={"asset": slim, "truncated": True}).model_dump_json()
    return Event(detail_type, text)


def events_of(change: dict[str, Any], source: str) -> list[Event]:
    """The events of one stream record (none for most changes, and none for items other than assets, which
    the event source's filter keeps out anyway)."""
    keys = (change.get("dynamodb") or {}).get("Keys") or {}
    sort_key = keys.get(schema.SORT_KEY, {}).get("S") or ""
    if sort_key.startswith(schema.COMMENT_SK_PREFIX):
        return comment_events(change)
    if sort_key == schema.EXPORT_SK:
        return export_events(change)
    if sort_key.startswith(schema.WEBHOOK_SK_PREFIX):
        return webhook_events(change)
    if sort_key not in (schema.ASSET_SK, schema.PURGED_SK) or expiry.removed_by_ttl(change) is not None:
        return []
    if sort_key == schema.PURGED_SK:  # a purge's marker: written once, after every file went
        purged = _record(change, "NewImage") if change.get("eventName") == "INSERT" else None
        return [event(change["eventID"], "asset.purged", purged, source)] if purged else []
    meaning = _meaning(_record(change, "OldImage"), _record(change, "NewImage"))
    if meaning is None:
        return []
    detail_type, record = meaning
    return [event(change["eventID"], detail_type, record, source)]


def stale_paths(change: dict[str, Any]) -> list[str]:
    """The delivery paths one stream record makes stale (services.delivery.stale_paths) for the CDN to forget."""
    keys = (change.get("dynamodb") or {}).get("Keys") or {}
    if keys.get(schema.SORT_KEY, {}).get("S") != schema.ASSET_SK:
        return []
    return delivery.stale_paths(_record(change, "OldImage"), _record(change, "NewImage"))


def comment_events(change: dict[str, Any]) -> list[Event]:
    """`comment.created` when a comment item is written, `comment.deleted` when it is removed."""
    from functions.models.comments import CommentEventDetail, CommentRecord

    kind = {"INSERT": ("comment.created", "NewImage"), "REMOVE": ("comment.deleted", "OldImage")}.get(
        change.get("eventName", "")
    )
    item = (change.get("dynamodb") or {}).get(kind[1]) if kind else None
    if not kind or not item:
        return []
    record = CommentRecord.model_validate(deserialize(item))
    detail = CommentEventDetail(
        id=uuid.uuid5(_IDS, f"{change['eventID']}/{kind[0]}").hex, tenant=record.tenant, comment=record.public()
    )
    return [Event(kind[0], detail.model_dump_json())]


ENDED = ("ready", "failed")


def export_events(change: dict[str, Any]) -> list[Event]:
    """`export.ready` / `export.failed` when an export's item reaches that status (TTL's removal sends nothing)."""
    from functions.models.exports import ExportEventDetail, ExportRecord

    images = change.get("dynamodb") or {}
    before, after = (
        ExportRecord.model_validate(deserialize(images[name])) if images.get(name) else None
        for name in ("OldImage", "NewImage")
    )
    if after is None or after.status not in ENDED or (before is not None and before.status in ENDED):
        return []
    detail_type = f"export.{after.status}"
    detail = ExportEventDetail(
        id=uuid.uuid5(_IDS, f"{change['eventID']}/{detail_type}").hex, tenant=after.tenant, export=after.public()
    )
    return [Event(detail_type, detail.model_dump_json())]


def webhook_events(change: dict[str, Any]) -> list[Event]:
    """`webhook.disabled` when an endpoint goes from enabled to disabled; `webhook.test` when its `test_id` changes
    (the test's own id is the event's)."""
    from functions.adapters.webhooks import webhook_record
    from functions.models.webhooks import WebhookEventDetail, WebhookTestDetail

    images = change.get("dynamodb") or {}
    before, after = (webhook_record(images[name]) if images.get(name) else None for name in ("OldImage", "NewImage"))
    if after is None:
        return []
    if before is not None and before.enabled and not after.enabled:
        detail = WebhookEventDetail(
            id=uuid.uuid5(_IDS, f"{change['eventID']}/webhook.disabled").hex,
            tenant=after.tenant,
            webhook=after.public(),
        )
        return [Event("webhook.disabled", detail.model_dump_json())]
    if after.test_id is not None and (before is None or before.test_id != after.test_id):
        test = WebhookTestDetail(id=after.test_id, tenant=after.tenant, webhook_id=after.id)
        return [Event("webhook.test", test.model_dump_json())]
    return []
