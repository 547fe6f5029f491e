"""Export models: a zip of many assets, made in the background and downloaded from a presigned URL."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, Field, model_validator

from functions.models.assets import MAX_TAGS, ContentType, Kind, Tag
from functions.models.common import AssetId, FolderId, Input, Model, TenantId, Timestamp, rfc_3339

MAX_EXPORT_IDS = 1000
"""Asset ids one export may name."""
ExportId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Export identifier (32 lowercase hex characters).")
]
ExportStatus = Literal["pending", "running", "ready", "failed"]
Moment = Annotated[
    Annotated[AwareDatetime, Field(strict=False), BeforeValidator(rfc_3339)] | None,
    Field(description="RFC 3339 date-time with its offset, e.g. `2026-01-31T09:00:00Z`. Exclusive."),
]


def _distinct_ids(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("asset ids must be unique")
    return ids


class ExportQuery(Input):
    """The filters of `GET /v1/assets` (same names, same meaning); every match that is `ready` is exported."""

    kind: Annotated[Kind | None, Field(description="Only assets of this kind.")] = None
    content_type: Annotated[ContentType | None, Field(description="Only assets of this media type.")] = None
    folder_id: Annotated[
        str | None,
        Field(
            pattern=r"^([0-9a-f]{32}|root)$",
            description="Only the assets directly in this folder; `root`: at the root level.",
        ),
    ] = None
    recursive: Annotated[
        bool, Field(description="With `folder_id`: every asset of the folder's subtree, not only its own.")
    ] = False
    tag: Annotated[
        list[Tag] | None,
        Field(max_length=MAX_TAGS, description="Only assets with every one of these tags (any case)."),
    ] = None
    q: Annotated[
        str | None, Field(max_length=200, description="Keywords, as `q` of `GET /v1/assets`: each starts a word.")
    ] = None
    created_after: Moment = None
    created_before: Moment = None
    updated_after: Moment = None
    updated_before: Moment = None


class ExportRequest(Input):
    """Exactly one of `asset_ids`, `folder_id` and `query` (the others absent; null is refused like any other value
    of the wrong type, so the document's `oneOf` says exactly what is accepted)."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": [name]} for name in ("asset_ids", "folder_id", "query")]}
    )

    asset_ids: Annotated[
        list[AssetId],
        Field(
            min_length=1,
            max_length=MAX_EXPORT_IDS,
            description=f"1 to {MAX_EXPORT_IDS:,} distinct asset ids; in the zip in this order.",
        ),
        AfterValidator(_distinct_ids),
    ] = None  # type: ignore[assignment]  # absent; null is refused
    folder_id: Annotated[
        FolderId, Field(description="The folder's whole subtree, its folder paths kept inside the zip.")
    ] = None  # type: ignore[assignment]
    query: Annotated[ExportQuery, Field(description="Every match of these `GET /v1/assets` filters.")] = None  # type: ignore[assignment]

    @model_validator(mode="after")
    def _exactly_one(self) -> ExportRequest:
        given = [name for name in ("asset_ids", "folder_id", "query") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"exactly one of asset_ids, folder_id and query, not {len(given) or 'none'}")
        return self


class Progress(Model):
    done: Annotated[int, Field(description="Assets handled so far (written to the zip or skipped).")]
    total: Annotated[int | None, Field(description="Assets to handle; null until the export has started.")]


class ExportCreated(Model):
    id: ExportId
    status: Annotated[Literal["pending"], Field(description="Always `pending`: poll `GET /v1/exports/{id}`.")]


class Export(Model):
    id: ExportId
    status: Annotated[
        ExportStatus,
        Field(description="`pending` (queued), `running`, `ready` (`url` set) or `failed` (`error` set)."),
    ]
    progress: Progress
    skipped: Annotated[
        int, Field(description="Assets left out so far: not ready, trashed or not found (the manifest names them).")
    ] = 0
    size: Annotated[int | None, Field(description="Bytes of the zip, once ready.")] = None
    url: Annotated[
        str | None,
        Field(description="Once ready: a presigned GET of the zip (valid `DOWNLOAD_URL_TTL_SECONDS`), with its name."),
    ] = None
    url_expires_at: Annotated[Timestamp | None, Field(description="When `url` stops working; read again.")] = None
    expires_at: Annotated[Timestamp, Field(description="When the export and its zip are removed.")]
    created_at: Timestamp
    error: Annotated[str | None, Field(description="Why it failed.")] = None


class ExportRecord(Model):
    """An export as stored (pk `T#{tenant}#E#{id}`, sk `EXPORT`)."""

    id: ExportId
    tenant: TenantId
    status: ExportStatus = "pending"
    asset_ids: list[AssetId] | None = None
    share_id: Annotated[
        str | None,
        Field(
            description='Made by this share\'s "download all": only what its page shows goes in, only its URL reads it.'
        ),
    ] = None
    folder_id: FolderId | None = None
    query: dict[str, Any] | None = None
    """`ExportQuery` as JSON."""
    filename: Annotated[str, Field(description="The name the zip downloads as.")]
    done: int = 0
    total: int | None = None
    skipped: int = 0
    size: int | None = None
    error: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
    expires_at: Annotated[int, Field(description="Epoch seconds for DynamoDB TTL.")]

    def public(self, url: str | None = None, url_expires_at: datetime | None = None) -> Export:
        return Export(
            id=self.id,
            status=self.status,
            progress=Progress(done=self.done, total=self.total),
            skipped=self.skipped,
            size=self.size,
            url=url,
            url_expires_at=url_expires_at,
            expires_at=datetime.fromtimestamp(self.expires_at, self.created_at.tzinfo),
            created_at=self.created_at,
            error=self.error,
        )


class ExportJob(Model):
    """A message on the exports queue: one round of an export's zip."""

    tenant: TenantId
    export_id: ExportId
    round: Annotated[int, Field(description="How many runs of this export came before (each until time ran out).")] = 0


class ExportEventDetail(Model):
    """`detail` of the `export.*` events."""

    id: Annotated[str, Field(description="The change's own id, the same on every delivery of it.")]
    tenant: TenantId
    export: Annotated[Export, Field(description="The export; `url` is null: read the export for a fresh one.")]
