"""Share models: a link that hands some assets, or a folder's subtree, to people without an API key."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator

from functions.models.assets import Kind
from functions.models.common import AssetId, FolderId, Input, Model, Sparse, TenantId, Timestamp, whole
from functions.models.delivery import When

MAX_SHARED_ASSETS = 1000
RETAINED_SECONDS = 30 * 86_400
"""An expired share answers 410 this long; then DynamoDB's TTL removes it and its URL answers 404."""


def ttl_of(expires_at: datetime | None) -> int | None:
    """Epoch seconds when DynamoDB removes a share that expires then (and its token); None: never."""
    return int(expires_at.timestamp()) + RETAINED_SECONDS if expires_at else None


ShareId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Share identifier (32 lowercase hex characters, time-ordered).")
]
Note = Annotated[str, Field(max_length=1000, description="A message shown on the share's page.")]
Password = Annotated[
    str,
    Field(
        min_length=8,
        max_length=128,
        pattern=r"\S",
        description="Asked on the share's page before anything is shown; stored only as a scrypt hash.",
    ),
]
MaxDownloads = Annotated[
    int,
    Field(ge=1, le=1_000_000, description="Downloads through the share after which it answers 410."),
    BeforeValidator(whole),
]


def _distinct(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("each asset id may appear once")
    return ids


class ShareRequest(Input):
    """Exactly one of `asset_ids` and `folder_id`."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["asset_ids"]}, {"required": ["folder_id"]}]})

    asset_ids: Annotated[
        list[AssetId],
        Field(
            min_length=1,
            max_length=MAX_SHARED_ASSETS,
            json_schema_extra={"uniqueItems": True},
            description="The assets shared, 1 to 1,000, each once, in order.",
        ),
        AfterValidator(_distinct),
    ] = None  # type: ignore[assignment]  # absent, never null: exactly one of the two is sent
    folder_id: Annotated[FolderId, Field(description="Share this folder's whole subtree, as it is at each visit.")] = (
        None  # type: ignore[assignment]
    )
    expires_at: Annotated[When | None, Field(description="In the future; after it the URL answers 410.")] = None
    password: Password | None = None
    max_downloads: MaxDownloads | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _one_target(self) -> ShareRequest:
        if (self.asset_ids is None) == (self.folder_id is None):
            raise ValueError("give exactly one of asset_ids and folder_id")
        return self


class ShareUpdate(Input):
    """Only the fields sent change; `null` removes an expiry, a password or a note."""

    expires_at: Annotated[When | None, Field(description="In the future, or null: never.")] = None
    password: Password | None = None
    note: Note | None = None


class Share(Model):
    id: ShareId
    url: Annotated[
        str | None,
        Field(
            description="The public URL, with its token: returned once, when the share is created (only a hash of "
            "the token is kept); null afterwards."
        ),
    ] = None
    asset_ids: Annotated[list[AssetId] | None, Field(description="The assets shared; null for a folder share.")] = None
    folder_id: Annotated[FolderId | None, Field(description="The folder shared; null for assets.")] = None
    expires_at: Timestamp | None = None
    max_downloads: int | None = None
    download_count: Annotated[int, Field(description="Downloads through this share (a zip counts once).")] = 0
    has_password: bool = False
    note: str | None = None
    created_at: Timestamp
    updated_at: Timestamp


class ShareRecord(Share):
    tenant: TenantId
    token_hash: Annotated[str, Field(description="Hex SHA-256 of the URL's token.")]
    password_hash: Annotated[str | None, Field(description="scrypt hash of the password, with its salt.")] = None
    failures: Annotated[int, Field(description="Wrong passwords since the last lock.")] = 0
    locked_until: Annotated[Timestamp | None, Field(description="No password is checked before then.")] = None

    @property
    def ttl(self) -> int | None:
        return ttl_of(self.expires_at)

    def public(self) -> Share:
        return Share.model_validate(self.model_dump(include=set(Share.model_fields) - {"url"}))


class SharePage(Model):
    items: Annotated[list[Share], Field(description="The newest first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class Unlock(Input):
    password: Annotated[str, Field(min_length=1, max_length=128, pattern=r"\S", description="The share's password.")]


class Access(Model):
    access: Annotated[str, Field(description="Pass as `access` on the share's URLs.")]
    expires_at: Annotated[Timestamp, Field(description="When `access` stops working; unlock again then.")]


class SharedAsset(Sparse):
    """What a share shows of an asset: what its page needs, nothing else (fields that do not apply left out)."""

    id: AssetId
    kind: Kind
    filename: Annotated[str | None, Field(description="Null for a link or an external video.")] = None
    title: str | None = None
    alt: str | None = None
    content_type: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    thumbnail_url: Annotated[str | None, Field(description="A small rendition, through the delivery URLs.")] = None
    download_url: Annotated[
        str | None,
        Field(description="Downloads the original; counts as a download of the share. Null for a link or a video."),
    ] = None
    url: Annotated[str | None, Field(description="A link's or an external video's own address.")] = None
    embed_url: Annotated[str | None, Field(description="An external video's player.")] = None


class SharedPage(Model):
    """The share's contents for a program (`Accept: application/json`)."""

    note: str | None = None
    expires_at: Timestamp | None = None
    assets: Annotated[list[SharedAsset], Field(description="Ready assets inside their availability window.")]
    next_cursor: Annotated[str | None, Field(description="Folder shares: pass as `cursor` for more.")] = None
