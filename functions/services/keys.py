"""API keys: random bearer tokens, stored only as SHA-256 hashes.

A key is 256 bits from `secrets`, so a fast hash is enough: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime

from functions.adapters.table import Table
from functions.routes import SCOPES

KEY_PREFIX = "dam_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(table: Table, tenant: str, scopes: list[str], key: str | None = None, label: str | None = None) -> str:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scopes {unknown}; known: {list(SCOPES)}")
    from functions.models.common import TENANT_PATTERN
    from functions.models.keys import ApiKeyRecord  # not at import: the authorizer never needs pydantic

    if not re.fullmatch(TENANT_PATTERN, tenant):
        raise ValueError(
            f"tenant {tenant!r} must be 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit"
        )
    key = key or KEY_PREFIX + secrets.token_urlsafe(32)

    record = ApiKeyRecord(tenant=tenant, scopes=sorted(set(scopes)), created_at=datetime.now(UTC), label=label)
    table.put_api_key(hash_key(key), record)
    return key


def resolve(table: Table, key: str) -> dict | None:
    """`{"tenant", "scopes"}` for a valid key, else None. Kept free of pydantic for a fast authorizer."""
    if not key or len(key) > 200:
        return None
    return table.get_api_key(hash_key(key))
