"""Versions: replace an asset's file and keep its id; list, download, restore and delete its versions.

A new version gets its number and its item in one transaction (the asset's `latest_version` moves up, so
a number is never given twice, even after a delete). Its upload is processed like a first upload; when it
is ready it becomes current in one transaction with its item: the asset takes its file fields, its id,
folder and editable fields unchanged, and the stream turns that into `asset.replaced`. A version that
fails leaves the asset as it was. Numbers only go up: a version that finishes after a newer one became
current stays `ready` beside it. A restore is a new version whose bytes are a server-side copy of an
older one's, current at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from functions import schema
from functions.adapters.table import Superseded, hash_keys
from functions.errors import Conflict, found
from functions.models.assets import AssetRecord
from functions.models.common import DownloadLink
from functions.models.versions import VersionChange, VersionCreated, VersionPage, VersionRecord, VersionRequest
from functions.services import cursors, delivery, uploads
from functions.services.assets import (
    WRITE_ATTEMPTS,
    after,
    existing,
    now,
    pending_until,
    presigned,
    revision_keys,
    stored,
    with_file,
)
from functions.services.deps import Deps
from functions.services.kinds import WITHOUT_FILE, kind_of


def _busy(asset_id: str) -> Conflict:
    return Conflict(f"asset {asset_id} is being changed by other requests; retry")


def _version(deps: Deps, asset: AssetRecord, number: int) -> VersionRecord:
    """The version, or 404. An asset never replaced may have no item for its version: the record stands for it."""
    version = deps.versions.get(asset.tenant, asset.id, number)
    if version is None and number == asset.version:
        return VersionRecord.of_asset(asset)
    return found(version, f"asset {asset.id} has no version {number}")


def _allocate(
    deps: Deps, tenant: str, asset_id: str, make: Callable[[int], VersionRecord]
) -> tuple[AssetRecord, VersionRecord]:
    """A new version, `make(number)`, with the next number the asset gives out."""
    for _ in range(WRITE_ATTEMPTS):
        asset = with_file(existing(deps, tenant, asset_id))
        if asset.status == "pending":
            raise Conflict(f"asset {asset_id} is pending; replace its file once it is processed")
        if asset.latest_version >= schema.MAX_VERSIONS:
            raise Conflict(f"asset {asset_id} has used all {schema.MAX_VERSIONS} version numbers")
        version = make(asset.latest_version + 1)
        if deps.versions.allocate(version):
            return asset, version
    raise _busy(asset_id)


def create_version(deps: Deps, tenant: str, asset_id: str, request: VersionRequest) -> VersionCreated:
    uploads.check_size(deps, request.size)
    moment, until = now(), pending_until(deps, now())
    asset, version = _allocate(
        deps,
        tenant,
        asset_id,
        lambda number: VersionRecord(
            tenant=tenant,
            asset_id=asset_id,
            number=number,
            status="pending",
            filename=request.filename,
            content_type=request.content_type,
            size=request.size,
            kind=kind_of(request.content_type),
            expected_sha256=request.sha256,
            created_at=moment,
            expires_at=until,
        ),
    )
    ticket = uploads.ticket(deps, tenant, asset_id, version.number, request.content_type, request.size, moment, until)
    return VersionCreated(asset=delivery.shown(deps, asset), version=version.public(asset.version), upload=ticket)


def promote(deps: Deps, version: VersionRecord) -> tuple[AssetRecord | None, bool]:
    """Record a ready, pending-until-now version, and make it current unless the asset serves a newer one
    (or is gone, or in the trash). Returns the asset when this made it current, and whether this call
    recorded the version (False: another attempt did, or it was deleted)."""
    tenant, asset_id = version.tenant, version.asset_id
    for _ in range(WRITE_ATTEMPTS):
        current = deps.table.get_asset(tenant, asset_id)
        if current is None or current.version >= version.number:
            return None, deps.versions.settle(version)
        alongside = [deps.versions.settled(version)]
        if deps.versions.get(tenant, asset_id, current.version) is None:  # never replaced: keep what it served
            alongside.append(deps.versions.put(VersionRecord.of_asset(current), new=True))
        original = deps.table.first_with_hash(tenant, version.sha256 or "", exclude=asset_id)
        changes = version.file() | {
            "status": "ready",
            "error": None,
            "duplicate_of": original.id if original else None,
            "updated_at": stored(after(current.updated_at)),
            **hash_keys(current, version.sha256 or ""),
        }
        try:
            updated = deps.table.update_asset(current, changes, alongside=alongside)
        except Superseded as superseded:
            if superseded.index == 0:
                return None, False
            continue
        if updated is not None:
            return updated, True
    raise _busy(asset_id)


def list_versions(deps: Deps, tenant: str, asset_id: str, limit: int, cursor: str | None) -> VersionPage:
    """The versions of the asset's file, the newest first; none for a link or an external video."""
    asset = existing(deps, tenant, asset_id)
    if asset.kind in WITHOUT_FILE:
        return VersionPage(items=[], next_cursor=None)
    scope = f"list_versions|{tenant}|{asset_id}"
    start = cursors.after(deps, scope, cursor)
    versions, last = deps.versions.page(tenant, asset_id, limit, start)
    current = schema.version_sk(asset.version)
    on_page = (start is None or current < start) and (last is None or current >= last)
    if on_page and all(version.number != asset.version for version in versions):  # the record stands for it
        versions = sorted([*versions, VersionRecord.of_asset(asset)], key=lambda v: v.number, reverse=True)
    return VersionPage(
        items=[version.public(asset.version) for version in versions],
        next_cursor=cursors.next_after(deps, scope, last),
    )


