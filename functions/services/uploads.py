"""How a file's bytes reach the bucket: one presigned POST up to `SINGLE_UPLOAD_BYTES`, a multipart upload of
presigned parts beyond it, up to `MAX_UPLOAD_BYTES` (at most S3's 5 TiB).

A multipart upload is S3's own, at the key a POST would write (`uploads/...`): completing it makes the object,
whose notification the processor takes like any other (see `functions.services.multipart`). S3's id for it
never leaves the service: the client holds an `upload_id` of ours, a tenant-scoped item.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from functions import schema
from functions.errors import TooLarge
from functions.models.uploads import (
    FIRST_PART_URLS,
    MultipartTicket,
    PartUrl,
    UploadRecord,
    UploadTicket,
)
from functions.services.deps import Deps
from functions.settings import MIB


def check_size(deps: Deps, size: int) -> None:
    """Over `MAX_UPLOAD_BYTES`, or over what the processor can read in one invocation (`MAX_HASHED_BYTES`): 413."""
    settings = deps.settings
    if size > settings.max_upload_bytes:
        raise TooLarge(f"size {size} exceeds the upload limit of {settings.max_upload_bytes} bytes", field="size")
    if size > settings.max_hashed_bytes:
        raise TooLarge(
            f"size {size} exceeds the {settings.max_hashed_bytes} bytes the processor can read within its time "
            "limit (MAX_HASHED_BYTES)",
            field="size",
        )


def part_size_for(size: int) -> int:
    """Whole MiB, at least `MIN_PART_BYTES`, and few enough parts: at most `MAX_PARTS` for `size`."""
    least = -(-size // schema.MAX_PARTS)
    return max(schema.MIN_PART_BYTES, -(-least // MIB) * MIB)


def part_urls(deps: Deps, upload: UploadRecord, numbers: list[int]) -> list[PartUrl]:
    ttl = deps.settings.upload_url_ttl_seconds
    return [PartUrl(number=n, url=deps.storage.presign_part(upload.key, upload.s3_upload_id, n, ttl)) for n in numbers]


def ticket(
    deps: Deps, tenant: str, asset_id: str, number: int, content_type: str, size: int, moment: datetime, until: int
) -> UploadTicket | MultipartTicket:
    """Where the bytes of version `number` of the asset go; `until` (epoch seconds) is when its pending record
    expires, and a multipart upload's item with it."""
    key = schema.upload_key(tenant, asset_id, number)
    ttl = deps.settings.upload_url_ttl_seconds
    expires_at = moment + timedelta(seconds=ttl)
    if size <= deps.settings.single_upload_bytes:
        post = deps.storage.presign_post(key, content_type, size, ttl)
        return UploadTicket(url=post["url"], fields=post["fields"], expires_at=expires_at)
    part_size = part_size_for(size)
    upload = UploadRecord(
        id=deps.uploads.new_id(),
        tenant=tenant,
        asset_id=asset_id,
        number=number,
        key=key,
        s3_upload_id=deps.storage.start_multipart(key, content_type),
        content_type=content_type,
        size=size,
        part_size=part_size,
        part_count=-(-size // part_size),
        created_at=moment,
        expires_at=until,
    )
    deps.uploads.put(upload)
    return MultipartTicket(
        upload_id=upload.id,
        part_size=part_size,
        part_count=upload.part_count,
        parts=part_urls(deps, upload, list(range(1, min(upload.part_count, FIRST_PART_URLS) + 1))),
        expires_at=expires_at,
    )
