"""Rules of the asset library: create uploads, read, list, edit, delete, download."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, get_args

from functions import schema
from functions.adapters.table import FolderGone
from functions.errors import Conflict, NotAFile, NotFound, found
from functions.models.assets import (
    Asset,
    AssetCopy,
    AssetRecord,
    AssetReplace,
    AssetUpdate,
    LinkRequest,
    RenditionName,
    UploadRequest,
)
from functions.models.common import DownloadLink, revision_of
from functions.models.uploads import UploadCreated
from functions.models.versions import VersionRecord
from functions.services import delivery, links, revisions, tree, uploads
from functions.services.deps import Deps
from functions.services.kinds import WITHOUT_FILE, kind_of

WRITE_ATTEMPTS = 5
"""Compare-and-set rounds before a write that keeps meeting concurrent writes gives up with a 409."""


def now() -> datetime:
    return datetime.now(UTC)


def stored(moment: datetime) -> str:
    """A timestamp as stored (`schema.TIMESTAMP_FORMAT`)."""
    return moment.strftime(schema.TIMESTAMP_FORMAT)


def after(previous: datetime) -> datetime:
    """Now, or a microsecond after `previous` when this clock is behind it: `updated_at` never goes back."""
    current = now()
    return current if current > previous else previous + timedelta(microseconds=1)


def change(
    deps: Deps,
    tenant: str,
    asset_id: str,
    changes_for: Callable[[AssetRecord], dict[str, Any] | None],
    *,
    record: AssetRecord | None = None,
    expected_status: str | None = None,
    if_match: str | None = None,
    alongside: list[dict[str, Any]] | None = None,
) -> tuple[AssetRecord | None, bool]:
    """Read, decide, compare-and-set on `updated_at`, and read again if another write came first.

    `changes_for(current)` returns the attributes to write, or None when there is nothing to do. Returns
    the record (None if it is gone) and whether this call wrote it. `updated_at` moves forward on every
    write, never backwards, and not at all when nothing changes. With `if_match`, the record read must be
    that revision (412 otherwise): a concurrent write makes the compare-and-set fail, and the re-read no
    longer matches, so of many writers holding the same revision exactly one succeeds. `alongside`: table
    items written in the same transaction (see `Table.update_asset`).
    """
    for _ in range(WRITE_ATTEMPTS):
        current = record or deps.table.get_asset(tenant, asset_id)
        record = None
        if current is None:
            return None, False
        revisions.require(if_match, revision_of(current.updated_at))
        changes = changes_for(current)
        if changes is None:
            return current, False
        changes["updated_at"] = stored(after(current.updated_at))
        try:
            updated = deps.table.update_asset(current, changes, expected_status=expected_status, alongside=alongside)
        except FolderGone:
            raise tree.no_folder(changes["folder_id"]) from None
        if updated is not None:
            return updated, True
    raise Conflict(f"asset {asset_id} is being changed by other requests; retry")


def pending_until(deps: Deps, moment: datetime) -> int:
    """The TTL (epoch seconds) of a record whose upload has not come yet."""
    return int((moment + timedelta(seconds=deps.settings.pending_ttl_seconds)).timestamp())


def create_upload(deps: Deps, tenant: str, request: UploadRequest) -> UploadCreated:
    uploads.check_size(deps, request.size)
    folders = tree.chain(deps, tenant, request.folder_id)
    if request.sha256:
        existing = deps.table.first_with_hash(tenant, request.sha256)
        if existing is not None:
            return UploadCreated(asset=delivery.shown(deps, existing), upload=None, duplicate=True)
    created = now()
    record = AssetRecord(
        id=uuid.uuid4().hex,
        tenant=tenant,
        status="pending",
        kind=kind_of(request.content_type),
        created_at=created,
        updated_at=created,
        expires_at=pending_until(deps, created),
        expected_sha256=request.sha256,
        indexed_folders=folders,
        **_cleared(request.model_dump(exclude={"sha256"})),
    )
    _put_new(deps, record)
    ticket = uploads.ticket(
        deps, tenant, record.id, 1, request.content_type, request.size, created, record.expires_at or 0
    )
    return UploadCreated(asset=delivery.shown(deps, record), upload=ticket)


def create_asset(deps: Deps, tenant: str, request: LinkRequest) -> Asset:
    """A link or an external video: ready at once, with no file, no upload and no version item."""
    address = links.described(request.kind, request.url)
    folders = tree.chain(deps, tenant, request.folder_id)
    created = now()
    record = AssetRecord(
        id=uuid.uuid4().hex,
        tenant=tenant,
        status="ready",
        created_at=created,
        updated_at=created,
        indexed_folders=folders,
        **_cleared(request.model_dump(exclude={"url"})),
        **address,
    )
    _put_new(deps, record)
    return delivery.shown(deps, record)


def existing(deps: Deps, tenant: str, asset_id: str) -> AssetRecord:
    return found(deps.table.get_asset(tenant, asset_id), f"asset {asset_id} not found")


def with_file(record: AssetRecord) -> AssetRecord:
    """The asset, or a 409 `not_a_file` for a link or an external video, which have nothing to download,
    transform or replace."""
    if record.kind in WITHOUT_FILE:
        raise NotAFile(f"asset {record.id} ({record.kind}) has no file")
    return record


def get_asset(deps: Deps, tenant: str, asset_id: str) -> Asset:
    return delivery.shown(deps, existing(deps, tenant, asset_id))


def _put_new(
    deps: Deps, record: AssetRecord, sha256: str | None = None, alongside: list[dict[str, Any]] | None = None
) -> None:
    try:
        deps.table.put_new_asset(record, sha256=sha256, alongside=alongside)
    except FolderGone:
        raise tree.no_folder(record.folder_id or "") from None


def _cleared(fields: dict[str, Any]) -> dict[str, Any]:
    """A cleared list or map is stored empty, not null."""
    empty = {"tags": [], "custom": {}, "is_public": False}
    return {name: empty[name] if value is None and name in empty else value for name, value in fields.items()}


def update_asset(
    deps: Deps, tenant: str, asset_id: str, update: AssetUpdate | AssetReplace, if_match: str | None = None
) -> Asset:
    """PATCH (the fields sent) or PUT (every editable field: the absent ones cleared)."""
    wanted = _cleared(update.model_dump(mode="json", exclude_unset=isinstance(update, AssetUpdate)))
    folders = tree.chain(deps, tenant, wanted["folder_id"]) if "folder_id" in wanted else None

    def differences(current: AssetRecord) -> dict[str, Any] | None:
        now_stored = current.model_dump(mode="json", include=set(wanted))
        changed = {k: v for k, v in wanted.items() if now_stored.get(k) != v}
        if "folder_id" in changed:
            changed["indexed_folders"] = folders
        return changed or None

    record, _ = change(deps, tenant, asset_id, differences, if_match=if_match)
    if record is None:
        raise NotFound(f"asset {asset_id} not found")
    return delivery.shown(deps, record)


def copy_asset(deps: Deps, tenant: str, asset_id: str, request: AssetCopy) -> Asset:
    """A new asset with its own id and files: the source's original and renditions are copied server-side
    under the new id, its metadata and editable fields kept, its status too. The copy has one version, the
    source's current one. A pending asset has nothing to copy yet (409)."""
    source = existing(deps, tenant, asset_id)
    if source.status == "pending":
        raise Conflict(f"asset {asset_id} is pending; copy it once it is processed")
    folder_id = request.folder_id if "folder_id" in request.model_fields_set else source.folder_id
    folders = tree.chain(deps, tenant, folder_id)
    moment = now()
    copy = source.model_copy(
        update={
            "id": uuid.uuid4().hex,
            "folder_id": folder_id,
            "indexed_folders": folders,
            "created_at": moment,
            "updated_at": moment,
            "original_revision": secrets.token_hex(8) if source.original_revision else None,
            "duplicate_of": (source.duplicate_of or source.id) if source.status == "ready" and source.sha256 else None,
            "version": 1,
            "latest_version": 1,
            "download_count": 0,
        }
    )
    try:
        if source.original_revision and copy.original_revision:
            deps.storage.copy(
                schema.original_key(tenant, source.id, source.original_revision),
                schema.original_key(tenant, copy.id, copy.original_revision),
                size=source.size,
            )
            for rendition in source.renditions:
                deps.storage.copy(
                    schema.rendition_key(tenant, source.id, source.original_revision, rendition.name),
                    schema.rendition_key(tenant, copy.id, copy.original_revision, rendition.name),
                )
        first = [] if copy.kind in WITHOUT_FILE else [deps.versions.put(VersionRecord.of_asset(copy), new=True)]
        _put_new(deps, copy, sha256=copy.sha256 if copy.status == "ready" else None, alongside=first)
    except Exception:
        remove_objects(deps, tenant, copy.id)
        raise
    return delivery.shown(deps, copy)


