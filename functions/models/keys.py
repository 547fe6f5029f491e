"""API key records (stored hashed; the key itself is never stored)."""

from __future__ import annotations

from functions.models.common import Model, TenantId, Timestamp


class ApiKeyRecord(Model):
    tenant: TenantId
    scopes: list[str]
    created_at: Timestamp
    label: str | None = None
