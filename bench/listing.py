"""Listing cost at two library sizes: DynamoDB items read for a page of 50, at 1,000 and 20,000 assets.

Assets are written straight into the emulator's table with the adapter's own item builder (no HTTP, no
processing), spread over folders, kinds, statuses, titles and sizes. Every scenario then lists one page
through the service layer, counting what DynamoDB hands back: `index_items` is the sum of `ScannedCount`
over every Query (the issue's measure), `records` the items of the BatchGetItem calls. `needed` is the
page, plus every match of the filter when the sort is done in memory; the target is
`index_items <= 2 x needed`, at both sizes. The counts are exact; asset ids are random, so how they fall on
the shards, and the counts, vary by a few between runs. Wall times are for
reference only: moto reads every item of the table on each Query, so its times grow with the library where
DynamoDB's do not (`--runs` rounds, median).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from bench.common import finish, report_head, start_emulator, stats
from functions import schema
from functions.adapters import catalog, listing
from functions.adapters.catalog import Counts
from functions.adapters.folders import Folders
from functions.adapters.items import serialize
from functions.adapters.secrets import Secrets
from functions.adapters.table import FOLDER_SK, Table, folder_pk, record_item
from functions.models.assets import AssetRecord
from functions.models.folders import FolderRecord
from functions.services import listing as listing_service
from functions.services.deps import build
from functions.services.kinds import kind_of
from functions.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "listing.json"
SIZES = (1_000, 20_000)
PAGE = 50
TARGET_RATIO = 2.0
TENANT = "bench"
REGION = "us-east-1"
TYPES = ["image/jpeg"] * 6 + ["image/png"] * 2 + ["application/pdf", "video/mp4", "audio/mpeg"]
BIG_FOLDER_SHARE = 0.1
SMALL_FOLDER_ASSETS = 5
FAILED_SHARE = 0.01
RARE = 50


class CountingClient:
    """The DynamoDB client, counting the items each call reads."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.reset()

    def reset(self) -> None:
        self.index_items = self.records = self.queries = self.batch_gets = 0

    def query(self, **kwargs: Any) -> dict[str, Any]:
        response = self.client.query(**kwargs)
        self.queries += 1
        self.index_items += response.get("ScannedCount", 0)
        return response

    def batch_get_item(self, **kwargs: Any) -> dict[str, Any]:
        response = self.client.batch_get_item(**kwargs)
        self.batch_gets += 1
        self.records += sum(len(items) for items in response.get("Responses", {}).values())
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def library(size: int, rng: random.Random) -> tuple[list[AssetRecord], dict[str, str]]:
    """`size` assets: a big folder (10%, half of them in its subfolder), a small one (5 assets), the rest at
    the root; 1% failed. Half carry the tag `common`, 50 the tag `rare`; search words: `sunset` on a quarter,
    `harbour` on 50, and a `code{n}` of its own on each."""
    folders = {"big": uuid.uuid4().hex, "child": uuid.uuid4().hex, "small": uuid.uuid4().hex}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = []
    for n in range(size):
        created = start + timedelta(seconds=n * 7, microseconds=rng.randrange(1_000_000))
        content_type = rng.choice(TYPES)
        folder = (
            folders["small"] if n < SMALL_FOLDER_ASSETS else folders["big"] if rng.random() < BIG_FOLDER_SHARE else None
        )
        if folder == folders["big"] and rng.random() < 0.5:
            folder = folders["child"]
        chain = {folders["child"]: [folders["child"], folders["big"]]}.get(folder or "", [folder] if folder else [])
        words = ["sunset"] if n % 4 == 1 else []
        words += ["harbour"] if n % (size // RARE) == 0 else []
        records.append(
            AssetRecord(
                id=uuid.uuid4().hex,
                tenant=TENANT,
                status="failed" if rng.random() < FAILED_SHARE else "ready",
                kind=kind_of(content_type),
                filename=f"{rng.choice(['Beach', 'logo', 'Report'])}-{n}.bin",
                content_type=content_type,
                size=rng.randrange(1, 50_000_000),
                title=rng.choice(["Alpha", "beta", "Gamma", None]),
                description=" ".join([*words, f"code{n:06d}"]),
                tags=[*(["common"] if n % 2 else []), *(["rare"] if n % (size // RARE) == 1 else [])],
                folder_id=folder,
                indexed_folders=chain,
                created_at=created,
                updated_at=created + timedelta(minutes=rng.randrange(600)),
            )
        )
    return records, folders


def seed(client: Any, table: str, records: list[AssetRecord], folders: dict[str, str]) -> None:
    """The records with their members and words, the counters and tag counts they add up to, and the folders,
    as the API's writes leave them, written in batches."""
    items = []
    counters: dict[str, Counter[str]] = defaultdict(Counter)
    tags: dict[tuple[str, str], int] = Counter()
    for record in records:
        stored = record.model_dump(mode="json")
        items.append(record_item(record))
        items += catalog.changes(table, TENANT, None, stored, stored["created_at"]).members
        where = listing.shard(record.id)
        counters[where].update(catalog.counted(stored))
        for tag in catalog.tags_of(stored):
            tags[(where, tag)] += 1
    for where, counts in counters.items():
        items.append(serialize({"pk": catalog.counter_pk(TENANT), "sk": where, **counts}))
    for (where, tag), count in tags.items():
        pk = catalog.tag_count_partitions(TENANT)[int(where[1:])]
        items.append(serialize({"pk": pk, "sk": tag, "count": count, "name": tag, "first_at": "2026-01-01"}))
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    parents = {"child": folders["big"]}
    for name, folder_id in folders.items():
        inside = sum(record.folder_id == folder_id for record in records)
        folder = FolderRecord(
            id=folder_id,
            tenant=TENANT,
            name=name,
            parent_id=parents.get(name),
            created_at=moment,
            updated_at=moment,
            asset_count=inside,
        )
        items.append(serialize({"pk": folder_pk(TENANT, folder_id), "sk": FOLDER_SK, **folder.model_dump(mode="json")}))
    for start in range(0, len(items), 25):
        pending = {table: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def scenarios(records: list[AssetRecord], folders: dict[str, str]) -> list[tuple[str, dict[str, Any], int]]:
    """(name, query, matches that must be read besides the page)."""

    def count(check: Any) -> int:
        return sum(bool(check(r)) for r in records)

    big = folders["big"]
    in_big = count(lambda r: big in r.indexed_folders)
    found = [(f"sort={sort}", {"sort": sort}, 0) for sort in schema.SORTS]
    found += [
        ("folder (5% of assets)", {"folder_id": big}, 0),
        ("folder (5 assets)", {"folder_id": folders["small"]}, 0),
        ("folder recursive (10%)", {"folder_id": big, "recursive": True}, 0),
        ("kind=image", {"kind": "image"}, 0),
        ("kind=audio", {"kind": "audio"}, 0),
        ("status=ready", {"status": "ready"}, 0),
        ("status=failed (1%)", {"status": "failed"}, 0),
        ("tag=common (50%)", {"tags": ("common",)}, 0),
        (f"tag=rare ({RARE})", {"tags": ("rare",)}, 0),
        # several filters: the one with the fewest assets by the counters answers, the others are checked
        (
            "kind=document&status=failed",
            {"kind": "document", "status": "failed"},
            count(lambda r: r.status == "failed"),
        ),
        ("folder (5%) sort=title", {"folder_id": big, "sort": "title"}, count(lambda r: r.folder_id == big)),
        ("recursive (10%) sort=size", {"folder_id": big, "recursive": True, "sort": "size"}, in_big),
        # search: every match is read (its word items, then its records) and sorted
        ("q, 1 match", {"q": ("code000123",)}, 1),
        (f"q, {RARE} matches", {"q": ("harbour",)}, RARE),
        ("q, 25% match", {"q": ("sunset",)}, count(lambda r: "sunset" in (r.description or ""))),
        # the longer word's 50 candidates are few: the other is checked on their records
        ("q, two words", {"q": ("sunset", "harbour")}, RARE),
        # totals: from the counters for one filter or none; else every match is read and counted
        ("include_total", {"include_total": True}, 0),
        ("include_total&tag=rare", {"include_total": True, "tags": ("rare",)}, 0),
        (
            "include_total&kind=image&status=ready",
            {"include_total": True, "kind": "image", "status": "ready"},
            count(lambda r: r.kind == "image"),
        ),
    ]
    return found


def measure(deps: Any, counter: CountingClient, query: dict[str, Any], runs: int) -> dict[str, Any]:
    times, reads = [], []
    query = dict(query)
    total = query.pop("include_total", False)
    for _ in range(runs):
        counter.reset()
        began = time.perf_counter()
        page = listing_service.list_assets(
            deps, TENANT, listing_service.AssetQuery(**query), PAGE, None, include_total=total
        )
        times.append((time.perf_counter() - began) * 1000)
        reads.append((counter.index_items, counter.records, counter.queries, len(page.items)))
    index_items, records, queries, returned = reads[-1]
    return {
        "wall_ms": stats(times),
        "index_items": index_items,
        "records": records,
        "queries": queries,
        "returned": returned,
        "total": page.total,
    }


def run(runs: int, sizes: tuple[int, ...], out: Path) -> int:
    server, endpoint = start_emulator()
    errors: list[str] = []
    results: dict[str, dict[str, Any]] = {}
    try:
        session = boto3.session.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION)
        dynamodb = session.client("dynamodb", endpoint_url=endpoint)
        secrets = session.client("secretsmanager", endpoint_url=endpoint)
        secrets.create_secret(Name="bench-cursor", SecretString="k" * 64)
        for size in sizes:
            rng = random.Random(size)
            name = f"assets-{size}"
            dynamodb.create_table(**schema.create_table_kwargs(name))
            records, folders = library(size, rng)
            began = time.perf_counter()
            seed(dynamodb, name, records, folders)
            print(f"seeded {size} assets in {time.perf_counter() - began:.1f} s")
            counter = CountingClient(dynamodb)
            settings = Settings(table_name=name, cursor_secret="bench-cursor")
            counted = Table(name, client=counter)
            deps = dataclasses.replace(
                build(settings),
                table=counted,
                folders=Folders(counted),
                counts=Counts(counted),
                secrets=Secrets(secrets),
            )
            for label, query, extra in scenarios(records, folders):
                try:
                    cell = measure(deps, counter, query, runs)
                except Exception as error:  # a failed measurement is reported, the others still run
                    errors.append(f"{size} {label}: {error!r}")
                    continue
                cell["needed"] = PAGE + extra
                cell["ratio"] = round(cell["index_items"] / cell["needed"], 2)
                results.setdefault(label, {})[str(size)] = cell
    finally:
        server.stop()
    met = all(cell["ratio"] <= TARGET_RATIO for cells in results.values() for cell in cells.values())
    report = report_head("listing", errors) | {
        "method": __doc__,
        "page": PAGE,
        "sizes": list(sizes),
        "target": {"index_items_per_needed": TARGET_RATIO, "met": met},
        "scenarios": results,
    }
    verdict = "met" if met else "NOT met"
    summary = f"index items within {TARGET_RATIO}x of the page (plus in-memory matches) at every size: {verdict}"
    return finish(report, out, print_table, summary, errors)


def print_table(report: dict[str, Any]) -> None:
    sizes = [str(size) for size in report["sizes"]]
    print(f"{'scenario':32} " + "  ".join(f"{'n=' + s + ': index/records/queries, ms':>38}" for s in sizes))
    for label, cells in report["scenarios"].items():
        row = []
        for size in sizes:
            cell = cells.get(size)
            reads = f"{cell['index_items']:>6} / {cell['records']:>4} / {cell['queries']:>3}" if cell else ""
            row.append(f"{reads}, {cell['wall_ms']['median']:>8} ms (x{cell['ratio']})" if cell else f"{'-':>38}")
        print(f"{label:32} " + "  ".join(f"{r:>38}" for r in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    return run(args.runs, tuple(args.sizes), args.out)


if __name__ == "__main__":
    raise SystemExit(main())
