"""DynamoDB access to API keys (see `functions.schema`):

- the key's item: pk `K#{sha256(key)}`, sk `KEY`: what the authorizer needs, in one GetItem (tenant, scopes,
  label, tier, the tenant's usage identifier, the expiry as epoch seconds in the table's TTL attribute
  `expires_at`) and `last_used_at`, which the authorizer keeps there;
- its listing item: pk `KEYS#{tenant}`, sk the key's id (`key_` and a time-ordered id: a Query lists the newest
  first), the record, its expiry stored as `ends_at` and as the TTL;
- the tenant's item: pk `KEYS#{tenant}`, sk `TENANT`: its tier and API Gateway API key (value and id), copied
  onto every key it makes.

The two items of a key are written and deleted in one transaction; TTL removes both once the key has expired.
Nothing here loads pydantic until a record is built: the authorizer uses `resolve` and `touch` alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from functions import schema
from functions.adapters.aws_errors import translated
from functions.adapters.items import deserialize, serialize, transact
from functions.adapters.table import Table

if TYPE_CHECKING:
    from functions.models.keys import ApiKeyRecord

KEY_SK = "KEY"
TENANT_SK = "TENANT"
STORED_EXPIRY = "ends_at"
LAST_USED = "last_used_at"
AUTHORIZER_FIELDS = ("tenant", "scopes", "label", "tier", "usage_key")
"""What the key's own item holds of its record, besides its id and expiry."""


def key_pk(key_hash: str) -> str:
    return f"K#{key_hash}"


def keys_pk(tenant: str) -> str:
    return f"KEYS#{tenant}"


def hash_key_of(key_hash: str) -> dict[str, Any]:
    """The table key of a key's own item."""
    return {schema.PARTITION_KEY: {"S": key_pk(key_hash)}, schema.SORT_KEY: {"S": KEY_SK}}


