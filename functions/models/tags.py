"""Tags and the filter summary: what a search UI needs, from counters kept on write."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from functions.models.common import Model


class ValueCount(Model):
    value: str
    count: Annotated[int, Field(description="How many of the tenant's assets have this value, exactly.")]


class TagCount(Model):
    name: Annotated[str, Field(description="The tag as first spelled; it matches in any case.")]
    count: Annotated[int, Field(description="How many of the tenant's assets carry it, exactly.")]


class TagPage(Model):
    items: Annotated[list[TagCount], Field(description="By name, ignoring case and accents.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class Filters(Model):
    """Everything a filter UI shows, in one call."""

    kinds: Annotated[list[ValueCount], Field(description="Every kind, with its count (zeros included).")]
    statuses: Annotated[list[ValueCount], Field(description="Every status, with its count (zeros included).")]
    content_types: Annotated[list[ValueCount], Field(description="The media types in use, most used first.")]
    tags: Annotated[
        list[ValueCount],
        Field(description="The most used tags (at most 100), most used first; `GET /v1/tags` pages through all."),
    ]
    sorts: Annotated[list[str], Field(description="The values `sort` takes on `GET /v1/assets`.")]
    params: Annotated[list[str], Field(description="The query parameters `GET /v1/assets` takes.")]