def remove_objects(deps: Deps, tenant: str, asset_id: str) -> None:
    """Delete every object of the asset: the uploads of every version, every sealed original, rendition and
    stored transform."""
    prefixes = (
        schema.upload_key(tenant, asset_id),
        schema.originals_prefix(tenant, asset_id),
        schema.derived_prefix(tenant, asset_id),
        schema.transforms_prefix(tenant, asset_id),
    )
    deps.storage.delete_keys([key for prefix in prefixes for key in deps.storage.keys(prefix)])


def revision_keys(tenant: str, asset_id: str, revisions: list[str]) -> list[str]:
    """Every object a revision can have: its sealed original and each rendition (deleting an absent one is a no-op)."""
    return [
        key
        for revision in revisions
        for key in (
            schema.original_key(tenant, asset_id, revision),
            *(schema.rendition_key(tenant, asset_id, revision, name) for name in get_args(RenditionName)),
        )
    ]


def _ready(deps: Deps, tenant: str, asset_id: str) -> tuple[AssetRecord, str]:
    """The ready asset and the revision it serves."""
    record = with_file(existing(deps, tenant, asset_id))
    if record.status != "ready" or not record.original_revision:
        raise Conflict(f"asset {asset_id} is {record.status}; only ready assets can be downloaded")
    return record, record.original_revision


