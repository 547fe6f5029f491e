"""Storage layout shared by the functions, the CDK stack, the local stack and the tests.

DynamoDB (one table, on demand), every access a GetItem, a Query or a conditional write:

- asset: pk `T#{tenant}#A#{id}`, sk `ASSET`;
  index `by_created`: `T#{tenant}` / `{created_at}#{id}` (list, newest first);
  index `by_kind`: `T#{tenant}#K#{kind}` / `{created_at}#{id}` (list one kind);
  index `by_hash`: `T#{tenant}#H#{sha256}` / `{created_at}#{id}`, set on ready assets only (duplicates).
- folder: pk `T#{tenant}#F#{id}`, sk `FOLDER` (get by id). Its path is not stored: it follows from the
  parents, so renaming or moving a folder rewrites that folder alone, whatever lies below it;
  child entry: pk `T#{tenant}#C#{parent id or "root"}`, sk the name casefolded, a copy of the folder.
  A parent's children list by name in one strongly consistent Query, and a sibling with the same name
  can't be written: both items are written in one transaction, the entry with `attribute_not_exists`.
- API key: pk `K#{sha256(key)}`, sk `KEY` (the authorizer's GetItem).

S3, sealed originals (see the README's security section):
- `uploads/{tenant}/{id}`: where the presigned POST writes, the only prefix a presigned policy can
  write (the signing role may put objects nowhere else) and the only one that triggers processing.
  Emptied by the processor; a lifecycle rule expires anything left after `UPLOAD_EXPIRY_DAYS`.
- `originals/{tenant}/{id}/{revision}`: the processor's server-side copy of an upload, which it then
  inspects. No client can write there, so the bytes a `ready` asset serves are the bytes inspected.
  `revision` is random per processing attempt, so two attempts never write the same object; the
  record names the one that won.
- `renditions/{tenant}/{id}/{revision}/{name}.webp`: derived files of that revision.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expires_at"

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
"""How every timestamp is stored and returned: fixed width, so stored values compare as written."""

ROOT_FOLDER = "root"
"""Stands for the root level where a folder id is expected (a parent, a `folder_id` filter)."""
MAX_FOLDER_DEPTH = 32
"""How deep a folder may be created or moved to (the root level is depth 1). A move checks, in its
transaction, that the new parent and each of its ancestors are unchanged, so this also bounds that."""

UPLOADS_PREFIX = "uploads/"
ORIGINALS_PREFIX = "originals/"
DERIVED_PREFIX = "renditions/"
UPLOAD_EXPIRY_DAYS = 2
"""Backstop for uploads the processor never saw: longer than the pending record's TTL (1 day)."""


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


BY_CREATED = Index("by_created", "gsi1pk", "gsi1sk")
BY_KIND = Index("by_kind", "gsi2pk", "gsi2sk")
BY_HASH = Index("by_hash", "gsi3pk", "gsi3sk")
INDEXES = (BY_CREATED, BY_KIND, BY_HASH)

PROCESSING_ATTEMPTS = 3
"""Real attempts (counted on the record) at inspecting an upload; the next delivery ends it `failed`."""
QUEUE_MAX_RECEIVES = 10
"""Deliveries of an upload event before it moves to the dead-letter queue: more than `PROCESSING_ATTEMPTS`,
so that deliveries that never reached the processor (throttling) cannot fail a good upload."""
PROCESSOR_TIMEOUT_SECONDS = 120
QUEUE_VISIBILITY_SECONDS = 6 * PROCESSOR_TIMEOUT_SECONDS
"""AWS's guidance for a Lambda event source: at least six times the function's timeout."""
PROCESSOR_MAX_CONCURRENCY = 10
"""At most this many processor instances at once, so a burst of uploads cannot take the API's concurrency."""


def upload_key(tenant: str, asset_id: str) -> str:
    return f"{UPLOADS_PREFIX}{tenant}/{asset_id}"


def originals_prefix(tenant: str, asset_id: str) -> str:
    return f"{ORIGINALS_PREFIX}{tenant}/{asset_id}/"


def original_key(tenant: str, asset_id: str, revision: str) -> str:
    return f"{originals_prefix(tenant, asset_id)}{revision}"


def derived_prefix(tenant: str, asset_id: str) -> str:
    return f"{DERIVED_PREFIX}{tenant}/{asset_id}/"


def rendition_key(tenant: str, asset_id: str, revision: str, name: str) -> str:
    return f"{derived_prefix(tenant, asset_id)}{revision}/{name}.webp"


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
