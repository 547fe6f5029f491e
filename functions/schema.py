"""Storage layout shared by the functions, the CDK stack, the local stack and the tests.

DynamoDB (one table, on demand), every access a GetItem, a Query or a conditional write:

- asset: pk `T#{tenant}#A#{id}`, sk `ASSET`. Listing reads KEYS_ONLY indexes, then the page's records
  with one BatchGetItem: an index item is rewritten only when its own key changes (a processor's status
  write moves the asset in `by_status` and `by_updated`, nothing else).
  The tenant-wide keys are sharded: `{shard}` is `S0`..`S7` from the asset id (`SHARDS`), so one busy
  tenant's writes spread over eight partitions, and a listing merges the eight ordered queries.
  - `by_created`, `by_updated`, `by_title`, `by_filename`, `by_size`, `by_downloads`: pk `T#{tenant}#{shard}`
    (one attribute for the six), sk the sort value and the id (`{created_at}#{id}`, `{download_count:016d}#{id}`...).
  - `by_folder` (`T#{tenant}#FA#{folder id or "root"}#{shard}`), `by_kind` (`#K#{kind}`), `by_status`
    (`#ST#{status}`), `by_type` (`#CT#{content_type}`): sk `{created_at}#{id}` (the sk of `by_created`).
  - `by_hash`: `T#{tenant}#H#{sha256}` / `{created_at}#{id}`, set on ready assets only (duplicates).
- folder: pk `T#{tenant}#F#{id}`, sk `FOLDER` (get by id). Its path is not stored: it follows from the
  parents, so renaming or moving a folder rewrites that folder alone, whatever lies below it;
  child entry: pk `T#{tenant}#C#{parent id or "root"}`, sk the name casefolded, a copy of the folder.
  A parent's children list by name in one strongly consistent Query, and a sibling with the same name
  can't be written: both items are written in one transaction, the entry with `attribute_not_exists`.
- counters, tag counts, tag members and words: see `functions.adapters.catalog`.
- API key: pk `K#{sha256(key)}`, sk `KEY` (the authorizer's GetItem: tenant, scopes, tier, usage identifier,
  expiry, `last_used_at`); its listing item: pk `KEYS#{tenant}`, sk its public id (`key_...`, time-ordered), both
  written and deleted in one transaction; the tenant's item there, sk `TENANT`: its tier and API Gateway API key
  (see `functions.adapters.keys`).
- share: pk `T#{tenant}#SH`, sk its id; its token: pk `ST#{sha256(token)}`, sk `SHARE`; a member item per shared
  asset (in the asset's partition) or folder (in the folder's), sk `SHR#{share id}`: see
  `functions.adapters.shares`.

S3, sealed originals (see the README's security section):
- `uploads/{tenant}/{id}` (version 1) and `uploads/{tenant}/{id}/{number}` (a later version): where the
  presigned POST writes, the only prefix a presigned policy can write (the signing role may put objects
  nowhere else) and the only one that triggers processing. The processor deletes each upload it handled;
  a lifecycle rule expires anything left after `UPLOAD_EXPIRY_DAYS`.
- `originals/{tenant}/{id}/{revision}`: the processor's server-side copy of an upload, which it then
  inspects. No client can write there, so the bytes a `ready` asset serves are the bytes inspected.
  `revision` is random per processing attempt, so two attempts never write the same object; the
  record names the one that won.
- `renditions/{tenant}/{id}/{revision}/{name}.webp`: derived files of that revision.
Every version of an asset keeps its own revision: replacing the file adds objects, never overwrites one.

Exports (zip downloads of many assets): pk `T#{tenant}#E#{id}` (`export_pk`), sk `EXPORT`, one item per export
with its request, status and progress, removed by TTL (`expires_at`, epoch seconds) `EXPORT_EXPIRY_DAYS` after it
was asked for. Only its GetItem and conditional updates reach it; the `EXPORT` sort key is in `ASSET_CHANGES`, so
its move to `ready` or `failed` sends `export.ready` / `export.failed` from the stream like every other event, and
not in `TTL_REMOVALS` (its sort key is not `ASSET`), so its expiry takes nothing out of any count.
S3 under `exports/{tenant}/{id}/`: the zip (`export.zip`, written as one multipart upload by the export worker),
and while the export is under way its continuation state (`state.json.gz`) and the bytes not yet sent as a part
(`carry`). A lifecycle rule expires the prefix after `EXPORT_EXPIRY_DAYS`; the bucket-wide rule aborts a multipart
upload left incomplete.

Versions: pk the asset's, sk `V#{number:06d}` (`version_sk`), one item per version of the file (the
current one's fields are also on the asset record). An asset never replaced may have no item for its
version 1 (it was made before versions, or is still pending): the asset record stands for it.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTITION_KEY = "pk"
SORT_KEY = "sk"
ASSET_SK = "ASSET"
BASE_TABLE = ""
"""The index name of reads on the table itself (`Index(BASE_TABLE, PARTITION_KEY, SORT_KEY)`)."""
TTL_ATTRIBUTE = "expires_at"
TTL_PRINCIPAL = "dynamodb.amazonaws.com"
"""The `userIdentity.principalId` of a stream record that DynamoDB's TTL made."""

