"""What a delivery URL answers: the original, a rendition or a transform, inline or through S3.

A Lambda response holds 6 MB (base64 makes the bytes a third larger), so a file or transform result over
`DELIVERY_INLINE_BYTES` is answered with a redirect to a short-lived URL of the object: the original or the
rendition itself, or the transform's result, which is stored once under `transforms/` for the next request.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePosixPath

from functions import schema
from functions.errors import InvalidInput, TooLarge
from functions.models.assets import AssetRecord
from functions.services import delivery
from functions.services.deps import Deps

REDIRECT_SHARE = 2
"""A redirect is cached for at most half the lifetime of the URL it points to."""


@dataclass(frozen=True)
class Delivered:
    content_type: str
    cache_seconds: int
    data: bytes | None = None
    location: str | None = None
    filename: str | None = None
    vary_accept: bool = False


def deliver(deps: Deps, path: str, params: Mapping[str, str], accept: str, moment: datetime) -> Delivered:
    request = delivery.check(deps.settings, delivery.secret(deps), path, params, moment)
    record = delivery.visible(request, deps.table.get_asset(request.tenant, request.asset_id), moment)
    seconds = delivery.cache_seconds(deps.settings, record, request, moment)
    revision = record.original_revision or ""
    if request.transform is not None:
        return _transformed(deps, record, request, accept, seconds)
    if request.rendition:
        rendition = next(r for r in record.renditions if r.name == request.rendition)
        key = schema.rendition_key(record.tenant, record.id, revision, rendition.name)
        name = f"{PurePosixPath(record.filename).stem}-{rendition.name}.webp"
        return _file(deps, key, rendition.size, rendition.content_type, name, seconds)
    key = schema.original_key(record.tenant, record.id, revision)
    return _file(deps, key, record.size, record.content_type, record.filename, seconds)


def _file(deps: Deps, key: str, size: int, content_type: str, filename: str, seconds: int) -> Delivered:
    if size <= deps.settings.delivery_inline_bytes:
        return Delivered(content_type, seconds, data=b"".join(deps.storage.stream(key)), filename=filename)
    return _redirect(deps, key, content_type, filename, seconds)


def _redirect(deps: Deps, key: str, content_type: str, filename: str, seconds: int) -> Delivered:
    """To the bucket behind the CDN with a CloudFront-signed URL; locally (no key pair) a presigned GET of the
    local S3 endpoint."""
    ttl = deps.settings.download_url_ttl_seconds
    if deps.edge is not None:
        location = deps.edge.url(key, int(time.time()) + ttl)
    else:
        location = deps.storage.presign_get(key, filename, content_type, ttl, inline=True)
    return Delivered(content_type, min(seconds, ttl // REDIRECT_SHARE), location=location, filename=filename)


def _transformed(deps: Deps, record: AssetRecord, request: delivery.Request, accept: str, seconds: int) -> Delivered:
    from functions.services import transforms

    transform = request.transform
    assert transform is not None
    vary = transform.fm == "auto"
    key = _result_key(record, request, accept)
    if (stored := deps.storage.head(key)) is not None:
        content_type = stored["content_type"]
        return replace(_redirect(deps, key, content_type, _name(record, content_type), seconds), vary_accept=vary)
    if record.kind == "document" and record.metadata.format != "PDF":
        raise InvalidInput("only images and PDFs can be transformed", field="w")
    if record.size > deps.settings.max_decoded_bytes:
        raise TooLarge(f"the file is over {deps.settings.max_decoded_bytes} bytes; it is not transformed")
    revision = record.original_revision or ""
    with tempfile.SpooledTemporaryFile(max_size=deps.settings.memory_file_bytes) as source:
        for chunk in deps.storage.stream(schema.original_key(record.tenant, record.id, revision)):
            source.write(chunk)
        source.seek(0)
        try:
            rendered = transforms.render(
                source,
                record.kind,
                transform,
                record.focal_point,
                accept,
                deps.settings.max_image_pixels,
                deps.settings.delivery_max_dimension,
            )
        except (TooLarge, InvalidInput):
            raise
        except Exception as error:  # Pillow and PDFium raise many kinds on a file they can't read
            raise InvalidInput(f"this {record.kind} cannot be transformed", field="w") from error
    name = _name(record, rendered.content_type)
    if len(rendered.data) <= deps.settings.delivery_inline_bytes:
        return Delivered(rendered.content_type, seconds, data=rendered.data, filename=name, vary_accept=vary)
    deps.storage.put(key, rendered.data, rendered.content_type)
    return replace(_redirect(deps, key, rendered.content_type, name, seconds), vary_accept=vary)


def _name(record: AssetRecord, content_type: str) -> str:
    extension = content_type.removeprefix("image/")
    return f"{PurePosixPath(record.filename).stem}.{'jpg' if extension == 'jpeg' else extension}"


def _result_key(record: AssetRecord, request: delivery.Request, accept: str) -> str:
    """One object per source revision, parameters, focal point and chosen format."""
    transform = request.transform
    assert transform is not None
    chosen = transform.fm if transform.fm != "auto" else accepted(accept)
    focal = record.focal_point.model_dump_json() if record.focal_point else ""
    digest = hashlib.sha256(f"{transform.model_dump_json()}|{chosen}|{focal}".encode()).hexdigest()[:32]
    return schema.transform_key(record.tenant, record.id, record.original_revision or "", digest)


def accepted(accept: str) -> str:
    """The part of `Accept` a `fm=auto` result depends on; the CDN's cache key holds the same."""
    accept = accept.lower()
    return "avif" if "image/avif" in accept else "webp" if "image/webp" in accept else "other"
