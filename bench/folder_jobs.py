"""Recursive folder delete: how many assets one run of the folder-jobs worker deletes per second.

    python -m bench.folder_jobs [--assets 200] [--out bench/results/folder_jobs.json]

In one process, inside moto's in-memory AWS: a folder with a subfolder holding `--assets` assets
(written through the table adapter, so with their counters, members and words, and each with an
original and a rendition in S3), deleted by the job as the worker runs it: every asset goes to the trash
(out of every index, count and member, its files kept until it is purged). Reported: assets deleted per
second, and what that makes of the issue's 10,000 assets against the worker's budget (its 15-minute
timeout less the minute it keeps back). moto is slower than DynamoDB and S3 for this (each Query reads
the whole table), so the figure is a floor; the job also sends itself again whenever its time runs
out, so no size of subtree meets the timeout.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results" / "folder_jobs.json"
TARGET_ASSETS = 10_000


def run(assets: int, out: Path) -> int:
    os.environ.update(AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    from moto import mock_aws

    from bench.common import finish, report_head
    from functions import run_folder_job, schema
    from functions.models.assets import AssetRecord
    from functions.models.folders import FolderJob, FolderRecord
    from functions.services import folder_jobs
    from functions.services.deps import build
    from functions.settings import Settings
    from local.provision import provision

    errors: list[str] = []
    with mock_aws():
        settings = Settings(table_name="bench-jobs", bucket_name="bench-jobs", event_bus_name="bench-jobs")
        resources = provision(settings)
        deps = build(Settings(**{**settings.__dict__, "jobs_queue_url": resources.jobs_queue_url}))
        moment = datetime.now(UTC)
        folders = []
        for name, parent in (("Top", None), ("Inside", "Top")):
            record = FolderRecord(
                id=uuid.uuid4().hex,
                tenant="bench",
                name=name,
                parent_id=next((f.id for f in folders if f.name == parent), None),
                created_at=moment,
                updated_at=moment,
            )
            deps.folders.create(record, next((f for f in folders if f.name == parent), None))
            folders.append(record)
        top, inside = folders
        began = time.perf_counter()
        for n in range(assets):
            record = AssetRecord(
                id=uuid.uuid4().hex,
                tenant="bench",
                status="ready",
                kind="image",
                filename=f"photo-{n}.jpg",
                content_type="image/jpeg",
                size=3,
                title=f"Photo {n}",
                tags=["bench", f"batch{n % 10}"],
                folder_id=inside.id,
                indexed_folders=[inside.id, top.id],
                original_revision="r1",
                created_at=moment,
                updated_at=moment,
            )
            deps.table.put_new_asset(record)
            deps.storage.client.put_object(
                Bucket=settings.bucket_name, Key=schema.original_key("bench", record.id, "r1"), Body=b"abc"
            )
            deps.storage.client.put_object(
                Bucket=settings.bucket_name, Key=schema.rendition_key("bench", record.id, "r1", "small"), Body=b"abc"
            )
        seeded = time.perf_counter() - began
        job = FolderJob(job="delete_folder", tenant="bench", folder_id=top.id)
        began = time.perf_counter()
        done = folder_jobs.run(deps, job, lambda: False)
        elapsed = time.perf_counter() - began
        trashed, _ = deps.table.trash("bench", assets + 1, None)
        kept = deps.storage.keys("originals/") + deps.storage.keys("renditions/")
        if not done or deps.folders.get("bench", top.id) is not None or len(trashed) != assets:
            errors.append(f"the subtree was not deleted: done={done}, in the trash {len(trashed)} of {assets}")
        if len(kept) != 2 * assets:  # a trashed asset keeps its files until it is purged
            errors.append(f"files of trashed assets lost: {len(kept)} of {2 * assets} kept")
    rate = assets / elapsed
    budget = schema.JOB_TIMEOUT_SECONDS - run_folder_job.RESERVE_MS / 1000
    report = report_head("folder_jobs", errors) | {
        "method": __doc__,
        "assets": assets,
        "seed_seconds": round(seeded, 1),
        "delete_seconds": round(elapsed, 1),
        "assets_per_second": round(rate, 1),
        "run_budget_seconds": budget,
        "target_assets": TARGET_ASSETS,
        "target_seconds": round(TARGET_ASSETS / rate, 1),
        "runs_for_target": max(1, -(-TARGET_ASSETS // int(rate * budget))),
    }
    summary = (
        f"{TARGET_ASSETS:,} assets: about {report['target_seconds']} s at this rate, "
        f"{report['runs_for_target']} run(s) of the worker's {budget:.0f} s budget"
    )
    return finish(report, out, print_table, summary, errors)


def print_table(report: dict[str, Any]) -> None:
    print(
        f"deleted {report['assets']} assets to the trash (records, counts, members; their files kept, their events "
        f"following from the stream, untimed) in "
        f"{report['delete_seconds']} s: {report['assets_per_second']} assets/s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=200)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    return run(args.assets, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