TTL_REMOVALS = {
    "eventName": ["REMOVE"],
    "userIdentity": {"type": ["Service"], "principalId": [TTL_PRINCIPAL]},
    "dynamodb": {"OldImage": {SORT_KEY: {"S": [ASSET_SK]}}},
}
"""Stream filter: asset records that TTL removed."""
PURGED_SK = "PURGED"
"""The marker a purge writes beside the asset's key once every file is gone: what `asset.purged` comes from."""
EXPORT_SK = "EXPORT"
"""The sort key of an export's item (see `export_pk`)."""
ASSET_CHANGES = {"dynamodb": {"Keys": {SORT_KEY: {"S": [ASSET_SK, PURGED_SK, EXPORT_SK, {"prefix": "CMT#"}]}}}}
"""Stream filter: every change of an asset record, of its purge marker, of its comments and of an export (counters
and members never pass)."""
STREAM_VIEW = "NEW_AND_OLD_IMAGES"
"""What the table's stream records hold: events are derived from the item before and after each change."""
STREAM_CONSUMERS = {"forget_expired": TTL_REMOVALS, "publish_events": ASSET_CHANGES}
"""The functions that read the table's stream, each with the filter of its event source mapping: the
CDK stack's mappings and the local stack's stream reader both come from here."""

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
TRANSFORMS_PREFIX = "transforms/"
"""Transform results too large for a Lambda response, served from there; a cache, expired by lifecycle."""
TRANSFORM_EXPIRY_DAYS = 30
DELIVERY_SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}
"""On every delivered file (the function's answers, the CDN's for large files): a file is shown, never run, so an
SVG's script or an uploaded HTML page does nothing on the CDN's domain."""
EXPORTS_PREFIX = "exports/"
"""Zip exports and their continuation state, expired by lifecycle after `EXPORT_EXPIRY_DAYS`."""
EXPORT_EXPIRY_DAYS = 7
"""An export's zip can be downloaded this long after it was asked for; then its record (TTL) and files go."""
UPLOAD_EXPIRY_DAYS = 2
"""Backstop for uploads the processor never saw: longer than the pending record's TTL (1 day)."""
BUCKET_CORS_METHODS = ("GET", "POST", "PUT")
"""What a browser may send the bucket: GET downloads, POST a presigned form, PUT a presigned part."""
BUCKET_CORS_EXPOSED = ("ETag", "Content-Disposition")
"""What a browser's script may read from the bucket's answers: each uploaded part's ETag, to complete it, and
a download's file name."""
MAX_PARTS = 10_000
"""S3's most parts in one multipart upload."""
MIN_PART_BYTES = 16 * 1024 * 1024
"""The smallest part size handed out (S3's minimum is 5 MiB): a few hundred parts for a few GiB."""


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


SHARDS = 8
"""Partitions per tenant-wide index key. A partition takes 1,000 writes/s; an upload writes `by_status` three
times (pending in, pending out, ready in) and `by_updated` three times, so one tenant's 1,000 uploads/s are
about 375 writes/s on each of eight, against 3,000/s on one (see the README's key design)."""

