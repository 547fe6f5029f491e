"""Comments on an asset (AEM's annotations): written, listed oldest first, deleted; they live in the asset's
partition, so they go to the trash and back with it and a purge removes them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from functions.errors import NotFound
from functions.models.comments import Comment, CommentPage, CommentRecord, CommentRequest
from functions.models.common import EPOCH
from functions.services import cursors
from functions.services.assets import existing
from functions.services.deps import Deps


def new_id(moment: datetime) -> str:
    """32 hex characters that sort as the comments were written: microseconds since 1970, then randomness."""
    return f"{(moment - EPOCH) // timedelta(microseconds=1):014x}{secrets.token_hex(9)}"


def add_comment(deps: Deps, tenant: str, asset_id: str, request: CommentRequest, author: str | None) -> Comment:
    moment = datetime.now(UTC)
    comment = CommentRecord(
        id=new_id(moment),
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
