"""DynamoDB access to exports: pk `T#{tenant}#E#{id}`, sk `EXPORT` (see `functions.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions import schema
from functions.adapters.aws_errors import translated
from functions.adapters.items import deserialize, serialize, set_or_remove
from functions.adapters.table import Table

if TYPE_CHECKING:
    from functions.models.exports import ExportRecord


def export_key(tenant: str, export_id: str) -> dict[str, Any]:
    return {
        schema.PARTITION_KEY: {"S": schema.export_pk(tenant, export_id)},
        schema.SORT_KEY: {"S": schema.EXPORT_SK},
    }


def _record(item: dict[str, Any]) -> ExportRecord:
    from functions.models.exports import ExportRecord

    return ExportRecord.model_validate(deserialize(item))


class Exports:
    def __init__(self, table: Table):
        self.table = table

    def add(self, record: ExportRecord) -> None:
        item = serialize(record.model_dump(mode="json")) | export_key(record.tenant, record.id)
        with translated():
            self.table.client.put_item(
                TableName=self.table.name,
                Item=item,
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": schema.PARTITION_KEY},
            )

    def get(self, tenant: str, export_id: str) -> ExportRecord | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=export_key(tenant, export_id), ConsistentRead=True
            ).get("Item")
        return _record(item) if item else None

    def update(
        self, record: ExportRecord, changes: dict[str, Any], *, statuses: tuple[str, ...]
    ) -> ExportRecord | None:
        """Set `changes` (None removes) on the export if it is in one of `statuses`: the record after, else None."""
        expression, names, values = set_or_remove(changes)
        names |= {"#pk": schema.PARTITION_KEY, "#status": "status"}
        allowed = {f":s{i}": {"S": status} for i, status in enumerate(statuses)}
        values |= allowed
        response = self.table.conditional(
            "update_item",
            Key=export_key(record.tenant, record.id),
            UpdateExpression=expression,
            ConditionExpression=f"attribute_exists(#pk) AND #status IN ({', '.join(allowed)})",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
        return _record(response["Attributes"]) if response else None
