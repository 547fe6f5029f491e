"""The listing indexes (see `functions.schema`): their keys, and ordered reads across the shards.

Every index is KEYS_ONLY: a query yields asset keys in order, and the records of a page are then read
with one BatchGetItem. A tenant-wide key is split over `schema.SHARDS` partitions; `Merged` reads each
shard's ordered query lazily and merges them, so a page of 50 reads about 50 index items plus a few per
shard, whatever the size of the library.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from functions import schema
from functions.adapters.aws_errors import translated

TEXT_SORT_CHARS = 100
"""How much of a title or filename orders it: enough to tell names apart, small enough for a key."""
SEPARATOR = "\x01"
"""Between a text sort value and the id: below every character a sort value keeps, so `Sun` sorts before
`Sun 2`, and `Sun` with a smaller id before `Sun` with a larger one."""
SKIPPING_PAGES = 4
_UNSORTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shard(asset_id: str) -> str:
    """`S0`..`S7`, fixed by the id (random), so an asset's index items always land on the same shard."""
    return f"S{int(asset_id[:8], 16) % schema.SHARDS}"


def tenant_shards(tenant: str) -> list[str]:
    return [f"T#{tenant}#S{n}" for n in range(schema.SHARDS)]


def dimension_shards(tenant: str, dimension: str, value: str) -> list[str]:
    return [f"T#{tenant}#{dimension}#{value}#S{n}" for n in range(schema.SHARDS)]


def text_key(text: str | None) -> str:
    """Case- and accent-insensitive order: `école` sorts with `ecole`, `Zebra` after `apple`."""
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _UNSORTABLE.sub("", plain)[:TEXT_SORT_CHARS]


DIMENSIONS = {
    "folder_id": ("FA", schema.BY_FOLDER),
    "kind": ("K", schema.BY_KIND),
    "status": ("ST", schema.BY_STATUS),
    "content_type": ("CT", schema.BY_TYPE),
}
"""Record attribute -> (its key tag, the index listing by it)."""


def index_keys(tenant: str, asset_id: str, attributes: dict[str, Any]) -> dict[str, str | None]:
    """The index key attributes that follow from `attributes` (a whole record's, or only the changed ones).
    An asset without a file (a link) has no `content_type`: None, in no `by_type` partition; it sorts by
    `size` as 0 and by `filename` as an empty name."""
    where = shard(asset_id)
    keys: dict[str, str | None] = {}
    for name, (tag, index) in DIMENSIONS.items():
        if name in attributes:
            value = attributes[name] or (schema.ROOT_FOLDER if name == "folder_id" else None)
            keys[index.partition_key] = f"T#{tenant}#{tag}#{value}#{where}" if value else None
    if "updated_at" in attributes:
        keys[schema.BY_UPDATED.sort_key] = f"{attributes['updated_at']}#{asset_id}"
    for name in ("title", "filename"):
        if name in attributes:
            keys[schema.SORTS[name].sort_key] = f"{text_key(attributes[name])}{SEPARATOR}{asset_id}"
    for name in ("size", "download_count"):
        if name in attributes:
            keys[schema.SORTS[name].sort_key] = f"{attributes[name] or 0:016d}#{asset_id}"
    return keys


def record_keys(record: dict[str, Any]) -> dict[str, str | None]:
    """Every index key of a stored record (its JSON form)."""
    return {
        schema.LIST_PK: f"T#{record['tenant']}#{shard(record['id'])}",
        schema.CREATED_SK: f"{record['created_at']}#{record['id']}",
        **index_keys(record["tenant"], record["id"], record),
    }


@dataclass
class _Shard:
    partition: str
    buffer: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    start: dict[str, Any] | None = None
    done: bool = False


@dataclass
class Merged:
    """The keys of one index's partitions in one order, read lazily: iterate for (sort key, table key).

    `after` resumes behind a sort key (a cursor); `until` stops before one (a date bound on the other side).
    On the table itself (`schema.MEMBERS`) it reads member items, whose `ref` names the asset, or, with
    `raw`, yields the items as they are (tag counts).
    """

    client: Any
    table: str
    index: schema.Index
    partitions: list[str]
    descending: bool = True
    after: str | None = None
    until: str | None = None
    page_hint: int = 50
    prefix: str | None = None
    """Only sort keys that start with it (`begins_with`), e.g. the words that start with a search word."""
    raw: bool = False
    scanned: int = 0
    queries: int = 0
    _shards: list[_Shard] = field(init=False)

    def __post_init__(self) -> None:
        self._shards = [_Shard(partition) for partition in self.partitions]

    def _fetch(self, state: _Shard, limit: int) -> None:
        names = {"#p": self.index.partition_key}
        values: dict[str, Any] = {":p": {"S": state.partition}}
        condition = "#p = :p"
        if self.after is not None:
            condition += f" AND #s {'<' if self.descending else '>'} :after"
            names["#s"] = self.index.sort_key
            values[":after"] = {"S": self.after}
        if self.prefix is not None:
            condition += " AND begins_with(#s, :prefix)"
            names["#s"] = self.index.sort_key
            values[":prefix"] = {"S": self.prefix}
        args: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": not self.descending,
            "Limit": limit,
        }
        if self.index.name != schema.BASE_TABLE:
            args["IndexName"] = self.index.name
        if state.start:
            args["ExclusiveStartKey"] = state.start
        with translated():
            response = self.client.query(**args)
        self.queries += 1
        self.scanned += response.get("ScannedCount", 0)
        for item in response.get("Items", []):
            sort = item[self.index.sort_key]["S"]
            if self.until is not None and (sort <= self.until if self.descending else sort >= self.until):
                state.done = True
                break
            state.buffer.append((sort, self._value(item)))
        state.start = response.get("LastEvaluatedKey")
        state.done = state.done or state.start is None

    def _value(self, item: dict[str, Any]) -> dict[str, Any]:
        """The table key of the asset an index item stands for (or the item itself, with `raw`)."""
        if self.raw:
            return item
        if self.index.name == schema.BASE_TABLE:
            return {schema.PARTITION_KEY: item["ref"], schema.SORT_KEY: {"S": schema.ASSET_SK}}
        return {schema.PARTITION_KEY: item[schema.PARTITION_KEY], schema.SORT_KEY: item[schema.SORT_KEY]}

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each shard first gets its share of the page and two more; a shard that runs out while the others
        still hold keys is asked again for its share of what is left of the page, or of four pages once the
        reader has taken more than a page (it is skipping keys that other filters drop: fewer, larger Queries)."""
        shards = len(self._shards)
        for state in self._shards:
            self._fetch(state, math.ceil(self.page_hint / shards) + 2)
        given = 0
        while True:
            left = self.page_hint + 1 - given
            for state in self._shards:
                if not state.buffer and not state.done:
                    self._fetch(state, math.ceil((left if left > 0 else SKIPPING_PAGES * self.page_hint) / shards) + 1)
            heads = [state for state in self._shards if state.buffer]
            if not heads:
                return
            pick = (max if self.descending else min)(heads, key=lambda state: state.buffer[0][0])
            given += 1
            yield pick.buffer.pop(0)
