"""`GET /v1/assets`: which index answers a query, and how a page is read from it.

- No filter: the tenant-wide index of the sort, read in order across the shards (`by_created`...).
- Filters and the default sort (`created_at`): the index of one filter (`by_folder`, `by_type`, `by_kind`,
  `by_status`, or a tag's members), read in order; the records of each chunk are then checked against
  the other filters. With several filters, the one with the fewest assets by the counters (a few small
  reads). Cost: the page plus the assets of that one filter value skipped on the way.
- Filters and another sort: every asset of that filter's value is read, checked and sorted, then paged.
  Cost: all the matches of that filter value, on every page.
- `q`: the word items of each query word (longest first) give the candidates, stopping once they are
  few; their records are checked against every word and filter and sorted. Cost: the matches.
- `recursive=true`: the members of the folder's subtree (one per asset for each folder above it, kept
  with the asset; a moved folder's assets are re-indexed by a background job), read like a filter.
- `include_total`: from the counters when the query is one filter or none (no `q`, no dates); otherwise
  every match is read (as for another sort) and counted.
- `created_*` bounds are key conditions when the index is sorted by creation, as `updated_*` are on
  `by_updated`; otherwise they are checked on the records like the other filters.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from aws_lambda_powertools import Logger

from functions import schema, words
from functions.adapters import catalog, listing, table
from functions.errors import InvalidInput
from functions.models.assets import AssetPage, AssetRecord
from functions.services import cursors, delivery
from functions.services.assets import stored
from functions.services.deps import Deps

logger = Logger(service="assets")

PREFERENCE = ("folder_id", "content_type", "kind", "status")
"""Which filter's index answers a query that has several when their counts tie."""
FEW_CANDIDATES = 200
"""Search candidates few enough to check on the records rather than read another word's items."""
WHOLE_READ = 1000
"""The reading pace when every match is read to be sorted in memory: large Queries, fewer of them."""
CHUNK = 25
"""Records read per BatchGetItem while filling a page whose candidates other filters may drop."""
SEARCHED = {"title", "filename", "alt", "description", "notes", "credits", "tags", "url", "provider"}
AFTER_ANY_ID = "#~"
"""Appended to a timestamp: a sort key above every `{timestamp}#{id}` of that instant (ids are hex)."""


@dataclass(frozen=True)
class AssetQuery:
    sort: str = "created_at"
    order: str = "desc"
    kind: str | None = None
    status: str | None = None
    content_type: str | None = None
    folder_id: str | None = None
    """An id, or `schema.ROOT_FOLDER` for the root level."""
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    tags: tuple[str, ...] = ()
    """Folded and sorted: every one must be on the asset."""
    q: tuple[str, ...] = ()
    """The search words: each must start a word of the asset."""
    recursive: bool = False
    """With `folder_id`: the whole subtree, not only the folder's own assets."""

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    def filters(self) -> dict[str, str]:
        """The filters an asset's own attribute must equal."""
        found = {name: value for name in PREFERENCE if (value := getattr(self, name)) is not None}
        if self.recursive:
            found.pop("folder_id", None)
        return found

    @property
    def subtree(self) -> str | None:
        """The folder whose whole subtree is listed (the root's is every asset: no filter)."""
        return self.folder_id if self.recursive and self.folder_id != schema.ROOT_FOLDER else None

    def dimensions(self) -> list[tuple[str, str]]:
        """Every filter that has an index of its own, as (name, value), in order of preference."""
        tree = [("subtree", self.subtree)] if self.subtree else []
        return [*tree, *self.filters().items(), *(("tag", tag) for tag in self.tags)]

    @property
    def dated(self) -> bool:
        return any(getattr(self, f"{field}_{side}") for field in ("created", "updated") for side in ("after", "before"))

    def scope(self, tenant: str) -> str:
        """What a cursor is bound to: the tenant and every parameter but the page size."""
        described = {
            name: stored(value) if isinstance(value, datetime) else value for name, value in asdict(self).items()
        }
        return f"list_assets|{tenant}|{json.dumps(described, sort_keys=True)}"


DATE_FILTERS = ("created_after", "created_before", "updated_after", "updated_before")


def _utc(moment: datetime | None) -> datetime | None:
    try:
        return moment.astimezone(UTC) if moment else None
    except OverflowError:  # 0001-01-01T00:00:00+01:00 falls in year 0 in UTC: before any asset, as 9999's end is after
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


def asset_query(*, tag: list[str] | None = None, q: str | None = None, **filters: Any) -> AssetQuery:
    """The query of `GET /v1/assets` parameters as a client sends them (an export's `query` too): tags and
    keywords folded as the indexes hold them, date-times in UTC."""
    moments = {name: _utc(filters.pop(name, None)) for name in DATE_FILTERS}
    return AssetQuery(
        **filters,
        **moments,
        tags=tuple(sorted({words.fold(t.strip()) for t in tag or ()})),
        q=tuple(words.query_words(q)),
    )


