"""Rules of the folder tree: names unique among siblings, no cycles, paths that follow every move."""

from __future__ import annotations

import uuid

from functions import schema
from functions.adapters.folders import NameTaken, NotEmpty, Stale
from functions.errors import Conflict, InvalidInput, NotFound, found
from functions.models.common import revision_of
from functions.models.folders import (
    Folder,
    FolderCreate,
    FolderDeletion,
    FolderDetail,
    FolderJob,
    FolderPage,
    FolderRecord,
    FolderRef,
    FolderUpdate,
)
from functions.services import cursors, folder_jobs, revisions
from functions.services.assets import after, now, stored
from functions.services.deps import Deps
from functions.services.tree import ancestors


def path(chain: list[FolderRecord]) -> str:
    return "".join(f"/{folder.name}" for folder in chain)


def _public(record: FolderRecord, parents: list[FolderRecord]) -> Folder:
    return Folder(
        **record.model_dump(exclude={"tenant", "asset_count", "child_count"}),
        path=path([*parents, record]),
        revision=revision_of(record.updated_at),
    )


def _parent(deps: Deps, tenant: str, parent_id: str | None) -> tuple[FolderRecord | None, list[FolderRecord]]:
    """The parent a folder goes under and the parent's own ancestors; a 400 naming `parent_id` if it is not
    one of this tenant's folders or is as deep as folders go."""
    if parent_id is None:
        return None, []
    parent = deps.folders.get(tenant, parent_id)
    if parent is None or parent.deleting:
        raise InvalidInput(f"no folder {parent_id}", field="parent_id")
    above = ancestors(deps, parent)
    if len(above) + 1 >= schema.MAX_FOLDER_DEPTH:
        raise InvalidInput(f"folders go at most {schema.MAX_FOLDER_DEPTH} levels deep", field="parent_id")
    return parent, above


def _name_taken(name: str) -> Conflict:
    return Conflict(f"a folder named {name!r} is already there (names are compared ignoring case)", field="name")


def create_folder(deps: Deps, tenant: str, request: FolderCreate) -> Folder:
    parent, above = _parent(deps, tenant, request.parent_id)
    moment = now()
    record = FolderRecord(
        id=uuid.uuid4().hex,
        tenant=tenant,
        name=request.name,
        parent_id=request.parent_id,
        created_at=moment,
        updated_at=moment,
    )
    try:
        deps.folders.create(record, parent)
    except NameTaken:
        raise _name_taken(request.name) from None
    except Stale:
        raise InvalidInput(f"folder {request.parent_id} changed or went meanwhile; retry", field="parent_id") from None
    return _public(record, [*above, parent] if parent else [])


def _existing(deps: Deps, tenant: str, folder_id: str) -> FolderRecord:
    return found(deps.folders.get(tenant, folder_id), f"no folder {folder_id}")


def get_folder(deps: Deps, tenant: str, folder_id: str) -> FolderDetail:
    record = _existing(deps, tenant, folder_id)
    parents = ancestors(deps, record)
    return FolderDetail(
        **_public(record, parents).model_dump(),
        ancestors=[FolderRef(id=folder.id, name=folder.name) for folder in parents],
    )


def list_folders(deps: Deps, tenant: str, parent_id: str | None, limit: int, cursor: str | None) -> FolderPage:
    parents: list[FolderRecord] = []
    if parent_id is not None:
        parent = _existing(deps, tenant, parent_id)
        parents = [*ancestors(deps, parent), parent]
    scope = f"list_folders|{tenant}|{parent_id or schema.ROOT_FOLDER}"
    records, last = deps.folders.children(tenant, parent_id, limit, cursors.after(deps, scope, cursor))
    return FolderPage(
        items=[_public(record, parents) for record in records], next_cursor=cursors.next_after(deps, scope, last)
    )


def update_folder(deps: Deps, tenant: str, folder_id: str, update: FolderUpdate, if_match: str | None = None) -> Folder:
    """Rename and/or move. A move takes the whole subtree along: nothing below stores its path."""
    current = _existing(deps, tenant, folder_id)
    revisions.require(if_match, revision_of(current.updated_at))
    if current.deleting:
        raise Conflict(f"folder {folder_id} is being deleted")
    fields = update.model_fields_set
    name = update.name if "name" in fields else current.name
    parent_id = update.parent_id if "parent_id" in fields else current.parent_id
    if (name, parent_id) == (current.name, current.parent_id):
        return _public(current, ancestors(deps, current))
    parent, above = _parent(deps, tenant, parent_id)
    chain = [*above, parent] if parent else []
    if any(folder.id == folder_id for folder in chain):
        raise Conflict("a folder can't move into itself or its own subtree", field="parent_id")
    moved = current.model_copy(update={"name": name, "parent_id": parent_id, "updated_at": after(current.updated_at)})
    try:
        deps.folders.replace(current, moved, chain)
    except NameTaken:
        raise _name_taken(name) from None
    except Stale:
        revisions.require(if_match, revision_of(_existing(deps, tenant, folder_id).updated_at))
        raise Conflict(f"folder {folder_id} or its new parent changed meanwhile; retry", field="parent_id") from None
    if moved.parent_id != current.parent_id:  # the assets below get members of their new ancestors
        job = FolderJob(job="reindex_folder", tenant=tenant, folder_id=folder_id)
        folder_jobs.enqueue(deps, job)
        folder_jobs.enqueue(deps, job, delay_seconds=folder_jobs.SETTLE_SECONDS)
    return _public(moved, chain)


def delete_folder(deps: Deps, tenant: str, folder_id: str, if_match: str | None = None) -> None:
    """Only an empty folder: its exact `child_count` and `asset_count` are conditions of the delete."""
    current = _existing(deps, tenant, folder_id)
    revisions.require(if_match, revision_of(current.updated_at))
    try:
        deps.folders.delete(current)
    except NotEmpty:
        raise Conflict(f"folder {folder_id} holds folders or assets: move or delete them first") from None
    except Stale:
        raise NotFound(f"no folder {folder_id}") from None


def delete_folder_tree(deps: Deps, tenant: str, folder_id: str, if_match: str | None = None) -> FolderDeletion:
    """Close the folder at once (nothing may enter it) and have the subtree deleted in the background."""
    current = _existing(deps, tenant, folder_id)
    revisions.require(if_match, revision_of(current.updated_at))
    if not current.deleting and deps.folders.mark_deleting(current, stored(after(current.updated_at))) is None:
        raise NotFound(f"no folder {folder_id}")
    folder_jobs.enqueue(deps, FolderJob(job="delete_folder", tenant=tenant, folder_id=folder_id))
    return FolderDeletion(id=folder_id, status="deleting")
