"""What a page costs in DynamoDB reads: about the page, whatever the library's size (not a timing test)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from functions import schema
from functions.adapters.table import Table, record_item
from functions.models.assets import AssetRecord
from functions.services import listing
from functions.services.deps import get_deps
from tests.integration.conftest import Stack

PAGE = 50


class Counting:
    """The DynamoDB client, summing the index items every Query scanned."""

    def __init__(self) -> None:
        self.client = boto3.client("dynamodb")
        self.scanned = 0

    def query(self, **kwargs: Any) -> dict[str, Any]:
        response = self.client.query(**kwargs)
        self.scanned += response["ScannedCount"]
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def seed(stack: Stack, count: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        record_item(
            AssetRecord(
                id=uuid.uuid4().hex,
                tenant="acme",
                status="ready",
                kind="image",
                filename=f"file-{n}.jpg",
                content_type="image/jpeg",
                size=n + 1,
                title=f"title {n % 7}",
                created_at=start + timedelta(seconds=n),
                updated_at=start + timedelta(seconds=n, minutes=n % 13),
            )
        )
        for n in range(count)
    ]
    client = boto3.client("dynamodb")
    for first in range(0, count, 25):
        client.batch_write_item(
            RequestItems={stack.settings.table_name: [{"PutRequest": {"Item": i}} for i in items[first : first + 25]]}
        )


@pytest.mark.parametrize("sort", list(schema.SORTS))
def test_a_page_reads_about_the_page_from_the_index(stack: Stack, sort: str) -> None:
    seed(stack, 600)
    counting = Counting()
    deps = dataclasses.replace(get_deps(), table=Table(stack.settings.table_name, client=counting))
    cursor = None
    for _ in range(3):  # the first pages, each resuming behind the last
        page = listing.list_assets(deps, "acme", listing.AssetQuery(sort=sort), PAGE, cursor)
        assert len(page.items) == PAGE
        cursor = page.next_cursor
    assert counting.scanned <= 2 * 3 * PAGE