def _bounds(query: AssetQuery, field: str) -> tuple[str | None, str | None]:
    """(start, stop) sort keys for the `{field}_after` / `{field}_before` bounds, in reading order."""
    after, before = getattr(query, f"{field}_after"), getattr(query, f"{field}_before")
    low = stored(after) + AFTER_ANY_ID if after else None
    high = stored(before) if before else None
    return (high, low) if query.descending else (low, high)


def _matches(query: AssetQuery, served: set[str]) -> Callable[[AssetRecord], bool] | None:
    """The check of every filter the index did not serve; None when it served them all."""
    wanted = {name: value for name, value in query.filters().items() if name not in served}
    ranges = {
        field: (getattr(query, f"{field}_after"), getattr(query, f"{field}_before"))
        for field in ("created", "updated")
        if field not in served and (getattr(query, f"{field}_after") or getattr(query, f"{field}_before"))
    }
    if not wanted and not ranges and not query.tags and not query.q and not query.subtree:
        return None

    def check(record: AssetRecord) -> bool:
        if query.subtree and query.subtree not in record.indexed_folders:
            return False
        if query.tags and not set(query.tags) <= catalog.tags_of({"tags": record.tags}).keys():
            return False
        if query.q and not words.matches(record.model_dump(include=SEARCHED), list(query.q)):
            return False
        values = {name: getattr(record, name) for name in wanted}
        if "folder_id" in values:
            values["folder_id"] = values["folder_id"] or schema.ROOT_FOLDER
        if values != wanted:
            return False
        for field, (after, before) in ranges.items():
            moment = getattr(record, f"{field}_at")
            if (after is not None and moment <= after) or (before is not None and moment >= before):
                return False
        return True

    return check


def _furthest(descending: bool, *keys: str | None) -> str | None:
    """The bound that starts reading latest: the smallest key when reading down, the largest when up."""
    present = [key for key in keys if key is not None]
    return (min if descending else max)(present) if present else None


@dataclass
class _Plan:
    keys: Any
    """(sort key, table key) pairs: in the sort's order when `ordered`, else in any order."""
    readers: list[listing.Merged]
    served: set[str]
    ordered: bool


def _count(deps: Deps, tenant: str, totals: Counter[str], name: str, value: str) -> int:
    """How many of the tenant's assets have this filter value, from the counters."""
    if name == "tag":
        return deps.counts.tag_counts(tenant, [value])[value]
    if name in ("folder_id", "subtree") and value != schema.ROOT_FOLDER:  # a subtree has at least its own
        folder = deps.folders.get(tenant, value)
        return folder.asset_count if folder else 0
    return totals[catalog.counter_name(name, value)]


def _plan(deps: Deps, tenant: str, query: AssetQuery, limit: int, position: str | None, whole: bool) -> _Plan:
    """The index read for `query`, in its sort order when `ordered`, and the filters it serves."""
    if query.q:
        return _searched(deps, tenant, query)
    dimensions = query.dimensions()
    if dimensions:
        if len(dimensions) > 1:
            totals = deps.counts.totals(tenant)
            name, value = min(dimensions, key=lambda pair: _count(deps, tenant, totals, *pair))
        else:
            (name, value), *_ = dimensions
        if name in ("tag", "subtree"):
            member_partitions = catalog.tag_partitions if name == "tag" else catalog.tree_partitions
            index, partitions = schema.MEMBERS, member_partitions(tenant, value)
            served = set()  # a member may be stale: the record is checked
        else:
            tag, index = listing.DIMENSIONS[name]
            partitions, served = listing.dimension_shards(tenant, tag, value), {name}
        bounded = "created"
    else:
        index, partitions = schema.SORTS[query.sort], listing.tenant_shards(tenant)
        served = set()
        bounded = {"created_at": "created", "updated_at": "updated"}.get(query.sort)
    ordered = index.sort_key == schema.SORTS[query.sort].sort_key or (
        index is schema.MEMBERS and query.sort == "created_at"
    )
    ordered = ordered and not whole
    start, stop = _bounds(query, bounded) if bounded else (None, None)
    if bounded:
        served.add(bounded)
    merged = deps.table.merged(
        index,
        partitions,
        descending=query.descending,
        after=_furthest(query.descending, start, position if ordered else None),
        until=stop,
        page_hint=limit if ordered else WHOLE_READ,
    )
    return _Plan(merged, [merged], served, ordered)


def _searched(deps: Deps, tenant: str, query: AssetQuery) -> _Plan:
    """The assets with a word starting with each query word: the longest word's items first (the fewest,
    as a rule), then the next word's, until the candidates are few enough to check on their records."""
    candidates: dict[str, dict[str, Any]] | None = None
    readers = []
    for word in sorted(query.q, key=len, reverse=True):
        if candidates is not None and len(candidates) <= FEW_CANDIDATES:
            break
        merged = deps.table.merged(
            schema.MEMBERS,
            catalog.word_partitions(tenant, word),
            descending=False,
            prefix=word,
            page_hint=WHOLE_READ,
        )
        readers.append(merged)
        found = {sort.rsplit("#", 1)[1]: key for sort, key in merged}
        candidates = found if candidates is None else {i: key for i, key in candidates.items() if i in found}
    return _Plan([("", key) for key in (candidates or {}).values()], readers, set(), False)


