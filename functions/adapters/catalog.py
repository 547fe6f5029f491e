"""Items that follow from an asset's record, kept with it on every write (see `functions.schema`).

- Counters, exact: changed with `ADD` in the transaction that writes the record.
  - per tenant shard, pk `T#{tenant}#N`, sk the asset's shard: `total`, `kind#{kind}`, `status#{status}`,
    `content_type#{type}`, `folder_id#root` (a folder's own item counts its assets). A count is the sum of eight.
  - per tag and shard, pk `T#{tenant}#G#{shard}`, sk the tag folded: `count`, `name` (the first spelling)
    and `first_at`. Sharded like the rest, so a tag on every upload takes an eighth of the writes each.
- Members, a superset: written before the record, removed after it, and every read checks the record, so
  a member left by a failed write costs a read and is never a wrong answer.
  - tag: pk `T#{tenant}#TG#{tag folded}#{shard}`, sk `{created_at}#{id}` (listed newest first).
  - word: pk `T#{tenant}#W#{first character}#{shard}`, sk `{word}#{id}` (prefixes by `begins_with`).
  - folder tree: pk `T#{tenant}#FR#{folder id}#{shard}`, sk `{created_at}#{id}`, one for the asset's folder
    and each folder above it (`indexed_folders` on the record): a folder's recursive listing.
  Both carry `ref`, the asset's pk.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from functions import schema, words
from functions.adapters import listing
from functions.adapters.aws_errors import translated

if TYPE_CHECKING:
    from functions.adapters.table import Table

COUNTED = ("kind", "status", "content_type")
TOTAL = "total"


def counter_pk(tenant: str) -> str:
    return f"T#{tenant}#N"


def tag_count_partitions(tenant: str) -> list[str]:
    return [f"T#{tenant}#G#S{n}" for n in range(schema.SHARDS)]


def tag_partitions(tenant: str, tag: str) -> list[str]:
    return listing.dimension_shards(tenant, "TG", tag)


def tree_partitions(tenant: str, folder_id: str) -> list[str]:
    return listing.dimension_shards(tenant, "FR", folder_id)


def word_partitions(tenant: str, word: str) -> list[str]:
    return listing.dimension_shards(tenant, "W", word[0])


def key(pk: str, sk: str) -> dict[str, Any]:
    return {schema.PARTITION_KEY: {"S": pk}, schema.SORT_KEY: {"S": sk}}


def counter_name(name: str, value: str) -> str:
    """The counter of the assets whose `name` is `value` (`kind#image`, `folder_id#root`)."""
    return f"{name}#{value}"


def counted(record: dict[str, Any] | None) -> Counter[str]:
    """What one stored record adds to its tenant's counters."""
    if record is None:
        return Counter()
    found = Counter({TOTAL: 1, **{counter_name(name, record[name]): 1 for name in COUNTED if record.get(name)}})
    if not record.get("folder_id"):
        found[counter_name("folder_id", schema.ROOT_FOLDER)] = 1
    return found


def tags_of(record: dict[str, Any] | None) -> dict[str, str]:
    """The record's tags by their folded form (how they match), each with its spelling."""
    found: dict[str, str] = {}
    for tag in (record or {}).get("tags") or []:
        found.setdefault(words.fold(tag.strip()), tag.strip())
    return found


def words_of(record: dict[str, Any] | None) -> set[str]:
    return set(words.asset_words(record)) if record else set()


@dataclass
class Changes:
    """What one asset write changes besides the record."""

    transaction: list[dict[str, Any]] = field(default_factory=list)
    """Counter updates, to commit with the record."""
    members: list[dict[str, Any]] = field(default_factory=list)
    """Member items to put before the record is written."""
    stale: list[dict[str, Any]] = field(default_factory=list)
    """Member keys to delete once it is."""
    emptied: list[dict[str, Any]] = field(default_factory=list)
    """Tag count keys whose count went down: deleted afterwards if it reached zero."""


