"""Folder items in the table (see `functions.schema`): the folder by id, and a copy under its parent.

Every write of a folder is one transaction over both items, so the children listing, which reads the
copies, always agrees with the folders, and a sibling with the same name can't be written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from functions import schema
from functions.adapters.aws_errors import error_code, translated
from functions.adapters.items import deserialize, serialize, transact
from functions.adapters.table import Table, count_update, folder_key

if TYPE_CHECKING:
    from functions.models.folders import FolderRecord


class NameTaken(Exception):
    """A sibling already has this name (ignoring case)."""


class NotEmpty(Exception):
    """The folder still holds folders or assets."""


class Stale(Exception):
    """The folder, its new parent or one of that parent's ancestors changed or went since they were read."""


CHILDREN_PAGE = 250
KEPT_IN_PLACE = {"asset_count", "child_count", "deleting"}
"""Written only on the folder's own item (`ADD`, `mark_deleting`), never from a record that was read."""


def children_pk(tenant: str, parent_id: str | None) -> str:
    return f"T#{tenant}#C#{parent_id or schema.ROOT_FOLDER}"


def name_key(name: str) -> str:
    """What sibling names are compared by: `Logos`, `LOGOS` and `logos` are the same name."""
    return unicodedata.normalize("NFKC", name).casefold()


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": pk}, schema.SORT_KEY: {"S": sk}}


def _entry_key(record: FolderRecord) -> dict[str, Any]:
    return _key(children_pk(record.tenant, record.parent_id), name_key(record.name))


def _folder(item: dict[str, Any]) -> FolderRecord:
    from functions.models.folders import FolderRecord

    return FolderRecord.model_validate(deserialize(item))