def _records(
    deps: Deps, keys: Iterator[tuple[str, dict[str, Any]]], size: int, first: int | None = None
) -> Iterator[tuple[str, AssetRecord]]:
    """Records in index order, read `first` (then `size`) at a time; one deleted since the index was read is
    skipped."""
    take = first or size
    while chunk := list(islice(keys, take)):
        records = {record.id: record for record in deps.table.get_assets([key for _, key in chunk])}
        for sort_key, key in chunk:
            if (record := records.get(table.asset_id_of(key))) is not None:
                yield sort_key, record
        take = size


def _ordered_page(deps: Deps, merged: Any, check: Callable | None, limit: int) -> tuple[list, bool]:
    """The page, read in the index's order, and whether there is more."""
    keys = iter(merged)
    if check is None:  # every key is a match: one index item past the page says whether there is more
        taken = list(islice(keys, limit + 1))
        return list(_records(deps, iter(taken[:limit]), limit)), len(taken) > limit
    # the first read is the whole page and one more: when most candidates match, no more are read
    found = (entry for entry in _records(deps, keys, CHUNK, first=limit + 1) if check(entry[1]))
    page = list(islice(found, limit + 1))
    return page[:limit], len(page) > limit


def _sorted_page(
    deps: Deps, keys: Any, check: Callable | None, query: AssetQuery, position: str | None, limit: int
) -> tuple[list, bool, int]:
    """Every match of the index read, sorted by `query.sort` in memory; the page after `position`, whether
    there is more, and how many match in all."""
    sort_key = schema.SORTS[query.sort].sort_key
    keyed = [
        (listing.record_keys(record.model_dump(mode="json"))[sort_key], record)
        for _, record in _records(deps, iter(keys), table.BATCH_GET)
        if check is None or check(record)
    ]
    keyed.sort(key=lambda entry: entry[0], reverse=query.descending)
    total = len(keyed)
    if position is not None:
        keyed = [entry for entry in keyed if (entry[0] < position if query.descending else entry[0] > position)]
    return keyed[:limit], len(keyed) > limit, total


def _counted_total(deps: Deps, tenant: str, query: AssetQuery) -> int | None:
    """The number of matches from the counters, when the query is one filter or none; else None."""
    dimensions = query.dimensions()
    if query.q or query.dated or query.subtree or len(dimensions) > 1:
        return None
    totals = deps.counts.totals(tenant) if not dimensions or dimensions[0][0] != "tag" else Counter()
    return _count(deps, tenant, totals, *dimensions[0]) if dimensions else totals[catalog.TOTAL]


def list_assets(
    deps: Deps, tenant: str, query: AssetQuery, limit: int, cursor: str | None, include_total: bool = False
) -> AssetPage:
    scope = query.scope(tenant)
    position = cursors.decode(cursors.secret(deps), scope, cursor).get("k") if cursor else None
    if cursor and not isinstance(position, str):
        raise InvalidInput(cursors.INVALID, field="cursor")
    total = _counted_total(deps, tenant, query) if include_total else None
    plan = _plan(deps, tenant, query, limit, position, whole=include_total and total is None)
    check = _matches(query, plan.served)
    if plan.ordered:
        page, more = _ordered_page(deps, plan.keys, check, limit)
    else:
        page, more, matched = _sorted_page(deps, plan.keys, check, query, position, limit)
        total = matched if include_total and total is None else total
    logger.info(
        "listed assets",
        extra={
            "indexes": [reader.index.name or "table" for reader in plan.readers],
            "queries": sum(reader.queries for reader in plan.readers),
            "scanned": sum(reader.scanned for reader in plan.readers),
            "returned": len(page),
        },
    )
    links = delivery.links(deps, tenant)  # one signing key for the page
    return AssetPage(
        items=[links.asset(record) for _, record in page],
        next_cursor=cursors.encode(cursors.secret(deps), scope, {"k": page[-1][0]}) if more and page else None,
        total=total,
    )


def every_match(deps: Deps, tenant: str, query: AssetQuery) -> Iterator[AssetRecord]:
    """Every asset `query` matches, in no particular order, read lazily (an export of a query's results): the
    index the listing would read, every match of it read as for a sort it does not keep."""
    plan = _plan(deps, tenant, query, WHOLE_READ, None, whole=True)
    check = _matches(query, plan.served)
    for _, record in _records(deps, iter(plan.keys), table.BATCH_GET):
        if check is None or check(record):
            yield record


def folder_records(deps: Deps, tenant: str, folder_id: str) -> Iterator[AssetRecord]:
    """Every asset directly in a folder, read lazily (a background job's walk)."""
    merged = deps.table.merged(
        schema.BY_FOLDER, listing.dimension_shards(tenant, "FA", folder_id), page_hint=WHOLE_READ
    )
    for _, record in _records(deps, iter(merged), table.BATCH_GET):
        yield record
