"""Page cursors a client can hand back but not forge (signed with itsdangerous).

A cursor is the position after a page, signed (HMAC) with a secret from Secrets Manager and salted with
the tenant and the query it belongs to. An edited position, or a cursor of another tenant or query, is
a 400; the partition queried always comes from the authenticated tenant anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itsdangerous import BadData, URLSafeSerializer

from functions.errors import InvalidInput

if TYPE_CHECKING:
    from functions.services.deps import Deps

INVALID = "cursor is not valid for this query; pass back next_cursor unchanged"


def secret(deps: Deps) -> str:
    """The signing key, read only when a cursor is signed or checked (cached per container by the adapter)."""
    return deps.secrets.value(deps.settings.cursor_secret)


def encode(key: str, scope: str, position: dict[str, Any]) -> str:
    """`scope` names what the cursor is valid for: the tenant and every query parameter but the cursor."""
    return URLSafeSerializer(key, salt=scope).dumps(position)


def decode(key: str, scope: str, cursor: str) -> dict[str, Any]:
    try:
        position = URLSafeSerializer(key, salt=scope).loads(cursor)
    except BadData:
        position = None
    if not isinstance(position, dict):
        raise InvalidInput(INVALID, field="cursor")
    return position


def after(deps: Deps, scope: str, cursor: str | None) -> str | None:
    """The sort key a page of a by-key listing starts after (a cursor of `{"after": key}`); None: the start."""
    if not cursor:
        return None
    start = decode(secret(deps), scope, cursor).get("after")
    if not isinstance(start, str):
        raise InvalidInput(INVALID, field="cursor")
    return start


def next_after(deps: Deps, scope: str, last: str | None) -> str | None:
    """The cursor of the page after `last` (None at the end)."""
    return encode(secret(deps), scope, {"after": last}) if last is not None else None
