"""A pending asset whose upload never came: DynamoDB TTL removes its record, and this takes it out of the
counters, its folder's `asset_count`, its tags' counts and the members, as a delete through the API does."""

from __future__ import annotations

from typing import Any

from functions import schema
from functions.adapters.items import deserialize
from functions.adapters.table import FolderGone
from functions.models.assets import AssetRecord
from functions.services.deps import Deps


def removed_by_ttl(change: dict[str, Any]) -> AssetRecord | None:
    """The asset record of a stream record that TTL removed; None for any other change."""
    identity = change.get("userIdentity") or {}
    image = (change.get("dynamodb") or {}).get("OldImage") or {}
    if change.get("eventName") != "REMOVE" or identity.get("principalId") != schema.TTL_PRINCIPAL:
        return None
    if image.get(schema.SORT_KEY, {}).get("S") != schema.ASSET_SK:
        return None
    return AssetRecord.model_validate(deserialize(image))


def forget(deps: Deps, record: AssetRecord) -> bool:
    """True when this call took it out; False when an earlier delivery already had."""
    try:
        return deps.table.forget_expired(record)
    except FolderGone:  # its folder went meanwhile (a recursive delete): only the folder's count is moot
        return deps.table.forget_expired(record, folder_gone=True)