def download_url(deps: Deps, tenant: str, asset_id: str, number: int) -> DownloadLink:
    version = _version(deps, with_file(existing(deps, tenant, asset_id)), number)
    if version.status != "ready" or not version.original_revision:
        raise Conflict(f"version {number} of asset {asset_id} is {version.status}; only ready versions download")
    deps.table.count_download(tenant, asset_id)
    key = schema.original_key(tenant, asset_id, version.original_revision)
    return presigned(deps, key, version.filename, version.content_type)


def restore_version(deps: Deps, tenant: str, asset_id: str, number: int) -> VersionChange:
    """A new version, current at once, whose files are server-side copies of version `number`'s."""
    source = _version(deps, with_file(existing(deps, tenant, asset_id)), number)
    if source.status != "ready" or not source.original_revision:
        raise Conflict(f"version {number} of asset {asset_id} is {source.status}; only a ready version is restored")
    revision = secrets.token_hex(8)
    _, version = _allocate(
        deps,
        tenant,
        asset_id,
        lambda new: source.model_copy(
            update={
                "number": new,
                "status": "pending",
                "created_at": now(),
                "expires_at": pending_until(deps, now()),
                "original_revision": revision,
                "restored_from": number,
                "attempts": 0,
                "attempt_revisions": [],
            }
        ),
    )
    copied = revision_keys(tenant, asset_id, [revision])
    ready = version.model_copy(update={"status": "ready", "expires_at": None})
    written = False
    try:
        deps.storage.copy(schema.original_key(tenant, asset_id, source.original_revision), copied[0], size=source.size)
        for rendition in source.renditions:
            deps.storage.copy(
                schema.rendition_key(tenant, asset_id, source.original_revision, rendition.name),
                schema.rendition_key(tenant, asset_id, revision, rendition.name),
            )
        asset, written = promote(deps, ready)
    finally:
        if not written:
            deps.storage.delete_keys(copied)
    if not written:  # its item went meanwhile (a delete)
        raise _busy(asset_id)
    # None: a newer version became current meanwhile (a concurrent restore), and this one stays beside it
    asset = asset or existing(deps, tenant, asset_id)
    return VersionChange(asset=delivery.shown(deps, asset), version=ready.public(asset.version))


def delete_version(deps: Deps, tenant: str, asset_id: str, number: int) -> None:
    """The version's item, then its files. The version the asset serves can't be deleted (409)."""
    asset = with_file(existing(deps, tenant, asset_id))
    if number == asset.version:
        raise Conflict(f"version {number} is the one asset {asset_id} serves; restore or upload another first")
    version = found(deps.versions.get(tenant, asset_id, number), f"asset {asset_id} has no version {number}")
    if not deps.versions.delete(version):
        raise _busy(asset_id)
    revisions = {*version.attempt_revisions, *([version.original_revision] if version.original_revision else [])}
    deps.storage.delete_keys(
        [schema.upload_key(tenant, asset_id, number), *revision_keys(tenant, asset_id, sorted(revisions))]
    )
