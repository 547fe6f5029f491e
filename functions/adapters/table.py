"""DynamoDB access: every call is a GetItem, a Query or a conditional write. No Scan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from functions import schema
from functions.adapters import catalog, clients, listing
from functions.adapters.aws_errors import error_code, translated
from functions.adapters.items import deserialize, serialize, serialize_value, set_or_remove, transact

if TYPE_CHECKING:  # the authorizer uses this module without ever loading pydantic
    from functions.models.assets import AssetRecord

BATCH_GET = 100
"""BatchGetItem's most keys per call."""
EXPIRED_SK = "EXPIRED"
MARKER_SECONDS = 7 * 86_400
"""How long the marker of an expired record is kept: longer than a stream keeps records (24 hours)."""
BATCH_WRITE = 25
"""BatchWriteItem's most requests per call."""
DELETED_AT = "deleted_at"
INDEX_PARTITIONS = (
    schema.LIST_PK,
    *(index.partition_key for _, index in listing.DIMENSIONS.values()),
    schema.BY_HASH.partition_key,
)
"""The partition keys of every index an asset is listed or found in: without them, it is in none."""
INDEX_ATTRIBUTES = {*INDEX_PARTITIONS, *(index.sort_key for index in schema.INDEXES)}


def trash_pk(tenant: str) -> str:
    return f"T#{tenant}#TRASH"


def trash_member(tenant: str, asset_id: str, deleted_at: str) -> dict[str, Any]:
    """The item that lists a trashed asset in its tenant's trash, by when it was deleted."""
    return serialize({schema.PARTITION_KEY: trash_pk(tenant), schema.SORT_KEY: f"{deleted_at}#{asset_id}"})


def asset_pk(tenant: str, asset_id: str) -> str:
    return f"T#{tenant}#A#{asset_id}"


def hash_pk(tenant: str, sha256: str) -> str:
    return f"T#{tenant}#H#{sha256}"


FOLDER_SK = "FOLDER"


class FolderGone(Exception):
    """The folder an asset was to enter does not exist (any more)."""


class Superseded(Exception):
    """An item written alongside an asset did not meet its condition (another write came first)."""

    def __init__(self, index: int):
        super().__init__(f"item {index} written alongside the asset did not meet its condition")
        self.index = index


def folder_pk(tenant: str, folder_id: str) -> str:
    return f"T#{tenant}#F#{folder_id}"


def folder_key(tenant: str, folder_id: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": folder_pk(tenant, folder_id)}, schema.SORT_KEY: {"S": FOLDER_SK}}


def count_update(
    table: str,
    key: dict[str, Any],
    attribute: str,
    delta: int,
    unchanged_since: str | None = None,
    entering: bool = False,
) -> dict[str, Any]:
    """A transaction item adding `delta` to a count of an item that must exist (and, with `unchanged_since`,
    still have that `updated_at`; with `entering`, not be under a recursive delete): how a folder's
    `child_count` and `asset_count` stay exact."""
    condition = "attribute_exists(#pk)" + (" AND #updated = :read" if unchanged_since else "")
    names = {"#pk": schema.PARTITION_KEY, "#count": attribute}
    if unchanged_since:
        names["#updated"] = "updated_at"
    if entering:
        condition += " AND attribute_not_exists(#deleting)"
        names["#deleting"] = "deleting"
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": "ADD #count :delta",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                ":delta": {"N": str(delta)},
                **({":read": {"S": unchanged_since}} if unchanged_since else {}),
            },
        }
    }


def asset_id_of(key: dict[str, Any]) -> str:
    """The asset id in a table key built by `asset_pk`."""
    return key[schema.PARTITION_KEY]["S"].rsplit("#", 1)[-1]


def created_sk(record: AssetRecord) -> str:
    return f"{record.created_at.strftime(schema.TIMESTAMP_FORMAT)}#{record.id}"


def hash_keys(record: AssetRecord, sha256: str) -> dict[str, str]:
    """The `by_hash` attributes that make a ready asset findable by its bytes."""
    return {
        schema.BY_HASH.partition_key: hash_pk(record.tenant, sha256),
        schema.BY_HASH.sort_key: created_sk(record),
    }


