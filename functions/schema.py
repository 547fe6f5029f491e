"""Storage layout shared by the functions, the CDK stack, the local stack and the tests.

DynamoDB (one table, on demand), every access a GetItem, a Query or a conditional write:

- asset: pk `T#{tenant}#A#{id}`, sk `ASSET`;
  index `by_created`: `T#{tenant}` / `{created_at}#{id}` (list, newest first);
  index `by_kind`: `T#{tenant}#K#{kind}` / `{created_at}#{id}` (list one kind);
  index `by_hash`: `T#{tenant}#H#{sha256}` / `{created_at}#{id}`, set on ready assets only (duplicates).
- API key: pk `K#{sha256(key)}`, sk `KEY` (the authorizer's GetItem).

S3: originals at `originals/{tenant}/{id}`, derived files under `renditions/{tenant}/{id}/`
(`{name}.webp` for each rendition).
Only `originals/` triggers processing.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expires_at"

ORIGINALS_PREFIX = "originals/"
DERIVED_PREFIX = "renditions/"


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


BY_CREATED = Index("by_created", "gsi1pk", "gsi1sk")
BY_KIND = Index("by_kind", "gsi2pk", "gsi2sk")
BY_HASH = Index("by_hash", "gsi3pk", "gsi3sk")
INDEXES = (BY_CREATED, BY_KIND, BY_HASH)

QUEUE_MAX_RECEIVES = 5
"""Deliveries of an upload event before it moves to the dead-letter queue."""
QUEUE_VISIBILITY_SECONDS = 180
PROCESSOR_TIMEOUT_SECONDS = 120


def original_key(tenant: str, asset_id: str) -> str:
    return f"{ORIGINALS_PREFIX}{tenant}/{asset_id}"


def derived_prefix(tenant: str, asset_id: str) -> str:
    return f"{DERIVED_PREFIX}{tenant}/{asset_id}/"


def rendition_key(tenant: str, asset_id: str, name: str) -> str:
    return f"{derived_prefix(tenant, asset_id)}{name}.webp"


def create_table_kwargs(table_name: str) -> dict:
    """`CreateTable` arguments for the local stack and tests; the CDK stack uses the same constants."""
    attributes = [PARTITION_KEY, SORT_KEY] + [k for i in INDEXES for k in (i.partition_key, i.sort_key)]
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": i.name,
                "KeySchema": [
                    {"AttributeName": i.partition_key, "KeyType": "HASH"},
                    {"AttributeName": i.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for i in INDEXES
        ],
    }