class Folders:
    def __init__(self, table: Table):
        self.table = table

    def get(self, tenant: str, folder_id: str) -> FolderRecord | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=folder_key(tenant, folder_id), ConsistentRead=True
            ).get("Item")
        return _folder(item) if item else None

    def children(
        self, tenant: str, parent_id: str | None, limit: int, after: str | None
    ) -> tuple[list[FolderRecord], str | None]:
        """One page of a parent's children by name, and the name key to continue after (None at the end)."""
        args: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
            "ExpressionAttributeValues": {":pk": {"S": children_pk(tenant, parent_id)}},
            "Limit": limit,
            "ConsistentRead": True,
        }
        if after is not None:
            args["ExclusiveStartKey"] = _key(children_pk(tenant, parent_id), after)
        with translated():
            response = self.table.client.query(**args)
        last = response.get("LastEvaluatedKey")
        return [_folder(item) for item in response.get("Items", [])], last[schema.SORT_KEY]["S"] if last else None

    def every_child(self, tenant: str, folder_id: str) -> Iterator[FolderRecord]:
        after = None
        while True:
            page, after = self.children(tenant, folder_id, CHILDREN_PAGE, after)
            yield from page
            if after is None:
                return

    def mark_deleting(self, record: FolderRecord, updated_at: str) -> FolderRecord | None:
        """Flag a folder under a recursive delete (nothing may enter it); None if it is gone."""
        try:
            with translated():
                response = self.table.client.update_item(
                    TableName=self.table.name,
                    Key=folder_key(record.tenant, record.id),
                    UpdateExpression="SET #deleting = :yes, #updated = :updated",
                    ConditionExpression="attribute_exists(#pk)",
                    ExpressionAttributeNames={
                        "#pk": schema.PARTITION_KEY,
                        "#deleting": "deleting",
                        "#updated": "updated_at",
                    },
                    ExpressionAttributeValues={":yes": {"BOOL": True}, ":updated": {"S": updated_at}},
                    ReturnValues="ALL_NEW",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return _folder(response["Attributes"])

    def has_children(self, tenant: str, folder_id: str) -> bool:
        return bool(self.children(tenant, folder_id, 1, None)[0])

    def create(self, record: FolderRecord, parent: FolderRecord | None) -> None:
        """Raises `NameTaken`, or `Stale` when the parent changed or went since it was read."""
        self._transact(
            [
                self._put(folder_key(record.tenant, record.id), record, "attribute_not_exists(#pk)"),
                self._put(_entry_key(record), record, "attribute_not_exists(#pk)"),
                *([self._new_child(parent)] if parent else []),
            ],
            name_at=1,
        )

    def replace(self, current: FolderRecord, new: FolderRecord, chain: list[FolderRecord]) -> None:
        """Write a renamed or moved folder if it and every folder of `chain` (its new parent and that parent's
        ancestors) are as read: no concurrent move can then close a cycle. Raises `NameTaken` or `Stale`."""
        same_entry = _entry_key(current) == _entry_key(new)
        moved = current.parent_id != new.parent_id
        items = [
            self._rewrite(current, new),
            *([] if same_entry else [self._delete(_entry_key(current))]),
            self._put(_entry_key(new), new, "attribute_exists(#pk)" if same_entry else "attribute_not_exists(#pk)"),
            *(self._unchanged(folder) for folder in (chain[:-1] if moved and chain else chain)),
        ]
        if moved and chain:
            items.append(self._new_child(chain[-1]))
        if moved and current.parent_id:
            items.append(count_update(self.table.name, folder_key(new.tenant, current.parent_id), "child_count", -1))
        self._transact(items, name_at=None if same_entry else 2)

    def delete(self, record: FolderRecord) -> None:
        """Remove an empty folder and its entry under its parent. Raises `NotEmpty`, or `Stale` if it went."""
        empty = " AND ".join(
            f"(attribute_not_exists({name}) OR {name} = :zero)" for name in ("child_count", "asset_count")
        )
        items = [
            {
                "Delete": {
                    "TableName": self.table.name,
                    "Key": folder_key(record.tenant, record.id),
                    "ConditionExpression": f"attribute_exists(#pk) AND {empty}",
                    "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
                    "ExpressionAttributeValues": {":zero": {"N": "0"}},
                }
            },
            self._delete(_entry_key(record)),
        ]
        if record.parent_id:
            items.append(count_update(self.table.name, folder_key(record.tenant, record.parent_id), "child_count", -1))
        self._transact(items, name_at=None, not_empty_at=0)

    def _rewrite(self, current: FolderRecord, new: FolderRecord) -> dict[str, Any]:
        """The folder item's own fields, as an update: its counts, which other writes add to, stay."""
        stored = new.model_dump(mode="json")
        update = {
            "TableName": self.table.name,
            "Key": folder_key(new.tenant, new.id),
            "UpdateExpression": "SET #name = :name, #updated = :updated"
            + (", #parent = :parent" if new.parent_id else " REMOVE #parent"),
            "ConditionExpression": "attribute_exists(#pk) AND #updated = :read",
            "ExpressionAttributeNames": {
                "#pk": schema.PARTITION_KEY,
                "#name": "name",
                "#updated": "updated_at",
                "#parent": "parent_id",
            },
            "ExpressionAttributeValues": {
                ":name": {"S": new.name},
                ":updated": {"S": stored["updated_at"]},
                ":read": {"S": current.model_dump(mode="json")["updated_at"]},
                **({":parent": {"S": new.parent_id}} if new.parent_id else {}),
            },
        }
        return {"Update": update}

    def _new_child(self, parent: FolderRecord) -> dict[str, Any]:
        """One more child for `parent`, which must be as it was read (no concurrent move or delete)."""
        stamp = parent.model_dump(mode="json")["updated_at"]
        return count_update(self.table.name, folder_key(parent.tenant, parent.id), "child_count", 1, stamp)

    def _put(self, key: dict[str, Any], record: FolderRecord, condition: str) -> dict[str, Any]:
        put = {
            "TableName": self.table.name,
            "Item": {**key, **serialize(record.model_dump(mode="json", exclude=KEPT_IN_PLACE))},
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
        }
        return {"Put": put}

    def _delete(self, key: dict[str, Any]) -> dict[str, Any]:
        return {"Delete": {"TableName": self.table.name, "Key": key}}

    def _unchanged(self, folder: FolderRecord) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self.table.name,
                "Key": folder_key(folder.tenant, folder.id),
                "ConditionExpression": "#updated = :read",
                "ExpressionAttributeNames": {"#updated": "updated_at"},
                "ExpressionAttributeValues": {":read": {"S": folder.model_dump(mode="json")["updated_at"]}},
            }
        }

    def _transact(self, items: list[dict[str, Any]], name_at: int | None, not_empty_at: int | None = None) -> None:
        failed = transact(self.table.client, items)
        if failed is None:
            return
        if failed == name_at:
            raise NameTaken
        if failed == not_empty_at:
            raise NotEmpty
        raise Stale
