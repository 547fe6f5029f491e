"""DynamoDB access to multipart uploads: pk `T#{tenant}#U#{upload id}`, sk `UPLOAD` (TTL with its pending record)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from functions import schema
from functions.adapters.aws_errors import translated
from functions.adapters.items import deserialize, serialize
from functions.adapters.table import Table

if TYPE_CHECKING:
    from functions.models.uploads import UploadRecord

UPLOAD_SK = "UPLOAD"


def upload_key(tenant: str, upload_id: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": f"T#{tenant}#U#{upload_id}"}, schema.SORT_KEY: {"S": UPLOAD_SK}}


class Uploads:
    def __init__(self, table: Table):
        self.table = table

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def put(self, upload: UploadRecord) -> None:
        item = serialize(upload.model_dump(mode="json"))  # its `expires_at` is the table's TTL attribute
        with translated():
            self.table.client.put_item(TableName=self.table.name, Item=item | upload_key(upload.tenant, upload.id))

    def get(self, tenant: str, upload_id: str) -> UploadRecord | None:
        from functions.models.uploads import UploadRecord

        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=upload_key(tenant, upload_id), ConsistentRead=True
            ).get("Item")
        return UploadRecord.model_validate(deserialize(item)) if item else None

    def complete(self, upload: UploadRecord) -> None:
        """Mark it completed: completing it again answers as the first time did, aborting it is refused."""
        self.table.conditional(
            "update_item",
            Key=upload_key(upload.tenant, upload.id),
            UpdateExpression="SET completed = :true",
            ConditionExpression="attribute_exists(#pk)",
            ExpressionAttributeNames={"#pk": schema.PARTITION_KEY},
            ExpressionAttributeValues={":true": {"BOOL": True}},
        )

    def delete(self, upload: UploadRecord) -> None:
        with translated():
            self.table.client.delete_item(TableName=self.table.name, Key=upload_key(upload.tenant, upload.id))
