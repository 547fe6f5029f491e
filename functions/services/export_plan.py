"""What goes in an export's zip, in order: the named assets, a folder's subtree with its folder paths, or a listing
query's matches, each with a unique path in the zip, or left out (`not_ready`, `not_found`, `not_a_file`) and said
so in the manifest. A share's export holds only what the share's page shows, and its manifest names nothing else.
Made once, by an export's first run (`services.exports`); the runs after it read it from their state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import PurePosixPath

from functions import schema
from functions.adapters.table import asset_key
from functions.errors import InvalidInput
from functions.models.assets import AssetRecord
from functions.models.exports import ExportQuery, ExportRecord
from functions.services import delivery, listing
from functions.services.assets import now, stored
from functions.services.deps import Deps
from functions.services.kinds import WITHOUT_FILE

MANIFEST = "manifest.csv"
"""The zip's last entry, listing every asset asked for: no asset takes its name."""
MAX_ENTRIES = 100_000
"""Assets one export may hold: ZIP64 takes more, but the continuation state (about 150 bytes an entry) stays small."""


@dataclass
class Planned:
    """One asset asked for, in the zip's order."""

    asset_id: str
    path: str | None
    """Its unique name in the zip (with its folders for a folder export); None when it is left out."""
    key: str | None = None
    size: int = 0
    sha256: str | None = None
    content_type: str | None = None
    created_at: str = ""
    skip: str | None = None
    """`not_ready`, `not_found`, `not_a_file` (a link, an external video), `not_available` (outside its window, in a
    share's export), or None: exported."""


def _safe(name: str) -> str:
    """A path segment that extracts where it should: no separators, not `.` or `..`."""
    name = name.replace("\\", "_").replace("/", "_").strip()
    return "_" if name in ("", ".", "..") else name


class Names:
    """Unique paths in the zip, ignoring case (as Windows and macOS extract them): `photo.jpg`, `photo (1).jpg`.
    With `shown_at`, a share's export: only assets inside their availability window then are given one."""

    def __init__(self, reserved: tuple[str, ...] = (MANIFEST,), shown_at: datetime | None = None):
        self.taken = {name.casefold() for name in reserved}
        self.shown_at = shown_at

    def reserve_folder(self, path: str) -> None:
        self.taken.add(path.rstrip("/").casefold())

    def unique(self, folder: str, filename: str) -> str:
        name = PurePosixPath(_safe(filename))
        candidate, number = f"{folder}{name}", 0
        while candidate.casefold() in self.taken:
            number += 1
            candidate = f"{folder}{name.stem} ({number}){name.suffix}"
        self.taken.add(candidate.casefold())
        return candidate


def _planned(record: AssetRecord | None, asset_id: str, folder: str, names: Names) -> Planned:
    if record is None:
        return Planned(asset_id, None, skip="not_found")
    if record.kind in WITHOUT_FILE:
        return Planned(asset_id, None, skip="not_a_file")
    if record.status != "ready" or not record.original_revision:
        return Planned(asset_id, None, skip="not_ready")
    if names.shown_at is not None and not delivery.available(record, names.shown_at):
        return Planned(asset_id, None, skip="not_available")
    return Planned(
        asset_id=record.id,
        path=names.unique(folder, record.filename),
        key=schema.original_key(record.tenant, record.id, record.original_revision),
        size=record.size or 0,
        sha256=record.sha256,
        content_type=record.content_type,
        created_at=stored(record.created_at),
    )


def _subtree(deps: Deps, tenant: str, folder_id: str, path: str, names: Names) -> Iterator[Planned]:
    """Every asset of the folder and the folders below it, with their paths (`Brand/Logos/logo.png`)."""
    names.reserve_folder(path)
    children = [(child, f"{path}{_safe(child.name)}/") for child in deps.folders.every_child(tenant, folder_id)]
    for _, child_path in children:  # a file may not take a folder's name
        names.reserve_folder(child_path)
    for record in listing.folder_records(deps, tenant, folder_id):
        yield _planned(record, record.id, path, names)
    for child, child_path in children:
        yield from _subtree(deps, tenant, child.id, child_path, names)


def plan(deps: Deps, record: ExportRecord) -> list[Planned]:
    """What goes in the zip, in order; `InvalidInput` when it would be too many (found without reading them all)."""
    tenant, names = record.tenant, Names(shown_at=now() if record.share_id is not None else None)
    planned: Iterator[Planned]
    if record.asset_ids is not None:
        keys = [asset_key(tenant, asset_id) for asset_id in record.asset_ids]
        records = {asset.id: asset for asset in deps.table.get_assets(keys)}
        planned = (_planned(records.get(asset_id), asset_id, "", names) for asset_id in record.asset_ids)
    elif record.folder_id is not None:
        folder = deps.folders.get(tenant, record.folder_id)
        if folder is None or folder.deleting:
            raise InvalidInput("the folder was deleted", field="folder_id")
        planned = _subtree(deps, tenant, folder.id, f"{_safe(folder.name)}/", names)
    else:
        query = listing.asset_query(**ExportQuery.model_validate(record.query or {}).model_dump())
        planned = (_planned(asset, asset.id, "", names) for asset in listing.every_match(deps, tenant, query))
    if record.share_id is not None:  # a share's "download all": what its page shows, and nothing said of the rest
        planned = (item for item in planned if item.skip is None)
    found = list(islice(planned, MAX_ENTRIES + 1))
    if len(found) > MAX_ENTRIES:
        raise InvalidInput(f"more than {MAX_ENTRIES:,} assets: export fewer at a time")
    return found