def listing_key(tenant: str, key_id: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": keys_pk(tenant)}, schema.SORT_KEY: {"S": key_id}}


def tenant_key(tenant: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": keys_pk(tenant)}, schema.SORT_KEY: {"S": TENANT_SK}}


def ttl_of(expires_at: datetime | None) -> int | None:
    """Epoch seconds from when the key is refused (rounded up) and DynamoDB may remove it; None: never."""
    return math.ceil(expires_at.timestamp()) if expires_at else None


@dataclass(frozen=True)
class TenantUsage:
    """A tenant's tier and its API Gateway API key, the usage identifier its keys hand the gateway."""

    tier: str
    usage_key: str
    """The API key's value (what the authorizer returns as `usageIdentifierKey`)."""
    usage_key_id: str | None = None
    """API Gateway's id of that API key; None locally, where there is no API Gateway."""


def _record(item: dict[str, Any], last_used: str | None = None) -> ApiKeyRecord:
    from functions.models.keys import ApiKeyRecord

    values = deserialize(item)
    values.pop(schema.TTL_ATTRIBUTE, None)  # follows from the expiry
    values["expires_at"] = values.pop(STORED_EXPIRY, None)
    values[LAST_USED] = last_used
    return ApiKeyRecord.model_validate(values)


class Keys:
    def __init__(self, table: Table):
        self.table = table

    def resolve(self, key_hash: str) -> dict[str, Any] | None:
        """The key's own item as plain values (the authorizer's one read), None for no such key."""
        with translated():
            item = self.table.client.get_item(TableName=self.table.name, Key=hash_key_of(key_hash)).get("Item")
        return deserialize(item) if item else None

    def touch(self, key_hash: str, moment: str, unless_since: str) -> bool:
        """Record that the key was used at `moment`, unless that was already done at `unless_since` or later (or
        the key is gone: never re-created by this write). False when nothing was written."""
        written = self.table.conditional(
            "update_item",
            Key=hash_key_of(key_hash),
            UpdateExpression="SET #used = :now",
            ConditionExpression="attribute_exists(#pk) AND (attribute_not_exists(#used) OR #used < :since)",
            ExpressionAttributeNames={"#pk": schema.PARTITION_KEY, "#used": LAST_USED},
            ExpressionAttributeValues={":now": {"S": moment}, ":since": {"S": unless_since}},
        )
        return written is not None

    def tenant(self, tenant: str) -> TenantUsage | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=tenant_key(tenant), ConsistentRead=True
            ).get("Item")
        if not item:
            return None
        values = deserialize(item)
        return TenantUsage(values["tier"], values["usage_key"], values.get("usage_key_id"))

    def add_tenant(self, tenant: str, usage: TenantUsage) -> bool:
        """The tenant's item, unless it has one already (False)."""
        item = serialize({"tier": usage.tier, "usage_key": usage.usage_key, "usage_key_id": usage.usage_key_id})
        written = self.table.conditional(
            "put_item",
            Item=item | tenant_key(tenant),
            ConditionExpression="attribute_not_exists(#pk)",
            ExpressionAttributeNames={"#pk": schema.PARTITION_KEY},
        )
        return written is not None

    def set_tier(self, tenant: str, tier: str) -> int:
        """The tenant's item and every key of it (listing and own items) in `tier`; how many keys."""
        update = {
            "UpdateExpression": "SET #tier = :tier",
            "ConditionExpression": "attribute_exists(#pk)",
            "ExpressionAttributeNames": {"#tier": "tier", "#pk": schema.PARTITION_KEY},
            "ExpressionAttributeValues": {":tier": {"S": tier}},
        }
        self.table.conditional("update_item", Key=tenant_key(tenant), **update)
        moved, after = 0, None
        while True:
            records, after = self.page(tenant, 100, after)
            for record in records:
                for key in (hash_key_of(record.key_hash), listing_key(tenant, record.id)):
                    self.table.conditional("update_item", Key=key, **update)  # one revoked meanwhile stays gone
            moved += len(records)
            if after is None:
                return moved

    def add(self, record: ApiKeyRecord) -> None:
        """The key's own item (which must be new) and its listing item, in one transaction."""
        stored = record.model_dump(mode="json", exclude={"expires_at", LAST_USED})
        ttl = ttl_of(record.expires_at)
        own = {name: stored[name] for name in AUTHORIZER_FIELDS} | {"key_id": record.id, schema.TTL_ATTRIBUTE: ttl}
        stored |= {STORED_EXPIRY: record.model_dump(mode="json")["expires_at"], schema.TTL_ATTRIBUTE: ttl}
        items = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": serialize(own) | hash_key_of(record.key_hash),
                    "ConditionExpression": "attribute_not_exists(#pk)",
                    "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
                }
            },
            {"Put": {"TableName": self.table.name, "Item": serialize(stored) | listing_key(record.tenant, record.id)}},
        ]
        if transact(self.table.client, items) is not None:
            raise ValueError("that API key exists already")

    def get(self, tenant: str, key_id: str) -> ApiKeyRecord | None:
        """The tenant's key of that id (its listing item: another tenant's id is not there)."""
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=listing_key(tenant, key_id), ConsistentRead=True
            ).get("Item")
        return _record(item) if item else None

    def page(self, tenant: str, limit: int, after: str | None) -> tuple[list[ApiKeyRecord], str | None]:
        """Up to `limit` keys of the tenant, the newest first, after the id `after`, with when each was last used;
        and the id to go on from."""
        start = listing_key(tenant, after) if after is not None else None
        items, last = self.table.newest_first(keys_pk(tenant), limit=limit, start=start, sk_prefix="key_")
        own = self.table.get_items([hash_key_of(item["key_hash"]["S"]) for item in items])
        used = {item[schema.PARTITION_KEY]["S"]: item.get(LAST_USED, {}).get("S") for item in own}
        records = [_record(item, used.get(key_pk(item["key_hash"]["S"]))) for item in items]
        return records, last[schema.SORT_KEY]["S"] if last else None

    def remove(self, record: ApiKeyRecord) -> bool:
        """Both items of the key in one transaction; False when it was removed meanwhile."""
        items = [
            {"Delete": {"TableName": self.table.name, "Key": hash_key_of(record.key_hash)}},
            {
                "Delete": {
                    "TableName": self.table.name,
                    "Key": listing_key(record.tenant, record.id),
                    "ConditionExpression": "attribute_exists(#pk)",
                    "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
                }
            },
        ]
        return transact(self.table.client, items) is None
