"""The trash: a deleted asset can be restored until it is purged (after `TRASH_RETENTION_DAYS`, or on demand).

Deleting moves the asset to the trash in one compare-and-set: out of every index, count and member, into
the tenant's trash, with a DynamoDB TTL at its `purge_at`. Purging takes every file (of every version)
first, then the versions' items, and the record last (with the marker `asset.purged` comes from), so a
purge that stops midway is simply done again and leaves no orphan file; once begun it can't be undone by
a restore. When TTL removes a trashed record, the stream hands it to `functions.forget_expired`, which
purges its files the same way.
"""

from __future__ import annotations

from datetime import timedelta

from functions.adapters.table import FolderGone
from functions.errors import Conflict, InvalidInput, found
from functions.models.assets import Asset, AssetRecord, TrashPage
from functions.models.common import revision_of
from functions.services import cursors, delivery, revisions, shares, tree
from functions.services.assets import WRITE_ATTEMPTS, after, existing, remove_objects, stored
from functions.services.deps import Deps


def _busy(asset_id: str) -> Conflict:
    return Conflict(f"asset {asset_id} is being changed by other requests; retry")


def delete(deps: Deps, tenant: str, asset_id: str, if_match: str | None = None, permanent: bool = False) -> None:
    """To the trash, on condition the asset is still as read (with `if_match`, that revision: 412 otherwise).
    With `permanent`, or while it is pending (no file to keep yet), purged at once."""
    for _ in range(WRITE_ATTEMPTS):
        record = existing(deps, tenant, asset_id)
        revisions.require(if_match, revision_of(record.updated_at))
        moment = after(record.updated_at)
        purge_at = moment + timedelta(days=deps.settings.trash_retention_days)
        if deps.table.trash_asset(record, stored(moment), purge_at):
            if permanent or record.status == "pending":
                purge(deps, tenant, asset_id)
            return
    raise _busy(asset_id)


def _trashed(deps: Deps, tenant: str, asset_id: str) -> AssetRecord:
    return found(deps.table.get_asset(tenant, asset_id, trashed=True), f"asset {asset_id} is not in the trash")


def purge(deps: Deps, tenant: str, asset_id: str) -> None:
    record = _trashed(deps, tenant, asset_id)
    if not record.purging and not deps.table.start_purge(record):
        raise _busy(asset_id)
    _remove_belongings(deps, record)
    deps.table.finish_purge(record)


def purge_expired(deps: Deps, record: AssetRecord) -> None:
    """A trashed record TTL removed: its files, then the purge marker (once, however often this runs)."""
    _remove_belongings(deps, record)
    deps.table.finish_purge(record, removed=True)


def _remove_belongings(deps: Deps, record: AssetRecord) -> None:
    """Everything of an asset but its record: every file, version and comment, and its place in shares."""
    remove_objects(deps, record.tenant, record.id)
    deps.versions.remove_all(record.tenant, record.id)
    deps.comments.remove_all(record.tenant, record.id)
    shares.detach(deps, record.tenant, record.id)


def restore(deps: Deps, tenant: str, asset_id: str) -> Asset:
    """Back as it was, in its folder if that still exists, else at the root level."""
    for _ in range(WRITE_ATTEMPTS):
        record = _trashed(deps, tenant, asset_id)
        if record.purging:
            raise Conflict(f"asset {asset_id} is being purged")
        changes: dict = {"updated_at": stored(after(record.updated_at))}
        try:
            changes["indexed_folders"] = tree.chain(deps, tenant, record.folder_id)
        except InvalidInput:  # its folder is gone (or going)
            changes |= {"folder_id": None, "indexed_folders": []}
        try:
            restored = deps.table.restore_asset(record, changes)
        except FolderGone:
            continue
        if restored is not None:
            return delivery.shown(deps, restored)
    raise _busy(asset_id)


def list_trash(deps: Deps, tenant: str, limit: int, cursor: str | None) -> TrashPage:
    scope = f"list_trash|{tenant}"
    records, last = deps.table.trash(tenant, limit, cursors.after(deps, scope, cursor))
    return TrashPage(items=[record.trashed() for record in records], next_cursor=cursors.next_after(deps, scope, last))
