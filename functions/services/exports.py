"""Zip exports of many assets: asked for by the API (or a share's "download all"), made in the background.

`start` records a `pending` export and queues its first round; `functions.run_export` runs the rounds (`run`):
the first lists what goes in (`services.export_plan`: the named assets, a folder's subtree with its paths, or a
listing query's matches), each streams originals from S3 into the zip, which goes back to S3 as one multipart upload
(`services.zipstream`), and stops between two entries a minute before the function's timeout, leaving its state
under the export's prefix for the next round. The last writes `manifest.csv` and the central directory, and
completes the upload: `ready`. The stream turns the export's move to `ready` or `failed` into its event.

Only `ready` assets go in. Another tenant's, missing, trashed or not-yet-ready ones are left out and listed in the
manifest (`not_found` or `not_ready`): an id of another tenant looks exactly like a missing one.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import math
import secrets
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, field
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from functions import schema
from functions.errors import InvalidInput, NotFound, found
from functions.models.exports import MAX_EXPORT_IDS, Export, ExportJob, ExportQuery, ExportRecord
from functions.services import export_plan, zipstream
from functions.services.assets import now, presigned, stored
from functions.services.deps import Deps
from functions.services.export_plan import MANIFEST, Planned

logger = Logger(service="assets")

OutOfTime = Callable[[], bool]

MANIFEST_COLUMNS = ("path", "asset_id", "sha256", "size", "status")
"""One row per asset asked for, in the zip's order: `status` is `exported`, `not_ready` or `not_found`."""
MAX_ZIP_BYTES = 1024**4
"""1 TiB: with at most `schema.MAX_PARTS` parts, a part of about 105 MiB, which the worker's memory holds."""
MAX_ROUNDS = 100
"""Runs of one export (each up to the worker's timeout) before it is given up as `failed`."""
PROGRESS_SECONDS = 5
"""How often a running export writes its progress."""
ENTRY_OVERHEAD = 200
"""Bytes of an entry besides its data and its name twice: local header, data descriptor, central directory."""
STORED_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/heic",
        "image/heif",
        "image/jxl",
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-7z-compressed",
        "application/x-rar-compressed",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/epub+zip",
        "font/woff",
        "font/woff2",
    }
)
"""Media types already compressed: stored as they are (deflating them again costs time and saves nothing)."""
STORED_FAMILIES = ("video/", "audio/")
"""Every video and audio format but a few raw ones (`DEFLATED_TYPES`) is compressed."""
DEFLATED_TYPES = frozenset({"audio/wav", "audio/x-wav", "audio/vnd.wave", "audio/aiff", "audio/x-aiff"})
ZIP_TYPE = "application/zip"
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def compression(content_type: str | None) -> int:
    """STORED for already-compressed formats, DEFLATED for the rest (text, SVG, TIFF, raw audio, documents...)."""
    kind = content_type or ""
    if kind in STORED_TYPES or (kind.startswith(STORED_FAMILIES) and kind not in DEFLATED_TYPES):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


@dataclass
class State:
    """What a round leaves for the next, stored gzipped as JSON at `schema.export_state_key`."""

    upload_id: str
    part_bytes: int
    plan: list[Planned]
    cursor: int = 0
    """Assets of `plan` handled."""
    offset: int = 0
    etags: list[str] = field(default_factory=list)
    entries: list[list] = field(default_factory=list)
    """`zipstream.saved` of every entry written."""

    def dumps(self) -> bytes:
        document = {
            "upload_id": self.upload_id,
            "part_bytes": self.part_bytes,
            "plan": [astuple(item) for item in self.plan],
            "cursor": self.cursor,
            "offset": self.offset,
            "etags": self.etags,
            "entries": self.entries,
        }
        return gzip.compress(json.dumps(document, separators=(",", ":")).encode(), compresslevel=6)

    @classmethod
    def loads(cls, data: bytes) -> State:
        document = json.loads(gzip.decompress(data))
        document["plan"] = [Planned(*row) for row in document["plan"]]
        return cls(**document)

    @property
    def skipped(self) -> int:
        return sum(1 for item in self.plan[: self.cursor] if item.skip)


