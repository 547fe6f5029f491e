"""DynamoDB access to version items: pk the asset's, sk `V#{number:06d}` (see `functions.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions import schema
from functions.adapters.aws_errors import translated
from functions.adapters.items import deserialize, serialize, serialize_value, transact
from functions.adapters.table import DELETED_AT, Table, asset_key, asset_pk

if TYPE_CHECKING:
    from functions.models.versions import VersionRecord


def version_key(tenant: str, asset_id: str, number: int) -> dict[str, Any]:
    return {
        schema.PARTITION_KEY: {"S": asset_pk(tenant, asset_id)},
        schema.SORT_KEY: {"S": schema.version_sk(number)},
    }


def _item(version: VersionRecord) -> dict[str, Any]:
    return serialize(version.model_dump(mode="json", exclude={"current"})) | version_key(
        version.tenant, version.asset_id, version.number
    )


def _record(item: dict[str, Any]) -> VersionRecord:
    from functions.models.versions import VersionRecord

    return VersionRecord.model_validate(deserialize(item))


class Versions:
    def __init__(self, table: Table):
        self.table = table

    @property
    def _name(self) -> str:
        return self.table.name

    def put(self, version: VersionRecord, *, new: bool = False) -> dict[str, Any]:
        """A transaction item writing the whole version; with `new`, only if there is no such version yet."""
        put: dict[str, Any] = {"TableName": self._name, "Item": _item(version)}
        if new:
            put |= {
                "ConditionExpression": "attribute_not_exists(#pk)",
                "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
            }
        return {"Put": put}

    def settled(self, version: VersionRecord) -> dict[str, Any]:
        """A transaction item writing the version's outcome, only if it is still pending (one attempt wins)."""
        return {
            "Put": {
                "TableName": self._name,
                "Item": _item(version),
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":pending": {"S": "pending"}},
            }
        }

    def get(self, tenant: str, asset_id: str, number: int) -> VersionRecord | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self._name, Key=version_key(tenant, asset_id, number), ConsistentRead=True
            ).get("Item")
        return _record(item) if item else None

    def page(self, tenant: str, asset_id: str, limit: int, after: str | None) -> tuple[list[VersionRecord], str | None]:
        """Up to `limit` versions, the newest first, after the sort key `after`; and the sort key to go on from."""
        items, last = self.table.asset_items(
            tenant, asset_id, schema.VERSION_SK_PREFIX, limit, after, newest_first=True
        )
        return [_record(item) for item in items], last

    def every(self, tenant: str, asset_id: str) -> list[VersionRecord]:
        found, after = [], None
        while True:
            page, after = self.page(tenant, asset_id, 100, after)
            found += page
            if after is None:
                return found

    def allocate(self, version: VersionRecord) -> bool:
        """Give `version.number` to a new version: the asset (there, out of the trash, not pending) must not
        have given out that number or a higher one, and the version item is written with it, in one
        transaction. False when either condition failed (another number was given out meanwhile)."""
        tenant, asset_id, number = version.tenant, version.asset_id, version.number
        update = {
            "Update": {
                "TableName": self._name,
                "Key": asset_key(tenant, asset_id),
                "UpdateExpression": "SET #latest = :number",
                "ConditionExpression": "attribute_exists(#pk) AND attribute_not_exists(#deleted) "
                "AND #status <> :pending AND (attribute_not_exists(#latest) OR #latest < :number)",
                "ExpressionAttributeNames": {
                    "#pk": schema.PARTITION_KEY,
                    "#deleted": DELETED_AT,
                    "#status": "status",
                    "#latest": "latest_version",
                },
                "ExpressionAttributeValues": {":number": serialize_value(number), ":pending": {"S": "pending"}},
            }
        }
        return transact(self.table.client, [update, self.put(version, new=True)]) is None

    def start_attempt(self, tenant: str, asset_id: str, number: int, revision: str) -> VersionRecord | None:
        """Count one more processing attempt on a pending version, and the revision it will seal; None when the
        version is gone or no longer pending."""
        item = self.table.count_attempt(version_key(tenant, asset_id, number), revision)
        return _record(item) if item else None

    def settle(self, version: VersionRecord) -> bool:
        """Write a version's outcome (failed, or ready but not current), if it is still pending."""
        put = {name: value for name, value in self.settled(version)["Put"].items() if name != "TableName"}
        return self.table.conditional("put_item", **put) is not None

    def delete(self, version: VersionRecord) -> bool:
        """Remove a version that is not the one its asset serves (checked in the same transaction)."""
        tenant, asset_id = version.tenant, version.asset_id
        check = {
            "ConditionCheck": {
                "TableName": self._name,
                "Key": asset_key(tenant, asset_id),
                "ConditionExpression": "attribute_exists(#pk) AND #version <> :number",
                "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY, "#version": "version"},
                "ExpressionAttributeValues": {":number": serialize_value(version.number)},
            }
        }
        delete = {
            "Delete": {
                "TableName": self._name,
                "Key": version_key(tenant, asset_id, version.number),
                "ConditionExpression": "attribute_exists(#pk)",
                "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
            }
        }
        return transact(self.table.client, [check, delete]) is None

    def remove_all(self, tenant: str, asset_id: str) -> None:
        """Every version item of the asset (a purge, once its files are gone)."""
        keys = [version_key(tenant, asset_id, version.number) for version in self.every(tenant, asset_id)]
        self.table.batch_write([{"DeleteRequest": {"Key": key}} for key in keys])
