"""Folder models: a tree per tenant, names unique among siblings (case-insensitively)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from functions.models.common import FolderId, Input, Model, Revision, TenantId, Timestamp

FolderName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        pattern=r"^[^/\x00-\x1f\x7f-\x9f]*[^/\x00-\x1f\x7f-\x9f\s][^/\x00-\x1f\x7f-\x9f]*$",
        description="1 to 255 characters, no `/` and no control characters; unique among its siblings, ignoring case.",
    ),
]
ParentId = Annotated[FolderId | None, Field(description="The parent folder; null at the root.")]


class FolderCreate(Input):
    name: FolderName
    parent_id: Annotated[FolderId | None, Field(description="The parent folder; absent or null: the root.")] = None


class FolderUpdate(Input):
    """Rename, move, or both. Absent fields are kept; `parent_id: null` moves the folder to the root."""

    name: FolderName = None  # type: ignore[assignment]  # absent: kept; null is refused like any non-string
    parent_id: Annotated[
        FolderId | None, Field(description="The new parent; null: the root. The subtree moves with the folder.")
    ] = None


class FolderRecord(Model):
    """A folder as stored. Its path is not stored: it follows from the parents, so a move rewrites one item."""

    id: FolderId
    tenant: TenantId
    name: str
    parent_id: FolderId | None = None
    created_at: Timestamp
    updated_at: Timestamp
    asset_count: Annotated[int, Field(description="Assets directly in it, kept exact by every asset write.")] = 0
    child_count: Annotated[int, Field(description="Folders directly in it.")] = 0
    deleting: Annotated[bool, Field(description="A recursive delete is under way: nothing may enter it.")] = False


class Folder(Model):
    id: FolderId
    name: str
    parent_id: ParentId
    path: Annotated[str, Field(description="The names from the root, each after a `/`, e.g. `/Brand/Logos`.")]
    created_at: Timestamp
    updated_at: Timestamp
    revision: Revision


class FolderRef(Model):
    id: FolderId
    name: str


class FolderDetail(Folder):
    ancestors: Annotated[list[FolderRef], Field(description="The folders above this one, the root level first.")]


class FolderPage(Model):
    items: Annotated[list[Folder], Field(description="Child folders, by name.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class FolderJob(Model):
    """A message on the folder-jobs queue."""

    job: Annotated[
        Literal["delete_folder", "reindex_folder"],
        Field(description="Delete the subtree, or bring its assets' recursive-listing members up to date."),
    ]
    tenant: TenantId
    folder_id: FolderId
    round: Annotated[int, Field(description="How many runs of this job came before (each until time ran out).")] = 0


class FolderDeletion(Model):
    id: FolderId
    status: Annotated[
        Literal["deleting"],
        Field(description="The subtree, its assets and their files go in the background; the folder is then 404."),
    ]