def start(
    deps: Deps,
    tenant: str,
    *,
    asset_ids: list[str] | None = None,
    folder_id: str | None = None,
    query: ExportQuery | None = None,
    share_id: str | None = None,
) -> ExportRecord:
    """Record a `pending` export of exactly one of: these assets (in this order), a folder's whole subtree (its
    folder paths kept), or every match of a listing query; queue its first round. A folder that is not one of the
    tenant's is a 404 naming `folder_id`. With `share_id`, a share's "download all" (see `services.export_plan`)."""
    given = [name for name, value in (("asset_ids", asset_ids), ("folder_id", folder_id), ("query", query)) if value]
    if len(given) != 1:
        raise InvalidInput("exactly one of asset_ids, folder_id and query", field=given[1] if given else "asset_ids")
    if asset_ids is not None and (len(asset_ids) > len(set(asset_ids)) or len(asset_ids) > MAX_EXPORT_IDS):
        raise InvalidInput(f"at most {MAX_EXPORT_IDS:,} asset ids, each once", field="asset_ids")
    moment = now()
    filename = f"export-{moment:%Y%m%d-%H%M%S}.zip"
    if folder_id is not None:
        folder = deps.folders.get(tenant, folder_id)
        if folder is None or folder.deleting:
            raise NotFound(f"folder {folder_id} not found", field="folder_id")
        filename = f"{folder.name}.zip"
    record = ExportRecord(
        id=secrets.token_hex(16),
        tenant=tenant,
        asset_ids=asset_ids,
        folder_id=folder_id,
        share_id=share_id,
        query=query.model_dump(mode="json", exclude_defaults=True) if query else None,
        filename=filename,
        created_at=moment,
        updated_at=moment,
        expires_at=int((moment + timedelta(days=schema.EXPORT_EXPIRY_DAYS)).timestamp()),
    )
    deps.exports.add(record)
    enqueue(deps, ExportJob(tenant=tenant, export_id=record.id))
    return record


def enqueue(deps: Deps, job: ExportJob) -> None:
    deps.export_jobs.send(job.model_dump_json())


def get(deps: Deps, tenant: str, export_id: str) -> Export:
    """The export; once ready, with a fresh presigned URL of its zip. An expired one is gone at once, whenever
    DynamoDB's TTL (within days) removes its item."""
    record = deps.exports.get(tenant, export_id)
    if record is None or record.expires_at <= now().timestamp():
        raise NotFound(f"export {export_id} not found")
    if record.status != "ready":
        return record.public()
    link = presigned(deps, schema.export_key(tenant, export_id), record.filename, ZIP_TYPE)
    return record.public(url=link.url, url_expires_at=link.expires_at)


def _part_bytes(plan: list[Planned]) -> int:
    """The smallest part size (whole MiB, at least `schema.MIN_PART_BYTES`) that fits the zip in S3's parts."""
    estimate = sum(item.size + ENTRY_OVERHEAD + 2 * len((item.path or "").encode()) for item in plan)
    estimate += 200 * len(plan) + 64 * 1024  # the manifest
    if estimate > MAX_ZIP_BYTES:
        raise InvalidInput(f"the zip would be over {MAX_ZIP_BYTES // 1024**3:,} GiB: export fewer assets at a time")
    mib = 1024 * 1024
    return max(schema.MIN_PART_BYTES, math.ceil(estimate / (schema.MAX_PARTS - 1) / mib) * mib)


def _zip_time(created_at: str) -> tuple[int, ...]:
    moment = datetime.strptime(created_at, schema.TIMESTAMP_FORMAT)
    return max(tuple(moment.timetuple())[:6], EARLIEST_ZIP_TIME)


def _add(archive: zipfile.ZipFile, item: Planned, chunks: Iterator[bytes] | None) -> bool:
    """Stream the original into the zip; False when it is gone (purged since the plan was made)."""
    if chunks is None:
        return False
    info = zipfile.ZipInfo(item.path or "", _zip_time(item.created_at))
    info.file_size = item.size  # over 4 GiB: a ZIP64 entry (decided before the data, which is not seekable)
    info.compress_type = compression(item.content_type)
    info.external_attr = 0o644 << 16
    with archive.open(info, "w") as target:
        for chunk in chunks:
            target.write(chunk)
    return True


def _manifest(archive: zipfile.ZipFile, plan: list[Planned]) -> None:
    with archive.open(MANIFEST, "w") as target, io.TextIOWrapper(target, encoding="utf-8", newline="") as text:
        rows = csv.writer(text)
        rows.writerow(MANIFEST_COLUMNS)
        for item in plan:
            exported = item.skip is None
            rows.writerow(
                (
                    item.path or "",
                    item.asset_id,
                    (item.sha256 or "") if exported else "",
                    item.size if exported else "",
                    item.skip or "exported",
                )
            )


def _progress(deps: Deps, record: ExportRecord, state: State) -> ExportRecord:
    changes = {"done": state.cursor, "skipped": state.skipped, "updated_at": stored(now())}
    return deps.exports.update(record, changes, statuses=("running",)) or record


def _begin(deps: Deps, record: ExportRecord) -> tuple[ExportRecord, State]:
    """The first round: the plan, the multipart upload, `running` with its total."""
    plan = export_plan.plan(deps, record)
    state = State(
        upload_id=deps.storage.start_multipart(schema.export_key(record.tenant, record.id), ZIP_TYPE),
        part_bytes=_part_bytes(plan),
        plan=plan,
    )
    # `running` before the state is kept: a round that finds no state starts again (a new upload; the lifecycle
    # rule aborts the other), one that finds it finds the export `running`
    changes = {"status": "running", "total": len(plan), "done": 0, "skipped": 0, "updated_at": stored(now())}
    running = found(
        deps.exports.update(record, changes, statuses=("pending", "running")), f"export {record.id} ended meanwhile"
    )
    deps.storage.put(schema.export_state_key(record.tenant, record.id), state.dumps(), "application/gzip")
    return running, state