def presigned(deps: Deps, key: str, filename: str, content_type: str) -> DownloadLink:
    """A presigned GET of `key` that downloads as `filename`, valid for `DOWNLOAD_URL_TTL_SECONDS`."""
    ttl = deps.settings.download_url_ttl_seconds
    return DownloadLink(
        url=deps.storage.presign_get(key, filename, content_type, ttl), expires_at=now() + timedelta(seconds=ttl)
    )


def download_url(deps: Deps, tenant: str, asset_id: str) -> DownloadLink:
    """The original's presigned GET; the asset's `download_count` counts it."""
    record, revision = _ready(deps, tenant, asset_id)
    deps.table.count_download(tenant, asset_id)
    return presigned(deps, schema.original_key(tenant, asset_id, revision), record.filename, record.content_type)


def rendition_url(deps: Deps, tenant: str, asset_id: str, name: str) -> DownloadLink:
    record, revision = _ready(deps, tenant, asset_id)
    rendition = next((r for r in record.renditions if r.name == name), None)
    if rendition is None:
        raise NotFound(f"asset {asset_id} has no {name} rendition")
    return presigned(
        deps,
        schema.rendition_key(tenant, asset_id, revision, name),
        f"{PurePosixPath(record.filename).stem}-{name}.webp",
        rendition.content_type,
    )
