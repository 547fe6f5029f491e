"""The folder tree as the other services need it: a folder's ancestors, an asset's place in the tree."""

from __future__ import annotations

from functions import schema
from functions.errors import Conflict, InvalidInput, NotFound
from functions.models.folders import FolderRecord
from functions.services.deps import Deps

WALK_LIMIT = 8 * schema.MAX_FOLDER_DEPTH
"""The most parents read to find a folder's path: subtrees moved under deep folders can sit deeper than
`MAX_FOLDER_DEPTH`, but not without bound."""


def ancestors(deps: Deps, folder: FolderRecord) -> list[FolderRecord]:
    """The folders above `folder`, the root level first."""
    found: list[FolderRecord] = []
    parent_id = folder.parent_id
    while parent_id is not None:
        if len(found) >= WALK_LIMIT:
            raise Conflict(f"folder {folder.id} lies deeper than {WALK_LIMIT} levels")
        parent = deps.folders.get(folder.tenant, parent_id)
        if parent is None:  # removed by a recursive delete that is still under way
            raise NotFound(f"folder {folder.id} is being deleted")
        found.append(parent)
        parent_id = parent.parent_id
    return found[::-1]


def chain(deps: Deps, tenant: str, folder_id: str | None) -> list[str]:
    """The folder and every folder above it, nearest first: the recursive listings that hold an asset in
    it. A 400 naming `folder_id` unless it is null (the root: none) or one of the tenant's folders. The
    write that puts an asset in the folder checks again, in its transaction: a folder deleted meanwhile
    is a 400 too."""
    if folder_id is None:
        return []
    folder = deps.folders.get(tenant, folder_id)
    if folder is None or folder.deleting:
        raise no_folder(folder_id)
    return [folder_id, *(above.id for above in reversed(ancestors(deps, folder)))]


def no_folder(folder_id: str) -> InvalidInput:
    return InvalidInput(f"no folder {folder_id}", field="folder_id")
