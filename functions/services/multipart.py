"""A multipart upload's life after it is created (`functions.services.uploads`): fresh part URLs, completion
and abort.

Completing checks every part against S3's own list before S3 assembles the object: parts 1..n in order, each
ETag the one S3 answered for that part (a missing part or a wrong ETag is a 400 naming it), and no more bytes
than were declared. Completing twice answers as the first time did. Aborting frees the parts and removes what
the upload was for: the pending asset (purged, as a DELETE of it would), or the pending version.
"""

from __future__ import annotations

from datetime import timedelta

from functions.errors import Conflict, InvalidInput, NotFound, found
from functions.models.uploads import CompleteRequest, PartsRequest, PartUrls, UploadCompleted, UploadRecord
from functions.services import delivery, trash, versions
from functions.services.assets import existing, now
from functions.services.deps import Deps
from functions.services.uploads import part_urls

S3_MIN_PART_BYTES = 5 * 1024 * 1024
"""S3 refuses to complete an upload with a part under this, but the last."""


def _upload(deps: Deps, tenant: str, upload_id: str) -> UploadRecord:
    return found(deps.uploads.get(tenant, upload_id), f"upload {upload_id} not found")


def sign_parts(deps: Deps, tenant: str, upload_id: str, request: PartsRequest) -> PartUrls:
    upload = _upload(deps, tenant, upload_id)
    if upload.completed:
        raise Conflict(f"upload {upload_id} is completed; there is nothing left to upload")
    beyond = [n for n in request.numbers if n > upload.part_count]
    if beyond:
        raise InvalidInput(f"the upload has {upload.part_count} parts; there is no part {beyond[0]}", field="numbers")
    numbers = sorted(set(request.numbers))
    expires_at = now() + timedelta(seconds=deps.settings.upload_url_ttl_seconds)
    return PartUrls(parts=part_urls(deps, upload, numbers), expires_at=expires_at)


def _check_parts(upload: UploadRecord, request: CompleteRequest, uploaded: dict[int, dict]) -> list[str]:
    """The ETags to complete with, or a 400 naming the first part that is wrong."""
    etags = []
    for expected, part in enumerate(request.parts, 1):
        if part.number != expected:
            raise InvalidInput(f"parts must be listed from 1, in order: part {expected} is missing", field="parts")
        found_part = uploaded.get(part.number)
        if found_part is None:
            raise InvalidInput(f"part {part.number} was not uploaded", field="parts")
        if found_part["etag"].strip('"') != part.etag.strip('"'):
            raise InvalidInput(f"part {part.number}: the etag is not the one S3 answered for it", field="parts")
        etags.append(found_part["etag"])
    sizes = [uploaded[number]["size"] for number in range(1, len(etags) + 1)]
    small = next((n for n, size in enumerate(sizes[:-1], 1) if size < S3_MIN_PART_BYTES), None)
    if small is not None:
        raise InvalidInput(
            f"part {small} has {sizes[small - 1]} bytes; every part but the last needs at least 5 MiB", field="parts"
        )
    total = sum(sizes)
    if total > upload.size:
        raise InvalidInput(f"the parts hold {total} bytes, more than the {upload.size} declared", field="parts")
    return etags


def complete(deps: Deps, tenant: str, upload_id: str, request: CompleteRequest) -> UploadCompleted:
    upload = _upload(deps, tenant, upload_id)
    if not upload.completed:
        gone = Conflict(f"upload {upload_id} was aborted or has expired; start a new one")
        uploaded = deps.storage.parts(upload.key, upload.s3_upload_id)
        if uploaded is None:
            raise gone
        etags = _check_parts(upload, request, uploaded)
        completed = deps.storage.complete_multipart(upload.key, upload.s3_upload_id, etags)
        if not completed and not _upload(deps, tenant, upload_id).completed:  # not a concurrent complete: aborted
            raise gone
        deps.uploads.complete(upload)
    return UploadCompleted(asset=delivery.shown(deps, existing(deps, tenant, upload.asset_id)), version=upload.number)


def abort(deps: Deps, tenant: str, upload_id: str) -> None:
    upload = _upload(deps, tenant, upload_id)
    if upload.completed:
        raise Conflict(f"upload {upload_id} is completed; delete the asset or the version instead")
    deps.storage.abort_multipart(upload.key, upload.s3_upload_id)
    try:
        if upload.number == 1:
            trash.delete(deps, tenant, upload.asset_id, permanent=True)
        else:
            versions.delete_version(deps, tenant, upload.asset_id, upload.number)
    except NotFound:  # already gone (deleted, or expired): nothing left to remove
        pass
    deps.uploads.delete(upload)
