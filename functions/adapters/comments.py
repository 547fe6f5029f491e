"""DynamoDB access to comments: pk the asset's, sk `CMT#{comment_id}` (see `functions.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions import schema
from functions.adapters.items import deserialize, serialize, transact
from functions.adapters.table import DELETED_AT, Table, asset_key, asset_pk

if TYPE_CHECKING:
    from functions.models.comments import CommentRecord


def comment_key(tenant: str, asset_id: str, comment_id: str) -> dict[str, Any]:
    return {
        schema.PARTITION_KEY: {"S": asset_pk(tenant, asset_id)},
        schema.SORT_KEY: {"S": schema.comment_sk(comment_id)},
    }


def _record(item: dict[str, Any]) -> CommentRecord:
    from functions.models.comments import CommentRecord

    return CommentRecord.model_validate(deserialize(item))


def _asset_shown(tenant: str, asset_id: str, table: str) -> dict[str, Any]:
    """A transaction item: the asset is there and not in the trash."""
    return {
        "ConditionCheck": {
            "TableName": table,
            "Key": asset_key(tenant, asset_id),
            "ConditionExpression": "attribute_exists(#pk) AND attribute_not_exists(#deleted)",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY, "#deleted": DELETED_AT},
        }
    }


class Comments:
    def __init__(self, table: Table):
        self.table = table

    def add(self, comment: CommentRecord) -> bool:
        """Write the comment if its asset is there and out of the trash (one transaction); False if not."""
        item = serialize(comment.model_dump(mode="json")) | comment_key(comment.tenant, comment.asset_id, comment.id)
        put = {"Put": {"TableName": self.table.name, "Item": item}}
        return (
            transact(self.table.client, [_asset_shown(comment.tenant, comment.asset_id, self.table.name), put]) is None
        )

    def remove(self, tenant: str, asset_id: str, comment_id: str) -> bool:
        """Delete the comment of an asset there and out of the trash; False when either is not there."""
        delete = {
            "Delete": {
                "TableName": self.table.name,
                "Key": comment_key(tenant, asset_id, comment_id),
                "ConditionExpression": "attribute_exists(#pk)",
                "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
            }
        }
        return transact(self.table.client, [_asset_shown(tenant, asset_id, self.table.name), delete]) is None

    def page(self, tenant: str, asset_id: str, limit: int, after: str | None) -> tuple[list[CommentRecord], str | None]:
        """Up to `limit` comments, the oldest first, after the sort key `after`; and the sort key to go on from."""
        items, last = self.table.asset_items(tenant, asset_id, schema.COMMENT_SK_PREFIX, limit, after)
        return [_record(item) for item in items], last

    def remove_all(self, tenant: str, asset_id: str) -> None:
        """Every comment of the asset (a purge)."""
        keys, after = [], None
        while True:
            page, after = self.page(tenant, asset_id, 100, after)
            keys += [comment_key(tenant, asset_id, comment.id) for comment in page]
            if after is None:
                break
        self.table.batch_write([{"DeleteRequest": {"Key": key}} for key in keys])
