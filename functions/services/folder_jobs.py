"""Work on a whole subtree, in the background (the folder-jobs queue): re-index it after a move, delete it.

Both are safe to run again from the start: the table says what is left to do. A job that runs out of
time stops between two assets and is sent again (see `functions.run_folder_job`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from aws_lambda_powertools import Logger

from functions.adapters.folders import NotEmpty, Stale
from functions.errors import Conflict, InvalidInput, NotFound
from functions.models.assets import AssetRecord
from functions.models.folders import FolderJob, FolderRecord
from functions.services import trash, tree
from functions.services.assets import WRITE_ATTEMPTS, after, stored
from functions.services.deps import Deps
from functions.services.listing import folder_records

logger = Logger(service="assets")

SETTLE_SECONDS = 60
"""A re-index runs again this long after a move: longer than any API request (API Gateway stops them at
29 s), so an asset write that read the folder's old ancestors before the move is put right too."""

OutOfTime = Callable[[], bool]


MAX_ROUNDS = 100
"""Runs of one job (each up to the worker's timeout) before it is given up to the dead-letter queue."""


def enqueue(deps: Deps, job: FolderJob, delay_seconds: int = 0) -> None:
    deps.jobs.send(job.model_dump_json(), delay_seconds)


def run(deps: Deps, job: FolderJob, out_of_time: OutOfTime) -> bool:
    """Do the job; False when time ran out before the end (send it again)."""
    if job.job == "delete_folder":
        folder = deps.folders.get(job.tenant, job.folder_id)
        return folder is None or _delete_tree(deps, folder, out_of_time)
    return _reindex(deps, job.tenant, job.folder_id, out_of_time)


def _reindex(deps: Deps, tenant: str, folder_id: str, out_of_time: OutOfTime) -> bool:
    """Every asset of the subtree gets the members of its folder's ancestors as they are now."""
    try:
        above = tree.chain(deps, tenant, folder_id)
    except (InvalidInput, NotFound):  # gone, or being deleted: nothing to index
        logger.info("folder to re-index is gone", extra={"folder_id": folder_id})
        return True
    pending = [(folder_id, above)]
    while pending:
        current, chain = pending.pop()
        for record in folder_records(deps, tenant, current):
            _set_folders(deps, record, chain)
            if out_of_time():
                return False
        pending += [(child.id, [child.id, *chain]) for child in deps.folders.every_child(tenant, current)]
    return True


def _set_folders(deps: Deps, record: AssetRecord, chain: list[str]) -> None:
    """Compare-and-set `indexed_folders` (not `updated_at`: nothing the client sees changed); a write
    meanwhile makes it read again, and an asset moved out of the folder meanwhile is left alone."""
    current: AssetRecord | None = record
    for _ in range(WRITE_ATTEMPTS):
        if current is None or current.indexed_folders == chain or current.folder_id != chain[0]:
            return
        if deps.table.update_asset(current, {"indexed_folders": chain}) is not None:
            return
        current = deps.table.get_asset(current.tenant, current.id)
    raise Conflict(f"asset {record.id} keeps changing; the job is retried")


def _delete_tree(deps: Deps, folder: FolderRecord, out_of_time: OutOfTime) -> bool:
    """Depth first: flag the folder (nothing may enter it), empty its subfolders, send its assets
    to the trash (each with one `asset.deleted`), then the folder itself."""
    marked = deps.folders.mark_deleting(folder, stored(after(folder.updated_at)))
    if marked is None:
        return True
    for child in list(deps.folders.every_child(folder.tenant, folder.id)):
        if not _delete_tree(deps, child, out_of_time):
            return False
    for record in folder_records(deps, folder.tenant, folder.id):
        with contextlib.suppress(NotFound):  # deleted meanwhile
            trash.delete(deps, folder.tenant, record.id)
        if out_of_time():
            return False
    try:
        deps.folders.delete(marked)
    except NotEmpty:  # something arrived before the flag was set: the next run takes it
        return False
    except Stale:
        pass
    return True
