"""Asset models. Inputs, outputs and stored records are separate on purpose."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from functions.models.common import (
    AssetId,
    FolderId,
    Input,
    Model,
    Revision,
    Sha256,
    Sparse,
    TenantId,
    Timestamp,
    revision_of,
    whole,
)
from functions.models.delivery import FocalPoint, SrcsetEntry, When
from functions.settings import DEFAULT_MAX_UPLOAD_BYTES
from functions.words import fold

RenditionName = Literal["small", "large"]
Status = Literal["pending", "ready", "failed"]
FileKind = Literal["image", "video", "audio", "document", "archive", "other"]
LinkKind = Literal["link", "external_video"]
"""Assets without a file: an address, kept and never fetched (`POST /v1/assets`)."""
Kind = Literal[FileKind, LinkKind]
Provider = Literal["youtube", "vimeo"]

ShortText = Annotated[str, Field(max_length=500)]
Tag = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$")
]
"""No control characters, and something besides whitespace (which is stripped)."""
MAX_TAGS = 40
"""Per asset. A write changes the count of every tag it adds or removes in one DynamoDB transaction (at most
100 items): 40 removed and 40 added, the record, its counters and two folders fit."""


def _distinct_tags(tags: list[str] | None) -> list[str] | None:
    """Tags match ignoring case and accents: `Sunset` and `sunset` on one asset are one tag, the first kept."""
    if tags is None:
        return None
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(fold(tag.strip()), tag)
    return list(seen.values())


Tags = Annotated[
    list[Tag],
    Field(max_length=MAX_TAGS, description=f"Free-form labels, at most {MAX_TAGS}; matched ignoring case and accents."),
    AfterValidator(_distinct_tags),
]
_NOT_IN_FILENAMES = r"\x00-\x1f\x7f-\x9f/\\\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
FILENAME_PATTERN = rf"^[^{_NOT_IN_FILENAMES}]*[^{_NOT_IN_FILENAMES}.\s][^{_NOT_IN_FILENAMES}]*$"
"""No control characters, separators or slashes, no bidirectional controls (U+061C, U+200E/F, U+202A-E,
U+2066-9) or line/paragraph separators (U+2028/9, U+0085), which disguise an extension in
`Content-Disposition` (`photo\u202egpj.exe`), and not only dots and whitespace (which is stripped)."""
Filename = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        pattern=FILENAME_PATTERN,
        description="Original file name, kept as metadata and used on download. Never part of the storage key. "
        "No control, bidirectional-override or line-separator characters, no `/` or `\\`, not only dots.",
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


CustomKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
CustomValue = (
    Annotated[str, Field(max_length=500)]
    | Annotated[int, Field(gt=-(10**38), lt=10**38)]
    | Annotated[float, Field(ge=-1e125, le=1e125)]
    | bool
    | None
)
"""Numbers within what DynamoDB stores: 38 digits, magnitudes up to 1e125 (under 1e-130 is stored as 0)."""
Custom = Annotated[
    dict[CustomKey, CustomValue],
    Field(
        max_length=50,
        json_schema_extra={"additionalProperties": False},
        description="The tenant's own fields (SKU, licence, rights expiry...): at most 50 keys matching "
        "`^[a-z][a-z0-9_]{0,63}$`, each a string (at most 500 characters), a number (integers of at most 38 "
        "digits, magnitudes up to 1e125; under 1e-130 is stored as 0), a boolean or null.",
    ),
]


class Source(Input):
    """Where an asset came from (another DAM, a stock library, a CMS)."""

    name: Annotated[str, Field(min_length=1, max_length=100, description="The system, e.g. `unsplash`.")]
    id: Annotated[str | None, Field(max_length=500, description="The asset's id there.")] = None
    url: Annotated[str | None, Field(max_length=2048, pattern=r"^https?://\S+$", description="Its page there.")] = None


class EditableFields(Input):
    title: Annotated[ShortText | None, Field(description="Display title, at most 500 characters.")] = None
    description: Annotated[ShortText | None, Field(description="Longer description, at most 500 characters.")] = None
    alt: Annotated[ShortText | None, Field(description="Alternative text for accessibility.")] = None
    notes: Annotated[ShortText | None, Field(description="Internal notes.")] = None
    credits: Annotated[ShortText | None, Field(description="Attribution or copyright line.")] = None
    tags: Tags | None = None
    folder_id: Annotated[
        FolderId | None, Field(description="The folder the asset is in; null or absent: the root level.")
    ] = None
    custom: Custom | None = None
    source: Source | None = None
    is_public: Annotated[
        bool | None,
        Field(description="Delivered at a stable URL anyone may load (`url`); false (default): signed, expiring URLs."),
    ] = None
    available_from: Annotated[
        When | None, Field(description="Delivery URLs answer 404 before this; null: at once.")
    ] = None
    available_until: Annotated[
        When | None, Field(description="Delivery URLs answer 404 from this on; null: for ever.")
    ] = None
    focal_point: Annotated[
        FocalPoint | None, Field(description="What a cropping transform keeps in view; null: the centre.")
    ] = None

    @field_validator("available_until")
    @classmethod
    def _window_is_ordered(cls, until: datetime | None, info: ValidationInfo) -> datetime | None:
        since = info.data.get("available_from")
        if until and since and until <= since:
            raise PydanticCustomError("window", "available_until must be later than available_from")
        return until


UploadSize = Annotated[
    int,
    Field(
        ge=1,
        description="Size in bytes of the file that will be uploaded. Over the deployment's `MAX_UPLOAD_BYTES` "
        "(the maximum shown is the default): 413.",
        json_schema_extra={"maximum": DEFAULT_MAX_UPLOAD_BYTES},
    ),
    BeforeValidator(whole),
]


class UploadRequest(EditableFields):
    filename: Filename
    content_type: ContentType
    size: UploadSize
    sha256: Annotated[
        Sha256 | None,
        Field(
            description="SHA-256 of the file, when the client knows it. If the tenant already holds a ready asset "
            "with these bytes, that asset is returned with `duplicate: true` and nothing is uploaded; otherwise "
            "processing fails the upload when its bytes do not match."
        ),
    ] = None


class LinkRequest(EditableFields):
    kind: Annotated[
        LinkKind,
        Field(
            description="`link`: any web page; `external_video`: a YouTube or Vimeo video (watch, short or embed URL)."
        ),
    ]
    url: Annotated[
        str,
        Field(
            min_length=1,
            max_length=2048,
            description="An `https` URL with a public host name (no IP address, `localhost` or user name); for "
            "`external_video`, a YouTube or Vimeo address. Kept as sent and never fetched.",
        ),
    ]


class AssetUpdate(EditableFields):
    """Fields to change. Absent fields are kept; `null` clears a field."""


class AssetReplace(EditableFields):
    """Every editable field at once: an absent field is cleared."""


class AssetCopy(Input):
    folder_id: Annotated[
        FolderId | None,
        Field(description="Where the copy goes: absent, the source's folder; null, the root level."),
    ] = None


class Dimensions(Sparse):
    width: Annotated[
        int | float, Field(description="Width as displayed, EXIF orientation applied (SVG: CSS px, maybe fractional).")
    ]
    height: Annotated[int | float, Field(description="Height as displayed, EXIF orientation applied.")]
    aspect_ratio: Annotated[float | None, Field(description="Displayed width / height, 4 decimals.")] = None
    stored_width: Annotated[int | None, Field(description="Width of the stored pixel data (raster images).")] = None
    stored_height: Annotated[int | None, Field(description="Height of the stored pixel data (raster images).")] = None
    orientation: Annotated[
        int | None, Field(ge=1, le=8, description="Raw EXIF orientation, 1 when absent (raster images).")
    ] = None


class Exif(Sparse):
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    taken_at: Annotated[str | None, Field(description="When the picture was taken, ISO 8601.")] = None
    exposure_time: Annotated[float | None, Field(description="Seconds.")] = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: Annotated[float | None, Field(description="Millimetres.")] = None
    orientation: int | None = None
    software: str | None = None


class Location(Sparse):
    lat: Annotated[float, Field(description="Latitude, decimal degrees, north positive.")]
    lng: Annotated[float, Field(description="Longitude, decimal degrees, east positive.")]
    alt: Annotated[float | None, Field(description="Altitude in metres above sea level.")] = None


class Swatch(Model):
    hex: Annotated[str, Field(description="Colour as `#rrggbb`.")]
    population: Annotated[float, Field(description="Share of the image's pixels, 0 to 1.")]
    foreground: Annotated[str, Field(description="`#ffffff` or `#000000`, whichever reads better on it.")]


class Palette(Model):
    dominant: Swatch
    swatches: list[Swatch]


class AssetMetadata(Sparse):
    """What processing found. Fields that do not apply to a file are absent."""

    detected_content_type: Annotated[
        str | None, Field(description="Type sniffed from the bytes; null when the format has no signature.")
    ] = None
    declared_content_type: Annotated[
        str | None, Field(description="Type the client declared, when it differs from the detected one.")
    ] = None
    format: Annotated[str | None, Field(description="Format name, e.g. `JPEG`, `HEIF`, `SVG`, `PDF`, `MP4`.")] = None
    dimensions: Dimensions | None = None
    has_alpha: bool | None = None
    is_opaque: Annotated[bool | None, Field(description="No alpha channel, or every pixel fully opaque.")] = None
    animated: bool | None = None
    frame_count: int | None = None
    color_space: Annotated[str | None, Field(description="`RGB`, `CMYK`, `Grayscale`, `Palette`...")] = None
    icc_profile: Annotated[str | None, Field(description="Description of the embedded ICC profile.")] = None
    bit_depth: Annotated[int | None, Field(description="Bits per channel.")] = None
    exif: Annotated[Exif | None, Field(description="Normalized EXIF subset, without GPS.")] = None
    location: Annotated[Location | None, Field(description="GPS position from EXIF.")] = None
    lqip: Annotated[str | None, Field(description="Low-quality image placeholder as a data URI.")] = None
    blurhash: str | None = None
    palette: Palette | None = None
    has_script: Annotated[bool | None, Field(description="SVG: contains script or event handlers.")] = None
    has_external_references: Annotated[bool | None, Field(description="SVG: references outside resources.")] = None
    page_count: Annotated[int | None, Field(description="PDF pages; absent when locked by a password.")] = None
    pdf_version: str | None = None
    encrypted: bool | None = None
    title: Annotated[str | None, Field(description="Document title from the file's own metadata.")] = None
    author: str | None = None
    producer: str | None = None
    creator: str | None = None
    created: Annotated[str | None, Field(description="Creation date from the file's metadata, ISO 8601.")] = None
    modified: Annotated[str | None, Field(description="Modification date from the file's metadata, ISO 8601.")] = None
    word_count: Annotated[int | None, Field(description="Words in the PDF's text layer (0 for a scan).")] = None
    word_count_pages: Annotated[
        int | None, Field(description="Present when only this many first pages were counted.")
    ] = None
    duration: Annotated[float | None, Field(description="Audio or video length in seconds.")] = None
    codec: Annotated[str | None, Field(description="The video codec for video, else the audio codec.")] = None
    video_codec: str | None = None
    audio_codec: str | None = None
    bitrate: Annotated[int | None, Field(description="Bits per second.")] = None
    sample_rate: Annotated[int | None, Field(description="Audio samples per second.")] = None
    channels: int | None = None


class Rendition(Model):
    name: Annotated[RenditionName, Field(description="`small` (256 px long edge) or `large` (1024 px).")]
    width: int
    height: int
    content_type: str
    size: Annotated[int, Field(description="Bytes.")]


class DeliveredRendition(Rendition):
    url: Annotated[str | None, Field(description="Its delivery URL, as the asset's `url`; null in events.")] = None


class AssetBase(Model):
    id: AssetId
    status: Annotated[Status, Field(description="`pending` until the upload is processed, then `ready` or `failed`.")]
    kind: Kind
    filename: Annotated[Filename | None, Field(description="The file's name; null for a link or external video.")] = (
        None
    )
    content_type: Annotated[ContentType | None, Field(description="Null for a link or external video.")] = None
    size: Annotated[
        int | None,
        Field(description="Size in bytes: declared while pending, measured once processed; null without a file."),
    ] = None
    title: str | None = None
    description: str | None = None
    alt: str | None = None
    notes: str | None = None
    credits: str | None = None
    tags: list[str] = []
    folder_id: Annotated[FolderId | None, Field(description="The folder the asset is in; null at the root level.")] = (
        None
    )
    custom: Annotated[dict[str, Any], Field(description="The tenant's own fields.")] = {}
    source: Annotated[Source | None, Field(description="Where the asset came from.")] = None
    created_at: Timestamp
    updated_at: Timestamp
    sha1: Annotated[str | None, Field(description="Hex SHA-1 of the bytes, once processed.")] = None
    sha256: Annotated[str | None, Field(description="Hex SHA-256 of the bytes, once processed.")] = None
    metadata: AssetMetadata = AssetMetadata()
    renditions: Annotated[
        list[Rendition], Field(description="Derived files, each at `/v1/assets/{id}/renditions/{name}`.")
    ] = []
    duplicate_of: Annotated[
        AssetId | None, Field(description="An earlier ready asset of the tenant with the same bytes.")
    ] = None
    error: Annotated[str | None, Field(description="Why processing failed, when `status` is `failed`.")] = None
    version: Annotated[
        int,
        Field(
            ge=1,
            description="The number of the file's version the asset serves: 1 for the first upload, one more each "
            "time the file is replaced (`/v1/assets/{id}/versions`).",
        ),
    ] = 1
    download_count: Annotated[
        int,
        Field(
            ge=0,
            description="Downloads of its file through the API (`/download`, a version's `/download`) and through "
            "shares. Renditions and delivery URLs do not count. Changing it changes neither `updated_at` nor "
            "`revision`, and sends no event.",
        ),
    ] = 0
    is_public: Annotated[bool, Field(description="Delivered at a stable, unsigned URL.")] = False
    available_from: Annotated[Timestamp | None, Field(description="Delivery starts then; null: at once.")] = None
    available_until: Annotated[Timestamp | None, Field(description="Delivery ends then; null: never.")] = None
    focal_point: Annotated[
        FocalPoint | None, Field(description="What a cropping transform keeps in view; null: the centre.")
    ] = None
    url: Annotated[str | None, Field(description="A link's or external video's address.")] = None
    provider: Annotated[Provider | None, Field(description="An external video's host: `youtube` or `vimeo`.")] = None
    video_id: Annotated[str | None, Field(description="An external video's id at its provider.")] = None
    embed_url: Annotated[
        str | None,
        Field(
            description="An external video's player, for an `<iframe>`: `https://www.youtube-nocookie.com/embed/{id}` "
            "or `https://player.vimeo.com/video/{id}` (`?h=` for an unlisted Vimeo video)."
        ),
    ] = None


class Asset(AssetBase):
    """An asset as the API returns it."""

    revision: Revision
    renditions: Annotated[
        list[DeliveredRendition], Field(description="Derived files, each at `/v1/assets/{id}/renditions/{name}`.")
    ] = []
    url: Annotated[
        str | None,
        Field(
            description="The original through the CDN, once ready: stable for a public asset, signed and expiring "
            "(`url_expires_at`) for a private one. Null while pending or failed, and in events. A link's or "
            "external video's own address (never fetched), always."
        ),
    ] = None
    url_expires_at: Annotated[
        Timestamp | None, Field(description="When a private asset's `url` (and its renditions' and `srcset`) expire.")
    ] = None
    srcset: Annotated[
        list[SrcsetEntry],
        Field(description="Images: transform URLs at 320, 640, 960, 1280 and 1920 px wide, none wider than the image."),
    ] = []


class AssetRecord(AssetBase):
    """An asset as stored, with the fields that never leave the service."""

    tenant: TenantId
    expires_at: Annotated[int | None, Field(description="Epoch seconds for DynamoDB TTL while pending.")] = None
    expected_sha256: Annotated[Sha256 | None, Field(description="SHA-256 the client declared on upload.")] = None
    original_revision: Annotated[
        str | None, Field(description="Which sealed copy under `originals/{tenant}/{id}/` the asset serves.")
    ] = None
    attempts: Annotated[int, Field(description="Processing attempts started on this upload.")] = 0
    attempt_revisions: Annotated[
        list[str], Field(description="The revisions its processing attempts sealed, while it is pending.")
    ] = []
    latest_version: Annotated[int, Field(description="The highest version number given out.")] = 1
    deleted_at: Annotated[Timestamp | None, Field(description="When it went to the trash; null outside it.")] = None
    purge_at: Annotated[Timestamp | None, Field(description="When the trash purges it.")] = None
    purging: Annotated[bool, Field(description="A purge has begun: it can no longer be restored.")] = False
    indexed_folders: Annotated[
        list[FolderId],
        Field(description="Its folder and those above, nearest first: the recursive listings it has members in."),
    ] = []

    def trashed(self) -> TrashedAsset:
        return TrashedAsset.model_validate(
            self.model_dump(include={*Asset.model_fields, "deleted_at", "purge_at"})
            | {"revision": revision_of(self.updated_at)}
        )

    def public(self) -> Asset:
        return Asset.model_validate(
            self.model_dump(include=set(Asset.model_fields)) | {"revision": revision_of(self.updated_at)}
        )


class TrashedAsset(Asset):
    """An asset in the trash."""

    deleted_at: Annotated[Timestamp, Field(description="When it was deleted.")]
    purge_at: Annotated[Timestamp, Field(description="When it will be purged: every file and record gone for good.")]


class TrashPage(Model):
    items: Annotated[list[TrashedAsset], Field(description="The most recently deleted first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class AssetPage(Model):
    items: list[Asset]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]
    total: Annotated[
        int | None, Field(description="With `include_total=true`, the exact number of matches; else null.")
    ] = None


class EventDetail(Model):
    """`detail` of every `asset.*` event on the bus."""

    id: Annotated[
        str,
        Field(
            description="The change's own id: every delivery of one change carries the same one, so a consumer "
            "drops an event whose id it has already seen."
        ),
    ]
    tenant: TenantId
    asset: Annotated[Asset, Field(description="The asset after the change (before it, for `asset.deleted`).")]
    truncated: Annotated[
        bool,
        Field(
            description="True when `asset.metadata` and `asset.custom` were left empty to fit EventBridge's 256 KB "
            "limit: read the asset for them."
        ),
    ] = False