LIST_PK = "lpk"
CREATED_SK = "created_sk"
BY_CREATED = Index("by_created", LIST_PK, CREATED_SK)
BY_UPDATED = Index("by_updated", LIST_PK, "updated_sk")
BY_TITLE = Index("by_title", LIST_PK, "title_sk")
BY_FILENAME = Index("by_filename", LIST_PK, "filename_sk")
BY_SIZE = Index("by_size", LIST_PK, "size_sk")
BY_DOWNLOADS = Index("by_downloads", LIST_PK, "downloads_sk")
BY_FOLDER = Index("by_folder", "folder_pk", CREATED_SK)
BY_KIND = Index("by_kind", "kind_pk", CREATED_SK)
BY_STATUS = Index("by_status", "status_pk", CREATED_SK)
BY_TYPE = Index("by_type", "type_pk", CREATED_SK)
BY_HASH = Index("by_hash", "hash_pk", "hash_sk")
MEMBERS = Index(BASE_TABLE, PARTITION_KEY, SORT_KEY)
"""Tag members, words and tag counts: items of the table itself, read in key order."""
SORTS = {
    "created_at": BY_CREATED,
    "updated_at": BY_UPDATED,
    "title": BY_TITLE,
    "filename": BY_FILENAME,
    "size": BY_SIZE,
    "download_count": BY_DOWNLOADS,
}
"""The index that serves each `sort` of `GET /v1/assets` for the whole tenant."""
INDEXES = (*SORTS.values(), BY_FOLDER, BY_KIND, BY_STATUS, BY_TYPE, BY_HASH)

PROCESSING_ATTEMPTS = 3
"""Real attempts (counted on the record) at inspecting an upload; the next delivery ends it `failed`."""
QUEUE_MAX_RECEIVES = 10
"""Deliveries of an upload event before it moves to the dead-letter queue: more than `PROCESSING_ATTEMPTS`,
so that deliveries that never reached the processor (throttling) cannot fail a good upload."""
PROCESSOR_TIMEOUT_SECONDS = 300
"""One upload per invocation (batches of one). Sized for a 5 GiB upload (the multipart default of `MAX_UPLOAD_BYTES`)
at a pessimistic 100 MB/s for the seal copy and again for the hashing: 2 x 54 s, under half of this. The README's
processing section has the arithmetic, and what `Settings.max_hashed_bytes` (8 GiB, about 170 s at that rate) does
above it."""
QUEUE_VISIBILITY_SECONDS = 6 * PROCESSOR_TIMEOUT_SECONDS
"""AWS's guidance for a Lambda event source: at least six times the function's timeout."""
JOB_TIMEOUT_SECONDS = 900
"""The folder-jobs worker's timeout (Lambda's longest): a job stops a minute before it and is sent again."""
JOB_VISIBILITY_SECONDS = 6 * JOB_TIMEOUT_SECONDS
JOB_MAX_RECEIVES = 3
"""Deliveries of a folder job before it moves to its dead-letter queue: a job that fails three times in a row."""
JOB_MAX_CONCURRENCY = 2
"""Folder jobs at once: background work never takes the concurrency the API needs."""
EXPORT_TIMEOUT_SECONDS = 900
"""The export worker's timeout (Lambda's longest): an export stops a minute before it and is sent again."""
EXPORT_VISIBILITY_SECONDS = 6 * EXPORT_TIMEOUT_SECONDS
EXPORT_MAX_RECEIVES = 3
"""Deliveries of an export round before it moves to the dead-letter queue; the last one marks the export `failed`."""
EXPORT_MAX_CONCURRENCY = 2
"""Exports streaming at once: each holds a part in memory and a connection to S3 busy for up to 15 minutes."""
EXPORT_WORKER_ENVIRONMENT = {"MALLOC_MMAP_THRESHOLD_": str(1024 * 1024)}
"""The export worker's own environment. glibc raises its mmap threshold to the largest block freed, so after the
first 16 MiB part the parts come from the heap, which fragments among the small objects of each entry and grows
with the zip's part count; a fixed threshold maps every part and gives it back once sent, and the worker's memory
stays flat (bench/exports.py: a peak growth of 40 and 42 MiB at 256 MiB and 1 GiB, against 39 and 58 MiB
without)."""
PROCESSOR_MAX_CONCURRENCY = 10
"""At most this many processor instances at once, so a burst of uploads cannot take the API's concurrency."""


