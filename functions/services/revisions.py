"""Optimistic concurrency: `If-Match` against an item's revision (RFC 9110, strong comparison)."""

from __future__ import annotations

import re

from functions.errors import PreconditionFailed

_ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')


def etag(revision: str) -> str:
    return f'"{revision}"'


def require(if_match: str | None, revision: str) -> None:
    """Nothing without `If-Match`; `*` matches any existing item; a weak tag (`W/"..."`) never matches."""
    if if_match is None or if_match.strip() == "*":
        return
    if any(not weak and tag == revision for weak, tag in _ENTITY_TAG.findall(if_match)):
        return
    raise PreconditionFailed(
        f"it was written since (its revision is now {revision}): read it again, then retry", field="If-Match"
    )
