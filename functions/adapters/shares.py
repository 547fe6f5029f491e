"""DynamoDB access to shares (see `functions.schema`):

- the share: pk `T#{tenant}#SH`, sk its id (time-ordered: a Query lists the newest first);
- its token: pk `ST#{sha256(token)}`, sk `SHARE`, naming the tenant and the share (the public URL's GetItem);
- a member per shared asset, pk the asset's, or per shared folder, pk the folder's, sk `SHR#{share id}`: the
  shares of an asset, and those a purge takes the asset out of.

The share's `expires_at` is stored as `ends_at`: the table's TTL attribute (`expires_at`, epoch seconds) removes
an expired share and its token some time after it expired (`models.shares.RETAINED_SECONDS`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from functions import schema
from functions.adapters.aws_errors import translated
from functions.adapters.items import deserialize, serialize, set_or_remove, stored_value, transact
from functions.adapters.table import Table, asset_pk, folder_key, folder_pk

if TYPE_CHECKING:
    from functions.models.shares import ShareRecord

STORED_EXPIRY = "ends_at"


def shares_pk(tenant: str) -> str:
    return f"T#{tenant}#SH"


def token_pk(token_hash: str) -> str:
    return f"ST#{token_hash}"


def share_key(tenant: str, share_id: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": shares_pk(tenant)}, schema.SORT_KEY: {"S": share_id}}


def token_key(token_hash: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": token_pk(token_hash)}, schema.SORT_KEY: {"S": schema.SHARE_TOKEN_SK}}


def member_keys(share: ShareRecord) -> list[dict[str, Any]]:
    """The member items of a share: one per asset, or its folder's."""
    owners = (
        [asset_pk(share.tenant, asset_id) for asset_id in share.asset_ids]
        if share.asset_ids is not None
        else [folder_pk(share.tenant, share.folder_id or "")]
    )
    sort = schema.share_member_sk(share.id)
    return [{schema.PARTITION_KEY: {"S": owner}, schema.SORT_KEY: {"S": sort}} for owner in owners]


def _item(share: ShareRecord) -> dict[str, Any]:
    stored = share.model_dump(mode="json", exclude={"url", "expires_at"})
    stored[STORED_EXPIRY] = share.model_dump(mode="json")["expires_at"]
    stored[schema.TTL_ATTRIBUTE] = share.ttl
    return serialize({k: v for k, v in stored.items() if v is not None}) | share_key(share.tenant, share.id)


def _record(item: dict[str, Any]) -> ShareRecord:
    from functions.models.shares import ShareRecord

    values = deserialize(item)
    values.pop(schema.TTL_ATTRIBUTE, None)  # follows from the expiry
    values["expires_at"] = values.pop(STORED_EXPIRY, None)
    return ShareRecord.model_validate(values)