VERSION_SK_PREFIX = "V#"
MAX_VERSIONS = 999_999
"""Version numbers an asset can give out (six digits keep the items in order)."""


COMMENT_SK_PREFIX = "CMT#"
"""Comments: pk the asset's, sk `CMT#{comment_id}`; ids are time-ordered, so a Query lists the oldest first."""


SHARE_TOKEN_SK = "SHARE"  # noqa: S105 - a sort key, not a secret
"""A share's token item: pk `ST#{sha256(token)}` (see `functions.adapters.shares`)."""
SHARE_MEMBER_PREFIX = "SHR#"
"""A share's member item, in the partition of each asset (or the folder) it shares: sk `SHR#{share_id}`."""


def share_member_sk(share_id: str) -> str:
    return f"{SHARE_MEMBER_PREFIX}{share_id}"


def export_pk(tenant: str, export_id: str) -> str:
    return f"T#{tenant}#E#{export_id}"


def exports_prefix(tenant: str, export_id: str) -> str:
    return f"{EXPORTS_PREFIX}{tenant}/{export_id}/"


def export_key(tenant: str, export_id: str) -> str:
    """The export's zip."""
    return f"{exports_prefix(tenant, export_id)}export.zip"


def export_state_key(tenant: str, export_id: str) -> str:
    """Where a round that ran out of time leaves the zip's state for the next (see `services.zipstream`)."""
    return f"{exports_prefix(tenant, export_id)}state.json.gz"


def export_carry_key(tenant: str, export_id: str) -> str:
    """The zip's bytes written after its last part, kept between rounds (a part but the last is at least 5 MiB)."""
    return f"{exports_prefix(tenant, export_id)}carry"


def comment_sk(comment_id: str) -> str:
    return f"{COMMENT_SK_PREFIX}{comment_id}"


def version_sk(number: int) -> str:
    return f"{VERSION_SK_PREFIX}{number:06d}"


def upload_key(tenant: str, asset_id: str, number: int = 1) -> str:
    """Where the presigned POST of version `number` writes (version 1 at the asset's own key)."""
    own = f"{UPLOADS_PREFIX}{tenant}/{asset_id}"
    return own if number == 1 else f"{own}/{number}"


def originals_prefix(tenant: str, asset_id: str) -> str:
    return f"{ORIGINALS_PREFIX}{tenant}/{asset_id}/"


def original_key(tenant: str, asset_id: str, revision: str) -> str:
    return f"{originals_prefix(tenant, asset_id)}{revision}"


def transforms_prefix(tenant: str, asset_id: str) -> str:
    return f"{TRANSFORMS_PREFIX}{tenant}/{asset_id}/"


def transform_key(tenant: str, asset_id: str, revision: str, digest: str) -> str:
    return f"{transforms_prefix(tenant, asset_id)}{revision}/{digest}"


def derived_prefix(tenant: str, asset_id: str) -> str:
    return f"{DERIVED_PREFIX}{tenant}/{asset_id}/"


def rendition_key(tenant: str, asset_id: str, revision: str, name: str) -> str:
    return f"{derived_prefix(tenant, asset_id)}{revision}/{name}.webp"


IDEMPOTENCY_KEY = "id"
IDEMPOTENCY_EXPIRY = "expiration"
"""Powertools' idempotency table: its default key and TTL attributes."""


def create_idempotency_table_kwargs(table_name: str) -> dict:
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": IDEMPOTENCY_KEY, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": IDEMPOTENCY_KEY, "KeyType": "HASH"}],
    }


def create_table_kwargs(table_name: str) -> dict:
    """`CreateTable` arguments for the local stack and tests; the CDK stack uses the same constants."""
    attributes = [PARTITION_KEY, SORT_KEY, *sorted({k for i in INDEXES for k in (i.partition_key, i.sort_key)})]
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": STREAM_VIEW},
        "GlobalSecondaryIndexes": [
            {
                "IndexName": i.name,
                "KeySchema": [
                    {"AttributeName": i.partition_key, "KeyType": "HASH"},
                    {"AttributeName": i.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
            for i in INDEXES
        ],
    }
