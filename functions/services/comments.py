"""Comments on an asset (AEM's annotations): written, listed oldest first, deleted; they live in the asset's
partition, so they go to the trash and back with it and a purge removes them."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.errors import NotFound
from functions.models.comments import Comment, CommentPage, CommentRecord, CommentRequest
from functions.models.common import time_ordered_id
from functions.services import cursors
from functions.services.assets import existing
from functions.services.deps import Deps


def add_comment(deps: Deps, tenant: str, asset_id: str, request: CommentRequest, author: str | None) -> Comment:
    moment = datetime.now(UTC)
    comment = CommentRecord(
        id=time_ordered_id(moment),
        tenant=tenant,
        asset_id=asset_id,
        text=request.text,
        annotation=request.annotation,
        author=author,
        created_at=moment,
    )
    if not deps.comments.add(comment):
        raise NotFound(f"asset {asset_id} not found")
    return comment.public()


def list_comments(deps: Deps, tenant: str, asset_id: str, limit: int, cursor: str | None) -> CommentPage:
    existing(deps, tenant, asset_id)
    scope = f"list_comments|{tenant}|{asset_id}"
    found, last = deps.comments.page(tenant, asset_id, limit, cursors.after(deps, scope, cursor))
    return CommentPage(items=[comment.public() for comment in found], next_cursor=cursors.next_after(deps, scope, last))


def delete_comment(deps: Deps, tenant: str, asset_id: str, comment_id: str) -> None:
    if not deps.comments.remove(tenant, asset_id, comment_id):
        raise NotFound(f"comment {comment_id} of asset {asset_id} not found")
