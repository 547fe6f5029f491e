"""Versions of an asset's file: a new upload replaces the file and keeps the asset's id."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from functions.models.assets import (
    Asset,
    AssetMetadata,
    AssetRecord,
    ContentType,
    Filename,
    Kind,
    Rendition,
    Status,
    UploadSize,
)
from functions.models.common import AssetId, Input, Model, Sha256, TenantId, Timestamp
from functions.models.uploads import Upload
from functions.schema import MAX_VERSIONS

VersionNumber = Annotated[int, Field(ge=1, le=MAX_VERSIONS, description="The version's number, from 1.")]


class VersionRequest(Input):
    """The new file of an asset."""

    filename: Filename
    content_type: ContentType
    size: UploadSize
    sha256: Annotated[
        Sha256 | None,
        Field(description="SHA-256 of the file, when the client knows it: the version fails if its bytes differ."),
    ] = None


class Version(Model):
    """One version of an asset's file, as the API returns it."""

    number: VersionNumber
    status: Annotated[
        Status,
        Field(
            description="`pending` until its upload is processed, then `ready` or `failed` (the asset keeps "
            "serving its current version when a new one fails)."
        ),
    ]
    current: Annotated[bool, Field(description="The version the asset serves.")] = False
    filename: Filename
    content_type: ContentType
    size: Annotated[int, Field(description="Size in bytes: declared while pending, measured once processed.")]
    sha256: Annotated[str | None, Field(description="Hex SHA-256 of its bytes, once processed.")] = None
    created_at: Timestamp
    error: Annotated[str | None, Field(description="Why it failed, when `status` is `failed`.")] = None
    restored_from: Annotated[
        int | None, Field(description="The version whose bytes it copies, when it was made by a restore.")
    ] = None


class VersionRecord(Version):
    """A version as stored: with its file's metadata and renditions, so that it can become current again."""

    tenant: TenantId
    asset_id: AssetId
    kind: Kind
    sha1: str | None = None
    metadata: AssetMetadata = AssetMetadata()
    renditions: list[Rendition] = []
    original_revision: Annotated[
        str | None, Field(description="Its sealed copy under `originals/{tenant}/{id}/`, once processed.")
    ] = None
    expected_sha256: Sha256 | None = None
    attempts: Annotated[int, Field(description="Processing attempts started on its upload.")] = 0
    attempt_revisions: Annotated[list[str], Field(description="What its processing attempts sealed.")] = []
    expires_at: Annotated[int | None, Field(description="Epoch seconds for DynamoDB TTL while pending.")] = None

    @classmethod
    def of_asset(cls, record: AssetRecord) -> VersionRecord:
        """The version an asset serves, from the asset record (which holds the same file fields)."""
        return cls.model_validate(
            record.model_dump(include=set(cls.model_fields) - {"attempts", "attempt_revisions", "expires_at"})
            | {"number": record.version, "asset_id": record.id}
        )

    def file(self) -> dict:
        """What an asset takes from this version when it becomes current."""
        return self.model_dump(
            mode="json", include={"filename", "content_type", "size", "kind", "sha1", "sha256", "metadata"}
        ) | {
            "renditions": [rendition.model_dump(mode="json") for rendition in self.renditions],
            "original_revision": self.original_revision,
            "version": self.number,
        }

    def public(self, current: int) -> Version:
        return Version.model_validate(
            self.model_dump(include=set(Version.model_fields)) | {"current": self.number == current}
        )


class VersionPage(Model):
    items: Annotated[list[Version], Field(description="The newest first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class VersionChange(Model):
    asset: Annotated[Asset, Field(description="The asset (a new version becomes current once it is processed).")]
    version: Version


class VersionCreated(VersionChange):
    upload: Annotated[Upload, Field(description="Where to send the new file.")]
