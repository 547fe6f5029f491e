"""Uploads: how a file's bytes reach the bucket, as one presigned POST or as a multipart upload of presigned parts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from functions.models.assets import Asset
from functions.models.common import AssetId, Input, Model, TenantId, Timestamp, whole
from functions.schema import MAX_PARTS

UploadId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$", description="Multipart upload identifier.")]
PartNumber = Annotated[int, Field(ge=1, le=MAX_PARTS, description="A part's number, from 1."), BeforeValidator(whole)]
MAX_PART_URLS = 1000
"""Part URLs one request hands out: 1,000 presigned URLs are about 700 KB of JSON."""
FIRST_PART_URLS = 100
"""Part URLs a new multipart upload comes with; ask for more with `POST /v1/uploads/{id}/parts`."""


class UploadTicket(Model):
    """One presigned POST (files up to `SINGLE_UPLOAD_BYTES`, 100 MiB by default)."""

    method: Literal["POST"] = "POST"
    url: Annotated[str, Field(description="Presigned S3 URL to POST the file to as multipart/form-data.")]
    fields: Annotated[dict[str, str], Field(description="Form fields to send before the `file` field, verbatim.")]
    expires_at: Timestamp


class PartUrl(Model):
    number: PartNumber
    url: Annotated[str, Field(description="Presigned S3 URL: PUT the part's bytes there; keep the `ETag` answered.")]


class MultipartTicket(Model):
    """A multipart upload (files over `SINGLE_UPLOAD_BYTES`): PUT each part to its URL, then complete it."""

    method: Literal["multipart"] = "multipart"
    upload_id: UploadId
    part_size: Annotated[
        int, Field(description="Bytes in every part but the last: part n is bytes (n-1)*part_size onwards.")
    ]
    part_count: Annotated[int, Field(description=f"Parts of a file of the declared size (at most {MAX_PARTS}).")]
    parts: Annotated[
        list[PartUrl],
        Field(
            description=f"URLs of the first {FIRST_PART_URLS} parts; the rest (and fresh ones once these expire) "
            "from `POST /v1/uploads/{upload_id}/parts`."
        ),
    ]
    expires_at: Annotated[Timestamp, Field(description="When these part URLs expire.")]


Upload = Annotated[UploadTicket | MultipartTicket, Field(discriminator="method")]


class UploadCreated(Model):
    asset: Asset
    upload: Annotated[Upload | None, Field(description="Where to send the file; null for a duplicate.")]
    duplicate: Annotated[
        bool, Field(description="True when `sha256` matched a ready asset, which is returned instead.")
    ] = False


class PartsRequest(Input):
    numbers: Annotated[
        list[PartNumber],
        Field(min_length=1, max_length=MAX_PART_URLS, description=f"The parts to sign, at most {MAX_PART_URLS}."),
    ]


class PartUrls(Model):
    parts: list[PartUrl]
    expires_at: Timestamp


class CompletedPart(Input):
    number: PartNumber
    etag: Annotated[
        str,
        Field(min_length=1, max_length=128, pattern=r"\S", description="The `ETag` S3 answered to the part's PUT."),
    ]


class CompleteRequest(Input):
    parts: Annotated[
        list[CompletedPart],
        Field(min_length=1, max_length=MAX_PARTS, description="Every uploaded part, from 1, in order."),
    ]


class UploadCompleted(Model):
    asset: Annotated[Asset, Field(description="The asset; it is processed next (a new version: then it serves it).")]
    version: Annotated[int, Field(description="The version of the asset's file this upload was for.")]


class UploadRecord(Model):
    """A multipart upload as stored: which asset and version it is for, and S3's own id for it."""

    id: UploadId
    tenant: TenantId
    asset_id: AssetId
    number: Annotated[int, Field(description="The version it uploads.")]
    key: Annotated[str, Field(description="Its object key under `uploads/`.")]
    s3_upload_id: str
    content_type: str
    size: int
    part_size: int
    part_count: int
    created_at: Timestamp
    completed: bool = False
    expires_at: Annotated[int, Field(description="Epoch seconds for DynamoDB TTL, with its pending record's.")]