def run(deps: Deps, job: ExportJob, out_of_time: OutOfTime) -> bool:
    """One round of the export; False when time ran out before the end (send it again)."""
    record = deps.exports.get(job.tenant, job.export_id)
    if record is None or record.status in ("ready", "failed"):
        return True
    tenant, key = record.tenant, schema.export_key(record.tenant, record.id)
    saved = deps.storage.read(schema.export_state_key(tenant, record.id))
    if saved is not None and (completed := deps.storage.head(key)) is not None:  # by a round that failed after it
        return _ready(deps, record, State.loads(saved), completed["size"])
    if saved is None:
        record, state = _begin(deps, record)
        carry = b""
    else:
        state = State.loads(saved)
        carry = deps.storage.read(schema.export_carry_key(tenant, record.id)) or b""
    writer = zipstream.PartWriter(
        lambda number, data: deps.storage.upload_part(key, state.upload_id, number, data),
        state.part_bytes,
        offset=state.offset,
        etags=state.etags,
        carry=carry,
    )
    archive = zipstream.resume(writer, map(zipstream.restored, state.entries))
    reported = time.monotonic()
    wanted = (item.key or "" for item in state.plan[state.cursor :] if item.skip is None)
    with contextlib.closing(writer), contextlib.closing(deps.storage.stream_each(wanted)) as originals:
        try:
            while state.cursor < len(state.plan):
                item = state.plan[state.cursor]
                if item.skip is None and not _add(archive, item, next(originals)):
                    item.skip, item.path = "not_found", None
                state.cursor += 1
                if state.cursor < len(state.plan) and out_of_time():
                    _suspend(deps, record, state, archive, writer)
                    return False
                if time.monotonic() - reported >= PROGRESS_SECONDS:
                    record, reported = _progress(deps, record, state), time.monotonic()
            _manifest(archive, state.plan)
        except BaseException:
            zipstream.suspend(archive)  # a failed round writes nothing more; the next resumes from the state kept
            raise
        archive.close()
        etags = writer.finish()
    deps.storage.complete_multipart(key, state.upload_id, etags)
    return _ready(deps, record, state, writer.offset)


def _ready(deps: Deps, record: ExportRecord, state: State, size: int) -> bool:
    """The zip is complete: `ready`, then its state removed (a failure between leaves it to the lifecycle rule)."""
    changes = {
        "status": "ready",
        "done": state.cursor,
        "skipped": state.skipped,
        "size": size,
        "updated_at": stored(now()),
    }
    deps.exports.update(record, changes, statuses=("running",))
    deps.storage.delete_keys(
        [schema.export_state_key(record.tenant, record.id), schema.export_carry_key(record.tenant, record.id)]
    )
    logger.info("export ready", extra={"export_id": record.id, "entries": len(state.plan), "size": size})
    return True


def _suspend(
    deps: Deps, record: ExportRecord, state: State, archive: zipfile.ZipFile, writer: zipstream.PartWriter
) -> None:
    """Leave the zip between two entries, with what the next round needs under the export's prefix."""
    zipstream.suspend(archive)
    state.offset, state.etags = writer.offset, writer.sent()
    state.entries = [zipstream.saved(info) for info in archive.filelist]
    carry = schema.export_carry_key(record.tenant, record.id)
    deps.storage.put(carry, writer.unsent(), "application/octet-stream")
    deps.storage.put(schema.export_state_key(record.tenant, record.id), state.dumps(), "application/gzip")
    _progress(deps, record, state)
    logger.info("export continues", extra={"export_id": record.id, "done": state.cursor, "offset": state.offset})


def fail(deps: Deps, job: ExportJob, error: str) -> None:
    """End the export `failed` with `error`: its multipart upload aborted, its state removed."""
    record = deps.exports.get(job.tenant, job.export_id)
    if record is None or record.status in ("ready", "failed"):
        return
    state_key = schema.export_state_key(record.tenant, record.id)
    saved = deps.storage.read(state_key)
    if saved is not None:
        deps.storage.abort_multipart(schema.export_key(record.tenant, record.id), State.loads(saved).upload_id)
    deps.storage.delete_keys([state_key, schema.export_carry_key(record.tenant, record.id)])
    changes = {"status": "failed", "error": error, "updated_at": stored(now())}
    deps.exports.update(record, changes, statuses=("pending", "running"))
    logger.warning("export failed", extra={"export_id": record.id, "error": error})
