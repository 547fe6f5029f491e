"""Rules of the asset library: create uploads, read, list, edit, delete, download."""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

from functions import schema
from functions.adapters.table import PageRequest
from functions.errors import Conflict, InvalidInput, NotFound, TooLarge
from functions.models import (
    Asset,
    AssetPage,
    AssetRecord,
    AssetUpdate,
    EventDetail,
    UploadCreated,
    UploadRequest,
    UploadTicket,
)
from functions.services.deps import Deps
from functions.services.kinds import kind_of

_ASSET_ID = re.compile(r"[0-9a-f]{32}")


def now() -> datetime:
    return datetime.now(UTC)


def timestamp() -> str:
    """`now()` as stored in a partial update (ISO 8601, UTC, `Z`)."""
    return now().isoformat().replace("+00:00", "Z")


def create_upload(deps: Deps, tenant: str, request: UploadRequest) -> UploadCreated:
    limit = deps.settings.max_upload_bytes
    if request.size > limit:
        raise TooLarge(f"size {request.size} exceeds the upload limit of {limit} bytes", field="size")
    if request.sha256:
        existing = deps.table.first_with_hash(tenant, request.sha256)
        if existing is not None:
            return UploadCreated(asset=existing.public(), upload=None, duplicate=True)
    created = now()
    record = AssetRecord(
        id=uuid.uuid4().hex,
        tenant=tenant,
        status="pending",
        kind=kind_of(request.content_type),
        created_at=created,
        updated_at=created,
        expires_at=int((created + timedelta(seconds=deps.settings.pending_ttl_seconds)).timestamp()),
        tags=request.tags or [],
        expected_sha256=request.sha256,
        **request.model_dump(exclude={"tags", "sha256"}),
    )
    deps.table.put_new_asset(record)
    ttl = deps.settings.upload_url_ttl_seconds
    post = deps.storage.presign_post(schema.original_key(tenant, record.id), request.content_type, request.size, ttl)
    ticket = UploadTicket(url=post["url"], fields=post["fields"], expires_at=created + timedelta(seconds=ttl))
    return UploadCreated(asset=record.public(), upload=ticket)


def _existing(deps: Deps, tenant: str, asset_id: str) -> AssetRecord:
    record = deps.table.get_asset(tenant, asset_id)
    if record is None:
        raise NotFound(f"asset {asset_id} not found")
    return record


def get_asset(deps: Deps, tenant: str, asset_id: str) -> Asset:
    return _existing(deps, tenant, asset_id).public()


def encode_cursor(position: tuple[str, str]) -> str:
    raw = json.dumps({"s": position[0], "i": position[1]}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    """Only a sort position within the caller's own tenant: the partition is never taken from it."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        data = None
    sort = data.get("s") if isinstance(data, dict) else None
    asset_id = data.get("i") if isinstance(data, dict) else None
    if not (
        isinstance(sort, str) and 0 < len(sort) <= 100 and isinstance(asset_id, str) and _ASSET_ID.fullmatch(asset_id)
    ):
        raise InvalidInput("cursor is not valid; pass back next_cursor unchanged", field="cursor")
    return sort, asset_id


def list_assets(deps: Deps, tenant: str, limit: int, cursor: str | None, kind: str | None) -> AssetPage:
    after = decode_cursor(cursor) if cursor else None
    records, position = deps.table.list_assets(PageRequest(tenant=tenant, limit=limit, kind=kind, after=after))
    return AssetPage(
        items=[r.public() for r in records],
        next_cursor=encode_cursor(position) if position else None,
    )


def update_asset(deps: Deps, tenant: str, asset_id: str, update: AssetUpdate) -> Asset:
    changes = update.model_dump(exclude_unset=True)
    if "tags" in changes and changes["tags"] is None:
        changes["tags"] = []
    changes["updated_at"] = timestamp()
    record = deps.table.update_asset(tenant, asset_id, changes)
    if record is None:
        raise NotFound(f"asset {asset_id} not found")
    asset = record.public()
    deps.bus.publish("asset.updated", EventDetail(tenant=tenant, asset=asset).model_dump(mode="json"))
    return asset


def delete_asset(deps: Deps, tenant: str, asset_id: str) -> None:
    """Objects go first: if S3 fails, the record stays and the client can retry."""
    record = _existing(deps, tenant, asset_id)
    deps.storage.delete_object_and_prefix(
        schema.original_key(tenant, asset_id), schema.derived_prefix(tenant, asset_id)
    )
    if not deps.table.delete_asset(tenant, asset_id):
        raise NotFound(f"asset {asset_id} not found")
    deps.bus.publish("asset.deleted", EventDetail(tenant=tenant, asset=record.public()).model_dump(mode="json"))


def _ready(deps: Deps, tenant: str, asset_id: str) -> AssetRecord:
    record = _existing(deps, tenant, asset_id)
    if record.status != "ready":
        raise Conflict(f"asset {asset_id} is {record.status}; only ready assets can be downloaded")
    return record


def download_url(deps: Deps, tenant: str, asset_id: str) -> str:
    record = _ready(deps, tenant, asset_id)
    return deps.storage.presign_get(
        schema.original_key(tenant, asset_id),
        record.filename,
        record.content_type,
        deps.settings.download_url_ttl_seconds,
    )


def rendition_url(deps: Deps, tenant: str, asset_id: str, name: str) -> str:
    record = _ready(deps, tenant, asset_id)
    rendition = next((r for r in record.renditions if r.name == name), None)
    if rendition is None:
        raise NotFound(f"asset {asset_id} has no {name} rendition")
    return deps.storage.presign_get(
        schema.rendition_key(tenant, asset_id, name),
        f"{PurePosixPath(record.filename).stem}-{name}.webp",
        rendition.content_type,
        deps.settings.download_url_ttl_seconds,
    )