def changes(table: str, tenant: str, old: dict[str, Any] | None, new: dict[str, Any] | None, moment: str) -> Changes:
    """The counters, members and words to change when a record goes from `old` to `new` (None: absent).
    Both are the stored JSON form; they are the same asset."""
    either = new or old
    assert either is not None
    asset_id = either["id"]
    where, ref = listing.shard(asset_id), {"ref": {"S": f"T#{tenant}#A#{asset_id}"}}
    n = int(where[1:])
    result = Changes()
    delta = counted(new)
    delta.subtract(counted(old))
    numbers = {name: value for name, value in delta.items() if value}
    if numbers:
        names = {f"#c{i}": name for i, name in enumerate(numbers)}
        values = {f":d{i}": {"N": str(value)} for i, value in enumerate(numbers.values())}
        result.transaction.append(
            {
                "Update": {
                    "TableName": table,
                    "Key": key(counter_pk(tenant), where),
                    "UpdateExpression": "ADD " + ", ".join(f"#c{i} :d{i}" for i in range(len(numbers))),
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            }
        )
    old_tags, new_tags = tags_of(old), tags_of(new)
    created = f"{either['created_at']}#{asset_id}"
    for tag, spelling in new_tags.items() - old_tags.items():
        if tag in old_tags:  # only the spelling changed
            continue
        result.transaction.append(_tag_count(table, tenant, n, tag, spelling, 1, moment))
        result.members.append({**key(tag_partitions(tenant, tag)[n], created), **ref})
    for tag in old_tags.keys() - new_tags.keys():
        result.transaction.append(_tag_count(table, tenant, n, tag, old_tags[tag], -1, moment))
        result.stale.append(key(tag_partitions(tenant, tag)[n], created))
        result.emptied.append(key(tag_count_partitions(tenant)[n], tag))
    old_tree, new_tree = set((old or {}).get("indexed_folders") or ()), set((new or {}).get("indexed_folders") or ())
    for folder in sorted(new_tree - old_tree):
        result.members.append({**key(tree_partitions(tenant, folder)[n], created), **ref})
    for folder in sorted(old_tree - new_tree):
        result.stale.append(key(tree_partitions(tenant, folder)[n], created))
    old_words, new_words = words_of(old), words_of(new)
    for word in sorted(new_words - old_words):
        result.members.append({**key(word_partitions(tenant, word)[n], f"{word}#{asset_id}"), **ref})
    for word in sorted(old_words - new_words):
        result.stale.append(key(word_partitions(tenant, word)[n], f"{word}#{asset_id}"))
    return result


def _tag_count(table: str, tenant: str, n: int, tag: str, spelling: str, delta: int, moment: str) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table,
            "Key": key(tag_count_partitions(tenant)[n], tag),
            "UpdateExpression": "SET #name = if_not_exists(#name, :name), #first = if_not_exists(#first, :now) "
            "ADD #count :delta",
            "ExpressionAttributeNames": {"#name": "name", "#first": "first_at", "#count": "count"},
            "ExpressionAttributeValues": {
                ":name": {"S": spelling},
                ":now": {"S": moment},
                ":delta": {"N": str(delta)},
            },
        }
    }


ALL_TAGS = 1_000_000
"""As many tags as `Counts.every_tag` reads: all of them."""


@dataclass(frozen=True)
class TagCount:
    tag: str
    """Folded: how it matches and sorts."""
    name: str
    """The spelling first used."""
    count: int


class Counts:
    """Reads of the counters: a handful of small items, whatever the size of the library."""

    def __init__(self, table: Table):
        self.table = table

    def totals(self, tenant: str) -> Counter[str]:
        """The tenant's counters (`total`, `kind#image`...), summed over the shards."""
        args: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": schema.PARTITION_KEY},
            "ExpressionAttributeValues": {":pk": {"S": counter_pk(tenant)}},
            "ConsistentRead": True,
        }
        with translated():
            items = self.table.client.query(**args).get("Items", [])
        found: Counter[str] = Counter()
        for item in items:
            for name, value in item.items():
                if "N" in value:
                    found[name] += int(value["N"])
        return found

    def tag_counts(self, tenant: str, tags: list[str]) -> dict[str, int]:
        """How many assets carry each of these (folded) tags."""
        keys = [key(pk, tag) for tag in tags for pk in tag_count_partitions(tenant)]
        found = dict.fromkeys(tags, 0)
        for item in self.table.get_items(keys):
            found[item[schema.SORT_KEY]["S"]] += int(item["count"]["N"])
        return found

    def tags(self, tenant: str, after: str | None, limit: int) -> tuple[list[TagCount], bool]:
        """A page of the tenant's tags in order (by their folded form), and whether there are more."""
        merged = listing.Merged(
            self.table.client,
            self.table.name,
            schema.MEMBERS,
            tag_count_partitions(tenant),
            descending=False,
            after=after,
            page_hint=limit,
            raw=True,
        )
        page: list[TagCount] = []
        group: list[dict[str, Any]] = []
        for tag, item in [*merged, ("", None)]:
            if group and (item is None or tag != group[0][schema.SORT_KEY]["S"]):
                counted = _tag_count_of(group)
                if counted.count > 0:
                    if len(page) == limit:
                        return page, True
                    page.append(counted)
                group = []
            if item is not None:
                group.append(item)
        return page, False

    def every_tag(self, tenant: str) -> list[TagCount]:
        """All of the tenant's tags: what the filter summary ranks."""
        page, _ = self.tags(tenant, None, ALL_TAGS)
        return page


def _tag_count_of(items: list[dict[str, Any]]) -> TagCount:
    """One tag's shards together: the sum of their counts, and the spelling of the first used."""
    first = min(items, key=lambda item: item.get("first_at", {}).get("S", ""))
    return TagCount(
        tag=first[schema.SORT_KEY]["S"],
        name=first.get("name", {}).get("S", first[schema.SORT_KEY]["S"]),
        count=sum(int(item.get("count", {}).get("N", "0")) for item in items),
    )