class Shares:
    def __init__(self, table: Table):
        self.table = table

    def add(self, share: ShareRecord) -> bool:
        """The members first, then the share and its token in one transaction (with, for a folder share, the
        folder still there); False, and the members removed, when the folder is gone. A member whose share
        was never written is skipped by every reader."""
        members = member_keys(share)
        self.table.batch_write([{"PutRequest": {"Item": key}} for key in members])
        token = serialize({"tenant": share.tenant, "share_id": share.id, schema.TTL_ATTRIBUTE: share.ttl})
        items: list[dict[str, Any]] = [
            {"Put": {"TableName": self.table.name, "Item": _item(share)}},
            {"Put": {"TableName": self.table.name, "Item": token | token_key(share.token_hash)}},
        ]
        if share.folder_id is not None:
            items.append(
                {
                    "ConditionCheck": {
                        "TableName": self.table.name,
                        "Key": folder_key(share.tenant, share.folder_id),
                        "ConditionExpression": "attribute_exists(#pk)",
                        "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
                    }
                }
            )
        if transact(self.table.client, items) is None:
            return True
        self.table.batch_write([{"DeleteRequest": {"Key": key}} for key in members])
        return False

    def get(self, tenant: str, share_id: str) -> ShareRecord | None:
        with translated():
            item = self.table.client.get_item(
                TableName=self.table.name, Key=share_key(tenant, share_id), ConsistentRead=True
            ).get("Item")
        return _record(item) if item else None

    def by_token(self, token_hash: str) -> ShareRecord | None:
        """The share a public URL's token names; None when there is none (revoked, or never made)."""
        with translated():
            item = self.table.client.get_item(TableName=self.table.name, Key=token_key(token_hash)).get("Item")
        if not item:
            return None
        pointer = deserialize(item)
        share = self.get(pointer["tenant"], pointer["share_id"])
        return share if share is not None and share.token_hash == token_hash else None

    def get_many(self, tenant: str, share_ids: list[str]) -> list[ShareRecord]:
        """The shares of these ids that exist, in the order asked."""
        found = {r.id: r for r in map(_record, self.table.get_items([share_key(tenant, i) for i in share_ids]))}
        return [found[share_id] for share_id in share_ids if share_id in found]

    def page(self, tenant: str, limit: int, after: str | None) -> tuple[list[ShareRecord], str | None]:
        """Up to `limit` shares, the newest first, after the id `after`; and the id to go on from."""
        start = share_key(tenant, after) if after is not None else None
        items, last = self.table.newest_first(shares_pk(tenant), limit=limit, start=start)
        return [_record(item) for item in items], last[schema.SORT_KEY]["S"] if last else None

    def member_ids(self, owners: list[str], limit: int, after: str | None) -> tuple[list[str], str | None]:
        """The ids of the shares with a member in any of these partitions (an asset's, its folders'), the
        newest first, up to `limit` after the share id `after`; and the id to go on from."""
        above_every_member = schema.SHARE_MEMBER_PREFIX[:-1] + chr(ord(schema.SHARE_MEMBER_PREFIX[-1]) + 1)
        merged = self.table.merged(  # a key condition takes one bound: read down from `after`, stop at the prefix
            schema.MEMBERS,
            owners,
            after=schema.share_member_sk(after) if after else above_every_member,
            until=schema.SHARE_MEMBER_PREFIX,
            page_hint=limit,
            raw=True,
        )
        ids: list[str] = []
        for sort, _ in merged:
            share_id = sort.removeprefix(schema.SHARE_MEMBER_PREFIX)
            if share_id not in ids:
                ids.append(share_id)
            if len(ids) > limit:
                return ids[:limit], ids[limit - 1]
        return ids, None

    def update(self, share: ShareRecord, changes: dict[str, Any], *, expected: datetime | None = None) -> bool:
        """Set (or, for None, remove) attributes of the share if it is still there and, with `expected`, still
        written at that `updated_at`; False if not."""
        from functions.models.shares import ttl_of

        stored = {STORED_EXPIRY if k == "expires_at" else k: stored_value(v) for k, v in changes.items()}
        ttl = ttl_of(changes["expires_at"]) if "expires_at" in changes else None
        if "expires_at" in changes:
            stored[schema.TTL_ATTRIBUTE] = ttl
        expression, names, values = set_or_remove(stored)
        names["#pk"] = schema.PARTITION_KEY
        condition = "attribute_exists(#pk)"
        if expected is not None:
            condition += " AND #updated = :read"
            names["#updated"] = "updated_at"
            values[":read"] = {"S": stored_value(expected)}
        update: dict[str, Any] = {
            "Key": share_key(share.tenant, share.id),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
        }
        if values:
            update["ExpressionAttributeValues"] = values
        if "expires_at" in changes:  # the token goes when the share goes
            token = {
                "Update": {
                    "TableName": self.table.name,
                    "Key": token_key(share.token_hash),
                    "UpdateExpression": "SET #ttl = :ttl" if ttl else "REMOVE #ttl",
                    "ExpressionAttributeNames": {"#ttl": schema.TTL_ATTRIBUTE},
                    **({"ExpressionAttributeValues": {":ttl": {"N": str(ttl)}}} if ttl else {}),
                }
            }
            return transact(self.table.client, [{"Update": {"TableName": self.table.name, **update}}, token]) is None
        return self.table.conditional("update_item", **update) is not None

    def count_download(self, share: ShareRecord) -> bool:
        """One more download through the share, if it is still there and under its `max_downloads`."""
        names = {"#pk": schema.PARTITION_KEY, "#count": "download_count"}
        condition = "attribute_exists(#pk)"
        values: dict[str, Any] = {":one": {"N": "1"}}
        if share.max_downloads is not None:
            condition += " AND #count < :max"
            values[":max"] = {"N": str(share.max_downloads)}
        return (
            self.table.conditional(
                "update_item",
                Key=share_key(share.tenant, share.id),
                UpdateExpression="ADD #count :one",
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
            is not None
        )

    def remove(self, share: ShareRecord) -> None:
        """The token first (the URL answers 404 at once), then the share, then its members."""
        with translated():
            self.table.client.delete_item(TableName=self.table.name, Key=token_key(share.token_hash))
            self.table.client.delete_item(TableName=self.table.name, Key=share_key(share.tenant, share.id))
        self.table.batch_write([{"DeleteRequest": {"Key": key}} for key in member_keys(share)])

    def drop_member(self, tenant: str, share_id: str, asset_id: str) -> None:
        """The asset's member item of the share."""
        key = {
            schema.PARTITION_KEY: {"S": asset_pk(tenant, asset_id)},
            schema.SORT_KEY: {"S": schema.share_member_sk(share_id)},
        }
        with translated():
            self.table.client.delete_item(TableName=self.table.name, Key=key)
