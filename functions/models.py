"""API and storage models. Inputs, outputs and stored records are separate on purpose."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AssetId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Asset identifier (32 lowercase hex characters).")
]
TenantId = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$", description="Tenant identifier, resolved from the API key.")
]
Status = Literal["pending", "ready", "failed"]
Kind = Literal["image", "video", "audio", "document", "archive", "other"]

ShortText = Annotated[str, Field(max_length=500)]
Tag = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
Tags = Annotated[list[Tag], Field(max_length=50, description="Free-form labels, at most 50.")]
Filename = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        pattern=r"^[^\x00-\x1f\x7f/\\]+$",
        description="Original file name, kept as metadata and used on download. Never part of the storage key.",
    ),
]
ContentType = Annotated[
    str,
    Field(
        max_length=255,
        pattern=r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$",
        description="Media type without parameters, lowercase, e.g. `image/jpeg`.",
    ),
]


class _Model(BaseModel):
    """Schemas are built on first use, not at import: a handler pays only for the models it touches."""

    model_config = ConfigDict(defer_build=True)


class _Input(_Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class EditableFields(_Input):
    title: Annotated[ShortText | None, Field(description="Display title, at most 500 characters.")] = None
    description: Annotated[ShortText | None, Field(description="Longer description, at most 500 characters.")] = None
    alt: Annotated[ShortText | None, Field(description="Alternative text for accessibility.")] = None
    notes: Annotated[ShortText | None, Field(description="Internal notes.")] = None
    credits: Annotated[ShortText | None, Field(description="Attribution or copyright line.")] = None
    tags: Tags | None = None


class UploadRequest(EditableFields):
    filename: Filename
    content_type: ContentType
    size: Annotated[int, Field(ge=1, description="Size in bytes of the file that will be uploaded.")]


class AssetUpdate(EditableFields):
    """Fields to change. Absent fields are kept; `null` clears a text field."""


class Dimensions(_Model):
    width: Annotated[int, Field(description="Width as displayed, EXIF orientation applied.")]
    height: Annotated[int, Field(description="Height as displayed, EXIF orientation applied.")]
    stored_width: Annotated[int, Field(description="Width of the stored pixel data.")]
    stored_height: Annotated[int, Field(description="Height of the stored pixel data.")]
    orientation: Annotated[int, Field(ge=1, le=8, description="Raw EXIF orientation (1 when absent).")]


class AssetMetadata(_Model):
    model_config = ConfigDict(extra="allow", defer_build=True)

    detected_content_type: Annotated[
        str | None, Field(description="Type sniffed from the bytes; null when the format has no signature.")
    ] = None
    declared_content_type: Annotated[
        str | None, Field(description="Type the client declared, when it differs from the detected one.")
    ] = None
    format: Annotated[str | None, Field(description="Decoder format name, e.g. `JPEG`.")] = None
    dimensions: Dimensions | None = None


class AssetBase(_Model):
    id: AssetId
    status: Annotated[Status, Field(description="`pending` until the upload is processed, then `ready` or `failed`.")]
    kind: Kind
    filename: Filename
    content_type: ContentType
    size: Annotated[int, Field(description="Size in bytes: declared while pending, measured once processed.")]
    title: str | None = None
    description: str | None = None
    alt: str | None = None
    notes: str | None = None
    credits: str | None = None
    tags: list[str] = []
    created_at: datetime
    updated_at: datetime
    sha1: Annotated[str | None, Field(description="Hex SHA-1 of the bytes, once processed.")] = None
    sha256: Annotated[str | None, Field(description="Hex SHA-256 of the bytes, once processed.")] = None
    metadata: AssetMetadata = AssetMetadata()
    error: Annotated[str | None, Field(description="Why processing failed, when `status` is `failed`.")] = None


class Asset(AssetBase):
    """An asset as the API returns it."""


class AssetRecord(AssetBase):
    """An asset as stored, with the fields that never leave the service."""

    tenant: TenantId
    expires_at: Annotated[int | None, Field(description="Epoch seconds for DynamoDB TTL while pending.")] = None
    event_pending: Annotated[
        str | None, Field(description="Detail type of an event written but not yet confirmed on the bus.")
    ] = None

    def public(self) -> Asset:
        return Asset.model_validate(self.model_dump(include=set(Asset.model_fields)))


class UploadTicket(_Model):
    method: Literal["POST"] = "POST"
    url: Annotated[str, Field(description="Presigned S3 URL to POST the file to as multipart/form-data.")]
    fields: Annotated[dict[str, str], Field(description="Form fields to send before the `file` field, verbatim.")]
    expires_at: datetime


class UploadCreated(_Model):
    asset: Asset
    upload: UploadTicket


class AssetPage(_Model):
    items: list[Asset]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class ErrorBody(_Model):
    error: Annotated[str, Field(description="Stable machine-readable code.")]
    message: Annotated[str, Field(description="Human-readable explanation.")]
    field: Annotated[str | None, Field(description="The first offending input field, when there is one.")] = None


class ApiKeyRecord(_Model):
    tenant: TenantId
    scopes: list[str]
    created_at: datetime
    label: str | None = None


class EventDetail(_Model):
    """`detail` of every `asset.*` event on the bus."""

    tenant: TenantId
    asset: Asset


JSON = dict[str, Any]
