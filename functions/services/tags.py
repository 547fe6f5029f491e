"""`GET /v1/tags` and `GET /v1/assets/filters`: counts read from the counters, never from the library."""

from __future__ import annotations

from typing import get_args

from functions import schema
from functions.adapters import catalog
from functions.models.assets import Kind, Status
from functions.models.tags import Filters, TagCount, TagPage, ValueCount
from functions.routes import BY_NAME
from functions.services import cursors
from functions.services.deps import Deps

TOP_TAGS = 100


def list_tags(deps: Deps, tenant: str, limit: int, cursor: str | None) -> TagPage:
    scope = f"list_tags|{tenant}"
    page, more = deps.counts.tags(tenant, cursors.after(deps, scope, cursor), limit)
    return TagPage(
        items=[TagCount(name=tag.name, count=tag.count) for tag in page],
        next_cursor=cursors.next_after(deps, scope, page[-1].tag if more else None),
    )


def _ranked(counts: dict[str, int]) -> list[ValueCount]:
    """Most used first, then by value."""
    return [
        ValueCount(value=value, count=count)
        for value, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        if count > 0
    ]


def filters(deps: Deps, tenant: str) -> Filters:
    totals = deps.counts.totals(tenant)

    def of(name: str, values: tuple[str, ...]) -> list[ValueCount]:
        return [ValueCount(value=value, count=totals[catalog.counter_name(name, value)]) for value in values]

    prefix = catalog.counter_name("content_type", "")
    tags = {tag.name: tag.count for tag in deps.counts.every_tag(tenant)}
    return Filters(
        kinds=of("kind", get_args(Kind)),
        statuses=of("status", get_args(Status)),
        content_types=_ranked({name[len(prefix) :]: n for name, n in totals.items() if name.startswith(prefix)}),
        tags=_ranked(tags)[:TOP_TAGS],
        sorts=list(schema.SORTS),
        params=list(BY_NAME["list_assets"].query),
    )