def asset_key(tenant: str, asset_id: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": asset_pk(tenant, asset_id)}, schema.SORT_KEY: {"S": schema.ASSET_SK}}


def _stored(record: AssetRecord) -> dict[str, Any]:
    """The attributes of an asset's item, its record and every index key, as plain JSON values."""
    stored = record.model_dump(mode="json")
    keys = {schema.PARTITION_KEY: asset_pk(record.tenant, record.id), schema.SORT_KEY: schema.ASSET_SK}
    return {**stored, **keys, **listing.record_keys(stored)}


def record_item(record: AssetRecord) -> dict[str, Any]:
    """The item of an asset: its record and every index key."""
    return serialize(_stored(record))


def _record(item: dict[str, Any]) -> AssetRecord:
    from functions.models.assets import AssetRecord

    return AssetRecord.model_validate(deserialize(item))


class Table:
    def __init__(self, name: str, client: Any = None):
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("dynamodb")

    def put_new_asset(
        self, record: AssetRecord, sha256: str | None = None, alongside: list[dict[str, Any]] | None = None
    ) -> None:
        """A new asset; with `sha256`, a ready one that `by_hash` finds by its bytes; with `alongside`, with
        those transaction items. `FolderGone` when its folder does not exist (any more)."""
        item = record_item(record) | (serialize(hash_keys(record, sha256)) if sha256 else {})
        put = {
            "TableName": self.name,
            "Item": item,
            "ConditionExpression": "attribute_not_exists(#pk)",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
        }
        self._write(
            record.tenant, {"Put": put}, None, _stored(record), folders=(record.folder_id, None), alongside=alongside
        )

    def get_asset(self, tenant: str, asset_id: str, *, trashed: bool = False) -> AssetRecord | None:
        """The asset, or with `trashed` the asset in the trash; None when there is no such one."""
        with translated():
            item = self.client.get_item(TableName=self.name, Key=asset_key(tenant, asset_id), ConsistentRead=True).get(
                "Item"
            )
        if not item or (DELETED_AT in item) != trashed:
            return None
        return _record(item)

    def update_asset(
        self,
        previous: AssetRecord,
        changes: dict[str, Any],
        *,
        expected_status: str | None = None,
        alongside: list[dict[str, Any]] | None = None,
    ) -> AssetRecord | None:
        """Set (or, for `None`, remove) top-level attributes of an asset that is still as `previous` was.

        A compare-and-set on `updated_at`: only the named attributes are written, and only if nobody wrote
        the asset since it was read, so `updated_at` never goes backwards and the counters change by exactly
        what this write changed. Returns the new record, or None when the asset is gone, was changed
        meanwhile, or is not in `expected_status`. `FolderGone` when it is moved to a folder that is gone;
        `Superseded` when an item of `alongside`, written in the same transaction, did not meet its condition.
        """
        tenant, asset_id = previous.tenant, previous.id
        changes = {**changes, **listing.index_keys(tenant, asset_id, changes)}
        expression, names, values = set_or_remove(changes)
        names |= {"#pk": schema.PARTITION_KEY, "#updated": "updated_at"}
        values[":read"] = {"S": previous.updated_at.strftime(schema.TIMESTAMP_FORMAT)}
        condition = "attribute_exists(#pk) AND #updated = :read"
        if expected_status is not None:
            condition += " AND #status = :expected"
            names["#status"] = "status"
            values[":expected"] = {"S": expected_status}
        update = {
            "TableName": self.name,
            "Key": asset_key(tenant, asset_id),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        before = _stored(previous)
        after = {name: value for name, value in {**before, **changes}.items() if value is not None}
        moved = (changes["folder_id"], previous.folder_id) if "folder_id" in changes else (None, None)
        if not self._write(tenant, {"Update": update}, before, after, folders=moved, alongside=alongside):
            return None
        return _record(serialize(after))

    def delete_asset(self, record: AssetRecord) -> bool:
        """Remove the record if it is still as read, and count it out of its folder; False otherwise."""
        delete = {
            "TableName": self.name,
            "Key": asset_key(record.tenant, record.id),
            "ConditionExpression": "attribute_exists(#pk) AND #updated = :read",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY, "#updated": "updated_at"},
            "ExpressionAttributeValues": {":read": {"S": record.updated_at.strftime(schema.TIMESTAMP_FORMAT)}},
        }
        before = _stored(record)
        return self._write(record.tenant, {"Delete": delete}, before, None, folders=(None, record.folder_id))

    def trash_asset(self, record: AssetRecord, deleted_at: str, purge_at: datetime) -> bool:
        """Move the asset, if it is still as read, to the trash: out of every index, count and member (as a
        delete), into the tenant's trash, with a TTL at `purge_at`. False when it changed meanwhile."""
        stored = _stored(record)
        update = {
            "TableName": self.name,
            "Key": asset_key(record.tenant, record.id),
            "UpdateExpression": "SET #deleted = :deleted, #purge = :purge, #ttl = :ttl, #updated = :deleted REMOVE "
            + ", ".join(f"#i{i}" for i in range(len(INDEX_PARTITIONS))),
            "ConditionExpression": "attribute_exists(#pk) AND #updated = :read",
            "ExpressionAttributeNames": {
                "#pk": schema.PARTITION_KEY,
                "#updated": "updated_at",
                "#deleted": DELETED_AT,
                "#purge": "purge_at",
                "#ttl": schema.TTL_ATTRIBUTE,
                **{f"#i{i}": name for i, name in enumerate(INDEX_PARTITIONS)},
            },
            "ExpressionAttributeValues": {
                ":read": {"S": stored["updated_at"]},
                ":deleted": {"S": deleted_at},
                ":purge": {"S": purge_at.strftime(schema.TIMESTAMP_FORMAT)},
                ":ttl": {"N": str(int(purge_at.timestamp()))},
            },
        }
        self.batch_write([{"PutRequest": {"Item": trash_member(record.tenant, record.id, deleted_at)}}])
        return self._write(record.tenant, {"Update": update}, stored, None, folders=(None, record.folder_id))

    def restore_asset(self, record: AssetRecord, changes: dict[str, Any]) -> AssetRecord | None:
        """Take a trashed asset (still as read, and no purge begun) out of the trash with `changes` (its
        `updated_at`, and its folder when that one is gone): back in every index, count and member. None
        when it changed meanwhile; `FolderGone` when its folder went meanwhile."""
        trashed = _stored(record)
        restored = {**trashed, **changes}
        for name in (DELETED_AT, "purge_at", schema.TTL_ATTRIBUTE):
            restored.pop(name, None)
        keys = listing.record_keys(restored) | (
            hash_keys(record, record.sha256) if record.status == "ready" and record.sha256 else {}
        )
        sets = {name: value for name, value in {**changes, **keys}.items() if value is not None}
        removes = [DELETED_AT, "purge_at", schema.TTL_ATTRIBUTE, *(k for k, v in changes.items() if v is None)]
        names = {f"#s{i}": name for i, name in enumerate(sets)} | {f"#r{i}": name for i, name in enumerate(removes)}
        update = {
            "TableName": self.name,
            "Key": asset_key(record.tenant, record.id),
            "UpdateExpression": "SET "
            + ", ".join(f"#s{i} = :s{i}" for i in range(len(sets)))
            + " REMOVE "
            + ", ".join(f"#r{i}" for i in range(len(removes))),
            "ConditionExpression": "#r0 = :deleted AND (attribute_not_exists(#purging) OR #purging = :false)",
            "ExpressionAttributeNames": {**names, "#purging": "purging"},
            "ExpressionAttributeValues": {
                **{f":s{i}": serialize_value(value) for i, value in enumerate(sets.values())},
                ":deleted": {"S": trashed[DELETED_AT]},
                ":false": {"BOOL": False},
            },
        }
        if not self._write(
            record.tenant, {"Update": update}, None, restored, folders=(restored.get("folder_id"), None)
        ):
            return None
        self.batch_write([{"DeleteRequest": {"Key": trash_member(record.tenant, record.id, trashed[DELETED_AT])}}])
        return _record(serialize(restored))

    def start_purge(self, record: AssetRecord) -> bool:
        """Mark a trashed asset, still as read, as being purged: from then on it cannot be restored."""
        return (
            self.conditional(
                "update_item",
                Key=asset_key(record.tenant, record.id),
                UpdateExpression="SET purging = :true",
                ConditionExpression="#deleted = :deleted",
                ExpressionAttributeNames={"#deleted": DELETED_AT},
                ExpressionAttributeValues={":true": {"BOOL": True}, ":deleted": {"S": _stored(record)[DELETED_AT]}},
            )
            is not None
        )

    def finish_purge(self, record: AssetRecord, *, removed: bool = False) -> bool:
        """Once every file is gone: the record (unless TTL `removed` it already) out, the purge marker in,
        in one transaction, and the trash member out. False when an earlier call did it."""
        marker = _stored(record) | {
            schema.SORT_KEY: schema.PURGED_SK,
            schema.TTL_ATTRIBUTE: int(datetime.now(UTC).timestamp()) + MARKER_SECONDS,
        }
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.name,
                    "Item": serialize({k: v for k, v in marker.items() if k not in INDEX_ATTRIBUTES}),
                    "ConditionExpression": "attribute_not_exists(#pk)",
                    "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
                }
            }
        ]
        if not removed:
            writes.insert(
                0,
                {
                    "Delete": {
                        "TableName": self.name,
                        "Key": asset_key(record.tenant, record.id),
                        "ConditionExpression": "#purging = :true",
                        "ExpressionAttributeNames": {"#purging": "purging"},
                        "ExpressionAttributeValues": {":true": {"BOOL": True}},
                    }
                },
            )
        if transact(self.client, writes) is not None:
            return False
        deleted_at = _stored(record).get(DELETED_AT)
        if deleted_at:
            self.batch_write([{"DeleteRequest": {"Key": trash_member(record.tenant, record.id, deleted_at)}}])
        return True

    def newest_first(
        self,
        pk: str,
        *,
        limit: int | None = None,
        start: dict[str, Any] | None = None,
        sk_prefix: str | None = None,
        consistent: bool = True,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of a partition's items (those whose sort key starts with `sk_prefix`), the highest sort key
        first, from after the key `start`; and the key to go on from (None: the end)."""
        names, values = {"#pk": schema.PARTITION_KEY}, {":pk": {"S": pk}}
        condition = "#pk = :pk"
        if sk_prefix:
            names["#sk"], values[":prefix"] = schema.SORT_KEY, {"S": sk_prefix}
            condition += " AND begins_with(#sk, :prefix)"
        args: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "ConsistentRead": consistent,
        }
        if limit is not None:
            args["Limit"] = limit
        if start is not None:
            args["ExclusiveStartKey"] = start
        with translated():
            response = self.client.query(**args)
        return response.get("Items", []), response.get("LastEvaluatedKey")

    def trash(self, tenant: str, limit: int, after: str | None) -> tuple[list[AssetRecord], str | None]:
        """One page of the tenant's trash, the most recently deleted first, and where to go on (None: the end)."""
        start = {schema.PARTITION_KEY: {"S": trash_pk(tenant)}, schema.SORT_KEY: {"S": after}} if after else None
        members, last = self.newest_first(trash_pk(tenant), limit=limit, start=start, consistent=False)
        keys = [asset_key(tenant, item["sk"]["S"].rsplit("#", 1)[-1]) for item in members]
        found = {item[schema.PARTITION_KEY]["S"]: item for item in self.get_items(keys)}
        page = []
        for member, key in zip(members, keys, strict=True):
            item = found.get(key[schema.PARTITION_KEY]["S"])
            # a member left by a restore or purge that did not finish: its record says otherwise
            if item and item.get(DELETED_AT, {}).get("S") == member[schema.SORT_KEY]["S"].rsplit("#", 1)[0]:
                page.append(_record(item))
        return page, last[schema.SORT_KEY]["S"] if last else None

    def forget_expired(self, record: AssetRecord, folder_gone: bool = False) -> bool:
        """Take a record TTL removed out of every count and member, once: a marker item written in the same
        transaction makes a second call (a redelivered stream record) do nothing and return False."""
        marker = {
            schema.PARTITION_KEY: asset_pk(record.tenant, record.id),
            schema.SORT_KEY: EXPIRED_SK,
            schema.TTL_ATTRIBUTE: int(datetime.now(UTC).timestamp()) + MARKER_SECONDS,
        }
        put = {
            "TableName": self.name,
            "Item": serialize(marker),
            "ConditionExpression": "attribute_not_exists(#pk)",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
        }
        left = None if folder_gone else record.folder_id
        return self._write(record.tenant, {"Put": put}, _stored(record), None, folders=(None, left))

    def _write(
        self,
        tenant: str,
        write: dict[str, Any],
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        folders: tuple[str | None, str | None],
        alongside: list[dict[str, Any]] | None = None,
    ) -> bool:
        """`write` with every count it changes, in one transaction: the tenant's counters, its tags', and
        the `asset_count` of the folder entered and the folder left (`folders`), and the items `alongside`.
        Members and words go in before and out after (see `catalog`). False when the write's own condition
        failed; `Superseded` when one of `alongside` did; `FolderGone` when the folder to enter does not
        exist (any more)."""
        moment = datetime.now(UTC).strftime(schema.TIMESTAMP_FORMAT)
        extra = catalog.changes(self.name, tenant, before, after, moment)
        entered, left = folders
        counts = self._folder_counts(tenant, add=entered, remove=left) if entered != left else []
        self.batch_write([{"PutRequest": {"Item": item}} for item in extra.members])
        alongside = alongside or []
        failed = transact(self.client, [write, *alongside, *counts, *extra.transaction])
        if failed == 0:
            return False
        if failed is not None and failed <= len(alongside):
            raise Superseded(failed - 1)
        if failed is not None:
            raise FolderGone
        self.batch_write([{"DeleteRequest": {"Key": key}} for key in extra.stale])
        for key in extra.emptied:
            self.conditional(
                "delete_item",
                Key=key,
                ConditionExpression="#count <= :zero",
                ExpressionAttributeNames={"#count": "count"},
                ExpressionAttributeValues={":zero": {"N": "0"}},
            )
        return True

    def asset_items(
        self, tenant: str, asset_id: str, prefix: str, limit: int, after: str | None, *, newest_first: bool = False
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Up to `limit` items of the asset's partition whose sort key starts with `prefix` (its versions, its
        comments), after the sort key `after`, read consistently; and the sort key to go on from."""
        args: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY, "#sk": schema.SORT_KEY},
            "ExpressionAttributeValues": {":pk": {"S": asset_pk(tenant, asset_id)}, ":prefix": {"S": prefix}},
            "ScanIndexForward": not newest_first,
            "ConsistentRead": True,
            "Limit": limit,
        }
        if after is not None:
            args["ExclusiveStartKey"] = {
                schema.PARTITION_KEY: {"S": asset_pk(tenant, asset_id)},
                schema.SORT_KEY: {"S": after},
            }
        with translated():
            response = self.client.query(**args)
        last = response.get("LastEvaluatedKey")
        return response.get("Items", []), last[schema.SORT_KEY]["S"] if last else None

    def batch_write(self, requests: list[dict[str, Any]]) -> None:
        while requests:
            batch, requests = requests[:BATCH_WRITE], requests[BATCH_WRITE:]
            pending: dict[str, Any] = {self.name: batch}
            while pending:
                with translated():
                    pending = self.client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}

    def _folder_counts(self, tenant: str, add: str | None = None, remove: str | None = None) -> list[dict[str, Any]]:
        """The `asset_count` changes of an asset entering folder `add` and leaving folder `remove`."""
        return [
            count_update(self.name, folder_key(tenant, folder_id), "asset_count", delta, entering=delta > 0)
            for folder_id, delta in ((add, 1), (remove, -1))
            if folder_id
        ]

    def start_attempt(self, tenant: str, asset_id: str, revision: str) -> AssetRecord | None:
        """Count one more processing attempt on a pending asset, and the revision it will seal; None when it is
        gone or no longer pending."""
        item = self.count_attempt(
            asset_key(tenant, asset_id),
            revision,
            "attribute_exists(#pk) AND attribute_not_exists(#deleted)",
            {"#pk": schema.PARTITION_KEY, "#deleted": DELETED_AT},
        )
        return _record(item) if item else None

    def count_attempt(
        self, key: dict[str, Any], revision: str, condition: str = "", names: dict[str, str] | None = None
    ) -> dict[str, Any] | None:
        """`ADD attempts 1` and append `revision` to `attempt_revisions` on the item of `key` if it is pending
        (and `condition` holds): the item after, or None."""
        response = self.conditional(
            "update_item",
            Key=key,
            UpdateExpression="ADD attempts :one SET #revisions = list_append(if_not_exists(#revisions, :none), :this)",
            ConditionExpression=" AND ".join(part for part in ("#status = :pending", condition) if part),
            ExpressionAttributeNames={"#status": "status", "#revisions": "attempt_revisions", **(names or {})},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":pending": {"S": "pending"},
                ":none": {"L": []},
                ":this": {"L": [{"S": revision}]},
            },
            ReturnValues="ALL_NEW",
        )
        return response["Attributes"] if response else None

    def count_download(self, tenant: str, asset_id: str) -> int | None:
        """One more download of a live asset: its new count, or None when it is gone or in the trash.

        `ADD` counts atomically, so concurrent downloads are never lost; the `by_downloads` sort key then
        follows on condition that the count is still this one. When another download counted meanwhile,
        that download's own write sets the key, so the key ends on the last count."""
        names = {"#pk": schema.PARTITION_KEY, "#count": "download_count", "#deleted": DELETED_AT}
        response = self.conditional(
            "update_item",
            Key=asset_key(tenant, asset_id),
            UpdateExpression="ADD #count :one",
            ConditionExpression="attribute_exists(#pk) AND attribute_not_exists(#deleted)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        if response is None:
            return None
        count = int(response["Attributes"]["download_count"]["N"])
        (sort_key, value), *_ = listing.index_keys(tenant, asset_id, {"download_count": count}).items()
        self.conditional(
            "update_item",
            Key=asset_key(tenant, asset_id),
            UpdateExpression="SET #key = :key",
            ConditionExpression="#count = :count",
            ExpressionAttributeNames={"#key": sort_key, "#count": "download_count"},
            ExpressionAttributeValues={":key": {"S": value}, ":count": {"N": str(count)}},
        )
        return count

    def conditional(self, operation: str, **kwargs: Any) -> dict[str, Any] | None:
        """Run a conditional write; None when its condition did not hold."""
        try:
            with translated():
                return getattr(self.client, operation)(TableName=self.name, **kwargs)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return None
            raise

    def merged(self, index: schema.Index, partitions: list[str], **options: Any) -> listing.Merged:
        """The asset keys of `index` over `partitions`, in order (see `listing.Merged` for the options)."""
        return listing.Merged(self.client, self.name, index, partitions, **options)

    def get_items(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The items of these table keys that exist, in any order (strongly consistent BatchGetItem)."""
        found: list[dict[str, Any]] = []
        pending = list(keys)
        while pending:
            batch, pending = pending[:BATCH_GET], pending[BATCH_GET:]
            request = {self.name: {"Keys": batch, "ConsistentRead": True}}
            while request:
                with translated():
                    response = self.client.batch_get_item(RequestItems=request)
                found.extend(response.get("Responses", {}).get(self.name, []))
                request = response.get("UnprocessedKeys") or {}
        return found

    def get_assets(self, keys: list[dict[str, Any]]) -> list[AssetRecord]:
        """The records of these table keys, in the same order; keys of records gone meanwhile are skipped."""
        found = {item[schema.PARTITION_KEY]["S"]: item for item in self.get_items(keys)}
        ordered = (found.get(key[schema.PARTITION_KEY]["S"]) for key in keys)
        return [_record(item) for item in ordered if item is not None and DELETED_AT not in item]

    def first_with_hash(self, tenant: str, sha256: str, exclude: str | None = None) -> AssetRecord | None:
        """The oldest ready asset of the tenant with these bytes (other than `exclude`)."""
        args: dict[str, Any] = {
            "TableName": self.name,
            "IndexName": schema.BY_HASH.name,
            "KeyConditionExpression": "#p = :p",
            "ExpressionAttributeNames": {"#p": schema.BY_HASH.partition_key},
            "ExpressionAttributeValues": {":p": {"S": hash_pk(tenant, sha256)}},
            "Limit": 2,
        }
        with translated():
            items = self.client.query(**args).get("Items", [])
        keys = [{name: item[name] for name in (schema.PARTITION_KEY, schema.SORT_KEY)} for item in items]
        records = self.get_assets(keys)
        return next((r for r in records if r.id != exclude and r.status == "ready"), None)
