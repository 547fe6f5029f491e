"""Generated from `openapi.json` by `make openapi` (`local/sdk.py`): do not edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NotRequired, TypedDict


class Redirect(TypedDict):
    """A 3xx answer: where it points (a download's presigned URL)."""

    status: int
    location: str


class Access(TypedDict):
    access: str
    """Pass as `access` on the share's URLs."""
    expires_at: str
    """When `access` stops working; unlock again then."""


class ApiKey(TypedDict):
    """A key as listed: never the key itself, nor its hash."""

    id: str
    """The key's public identifier (`key_` and 32 hex characters)."""
    prefix: str
    """The key's first characters, to recognise it."""
    label: NotRequired[str | None]
    scopes: list[str]
    created_at: str
    """ISO 8601, UTC, microseconds."""
    last_used_at: NotRequired[str | None]
    """When a request last used it, to the minute; null: never used."""
    expires_at: NotRequired[str | None]
    """When it stops working; null: never."""


class Asset(TypedDict):
    """An asset as the API returns it."""

    id: str
    """Asset identifier (32 lowercase hex characters)."""
    status: Literal["pending", "ready", "failed"]
    """`pending` until the upload is processed, then `ready` or `failed`."""
    kind: Literal["image", "video", "audio", "document", "archive", "other", "link", "external_video"]
    filename: NotRequired[str | None]
    """The file's name; null for a link or external video."""
    content_type: NotRequired[str | None]
    """Null for a link or external video."""
    size: NotRequired[int | None]
    """Size in bytes: declared while pending, measured once processed; null without a file."""
    title: NotRequired[str | None]
    description: NotRequired[str | None]
    alt: NotRequired[str | None]
    notes: NotRequired[str | None]
    credits: NotRequired[str | None]
    tags: NotRequired[list[str]]
    folder_id: NotRequired[str | None]
    """The folder the asset is in; null at the root level."""
    custom: NotRequired[dict[str, Any]]
    """The tenant's own fields."""
    source: NotRequired[Source | None]
    """Where the asset came from."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""
    sha1: NotRequired[str | None]
    """Hex SHA-1 of the bytes, once processed."""
    sha256: NotRequired[str | None]
    """Hex SHA-256 of the bytes, once processed."""
    metadata: NotRequired[AssetMetadata]
    renditions: NotRequired[list[DeliveredRendition]]
    """Derived files, each at `/v1/assets/{id}/renditions/{name}`."""
    duplicate_of: NotRequired[str | None]
    """An earlier ready asset of the tenant with the same bytes."""
    error: NotRequired[str | None]
    """Why processing failed, when `status` is `failed`."""
    version: NotRequired[int]
    """The number of the file's version the asset serves: 1 for the first upload, one more each time the file is
    replaced (`/v1/assets/{id}/versions`).
    """
    download_count: NotRequired[int]
    """Downloads of its file through the API (`/download`, a version's `/download`) and through shares.
    Renditions and delivery URLs do not count. Changing it changes neither `updated_at` nor `revision`, and
    sends no event.
    """
    is_public: NotRequired[bool]
    """Delivered at a stable, unsigned URL."""
    available_from: NotRequired[str | None]
    """Delivery starts then; null: at once."""
    available_until: NotRequired[str | None]
    """Delivery ends then; null: never."""
    focal_point: NotRequired[FocalPoint | None]
    """What a cropping transform keeps in view; null: the centre."""
    url: NotRequired[str | None]
    """The original through the CDN, once ready: stable for a public asset, signed and expiring
    (`url_expires_at`) for a private one. Null while pending or failed, and in events. A link's or external
    video's own address (never fetched), always.
    """
    provider: NotRequired[Literal["youtube", "vimeo"] | None]
    """An external video's host: `youtube` or `vimeo`."""
    video_id: NotRequired[str | None]
    """An external video's id at its provider."""
    embed_url: NotRequired[str | None]
    """An external video's player, for an `<iframe>`: `https://www.youtube-nocookie.com/embed/{id}` or
    `https://player.vimeo.com/video/{id}` (`?h=` for an unlisted Vimeo video).
    """
    revision: str
    """Changes on every write (it follows `updated_at`, which only moves forward); sent as the `ETag` header.
    Send it back in `If-Match` to write only if nobody wrote since: otherwise 412.
    """
    url_expires_at: NotRequired[str | None]
    """When a private asset's `url` (and its renditions' and `srcset`) expire."""
    srcset: NotRequired[list[SrcsetEntry]]
    """Images: transform URLs at 320, 640, 960, 1280 and 1920 px wide, none wider than the image."""


class AssetCopy(TypedDict):
    folder_id: NotRequired[str | None]
    """Where the copy goes: absent, the source's folder; null, the root level."""


class AssetMetadata(TypedDict):
    """What processing found. Fields that do not apply to a file are absent."""

    detected_content_type: NotRequired[str | None]
    """Type sniffed from the bytes; null when the format has no signature."""
    declared_content_type: NotRequired[str | None]
    """Type the client declared, when it differs from the detected one."""
    format: NotRequired[str | None]
    """Format name, e.g. `JPEG`, `HEIF`, `SVG`, `PDF`, `MP4`."""
    dimensions: NotRequired[Dimensions | None]
    has_alpha: NotRequired[bool | None]
    is_opaque: NotRequired[bool | None]
    """No alpha channel, or every pixel fully opaque."""
    animated: NotRequired[bool | None]
    frame_count: NotRequired[int | None]
    color_space: NotRequired[str | None]
    """`RGB`, `CMYK`, `Grayscale`, `Palette`..."""
    icc_profile: NotRequired[str | None]
    """Description of the embedded ICC profile."""
    bit_depth: NotRequired[int | None]
    """Bits per channel."""
    exif: NotRequired[Exif | None]
    """Normalized EXIF subset, without GPS."""
    location: NotRequired[Location | None]
    """GPS position from EXIF."""
    lqip: NotRequired[str | None]
    """Low-quality image placeholder as a data URI."""
    blurhash: NotRequired[str | None]
    palette: NotRequired[Palette | None]
    has_script: NotRequired[bool | None]
    """SVG: contains script or event handlers."""
    has_external_references: NotRequired[bool | None]
    """SVG: references outside resources."""
    page_count: NotRequired[int | None]
    """PDF pages; absent when locked by a password."""
    pdf_version: NotRequired[str | None]
    encrypted: NotRequired[bool | None]
    title: NotRequired[str | None]
    """Document title from the file's own metadata."""
    author: NotRequired[str | None]
    producer: NotRequired[str | None]
    creator: NotRequired[str | None]
    created: NotRequired[str | None]
    """Creation date from the file's metadata, ISO 8601."""
    modified: NotRequired[str | None]
    """Modification date from the file's metadata, ISO 8601."""
    word_count: NotRequired[int | None]
    """Words in the PDF's text layer (0 for a scan)."""
    word_count_pages: NotRequired[int | None]
    """Present when only this many first pages were counted."""
    duration: NotRequired[float | None]
    """Audio or video length in seconds."""
    codec: NotRequired[str | None]
    """The video codec for video, else the audio codec."""
    video_codec: NotRequired[str | None]
    audio_codec: NotRequired[str | None]
    bitrate: NotRequired[int | None]
    """Bits per second."""
    sample_rate: NotRequired[int | None]
    """Audio samples per second."""
    channels: NotRequired[int | None]


class AssetPage(TypedDict):
    items: list[Asset]
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""
    total: NotRequired[int | None]
    """With `include_total=true`, the exact number of matches; else null."""


class AssetReplace(TypedDict):
    """Every editable field at once: an absent field is cleared."""

    title: NotRequired[str | None]
    """Display title, at most 500 characters."""
    description: NotRequired[str | None]
    """Longer description, at most 500 characters."""
    alt: NotRequired[str | None]
    """Alternative text for accessibility."""
    notes: NotRequired[str | None]
    """Internal notes."""
    credits: NotRequired[str | None]
    """Attribution or copyright line."""
    tags: NotRequired[list[str] | None]
    folder_id: NotRequired[str | None]
    """The folder the asset is in; null or absent: the root level."""
    custom: NotRequired[dict[str, str | int | float | bool | None] | None]
    source: NotRequired[Source | None]
    is_public: NotRequired[bool | None]
    """Delivered at a stable URL anyone may load (`url`); false (default): signed, expiring URLs."""
    available_from: NotRequired[str | None]
    """Delivery URLs answer 404 before this; null: at once."""
    available_until: NotRequired[str | None]
    """Delivery URLs answer 404 from this on; null: for ever."""
    focal_point: NotRequired[FocalPoint | None]
    """What a cropping transform keeps in view; null: the centre."""


class AssetUpdate(TypedDict):
    """Fields to change. Absent fields are kept; `null` clears a field."""

    title: NotRequired[str | None]
    """Display title, at most 500 characters."""
    description: NotRequired[str | None]
    """Longer description, at most 500 characters."""
    alt: NotRequired[str | None]
    """Alternative text for accessibility."""
    notes: NotRequired[str | None]
    """Internal notes."""
    credits: NotRequired[str | None]
    """Attribution or copyright line."""
    tags: NotRequired[list[str] | None]
    folder_id: NotRequired[str | None]
    """The folder the asset is in; null or absent: the root level."""
    custom: NotRequired[dict[str, str | int | float | bool | None] | None]
    source: NotRequired[Source | None]
    is_public: NotRequired[bool | None]
    """Delivered at a stable URL anyone may load (`url`); false (default): signed, expiring URLs."""
    available_from: NotRequired[str | None]
    """Delivery URLs answer 404 before this; null: at once."""
    available_until: NotRequired[str | None]
    """Delivery URLs answer 404 from this on; null: for ever."""
    focal_point: NotRequired[FocalPoint | None]
    """What a cropping transform keeps in view; null: the centre."""


class Attempt(TypedDict):
    at: str
    """ISO 8601, UTC, microseconds."""
    status_code: NotRequired[int | None]
    """The endpoint's HTTP status; null when none came."""
    duration_ms: int
    error: NotRequired[str | None]
    """Why it failed: a status, a timeout, a refused address...; null on success."""
    response: NotRequired[str | None]
    """The start of the endpoint's answer (1,024 characters)."""


class Comment(TypedDict):
    id: str
    """Comment identifier (32 lowercase hex characters, time-ordered)."""
    asset_id: str
    """Asset identifier (32 lowercase hex characters)."""
    text: str
    annotation: NotRequired[Region | Page | None]
    author: NotRequired[str | None]
    """The label of the API key that wrote it; null without one."""
    created_at: str
    """ISO 8601, UTC, microseconds."""


class CommentPage(TypedDict):
    items: list[Comment]
    """The oldest first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class CommentRequest(TypedDict):
    text: str
    """The comment, 1 to 2,000 characters."""
    annotation: NotRequired[Region | Page | None]


class CompleteRequest(TypedDict):
    parts: list[CompletedPart]
    """Every uploaded part, from 1, in order."""


class CompletedPart(TypedDict):
    number: int
    """A part's number, from 1."""
    etag: str
    """The `ETag` S3 answered to the part's PUT."""


class DeliveredRendition(TypedDict):
    name: Literal["small", "large"]
    """`small` (256 px long edge) or `large` (1024 px)."""
    width: int
    height: int
    content_type: str
    size: int
    """Bytes."""
    url: NotRequired[str | None]
    """Its delivery URL, as the asset's `url`; null in events."""


class Delivery(TypedDict):
    id: str
    """Delivery identifier (32 lowercase hex characters, time-ordered)."""
    webhook_id: str
    """Webhook identifier (32 lowercase hex characters, time-ordered)."""
    event_id: str
    """The event's id: the `webhook-id` header of every attempt."""
    event_type: str
    status: Literal["pending", "succeeded", "failed"]
    """`pending` (an attempt is due), `succeeded` (a 2xx), `failed` (given up, or not retried)."""
    attempts: list[Attempt]
    """The newest first."""
    next_attempt_at: NotRequired[str | None]
    """When the next attempt is due; null once ended."""
    created_at: str
    """ISO 8601, UTC, microseconds."""


class DeliveryInfo(TypedDict):
    """What a client needs to build its own delivery URLs (the SDK's `sign`)."""

    base_url: str
    """Every delivery URL starts with this."""
    secret: str
    """The tenant's delivery signing key (base64url): sign transform URLs with it as the README's Delivery
    section shows. Anyone holding it can sign any URL of the tenant: keep it server-side.
    """
    presets: dict[str, str]
    """Named transforms (`?preset=name`), which need no signature."""
    max_dimension: int
    """The largest `w` or `h` (times `dpr`) a transform may ask for."""
    url_ttl_seconds: int
    """Lifetime of the signed URLs the API hands out."""


class DeliveryPage(TypedDict):
    items: list[Delivery]
    """The newest first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class Dimensions(TypedDict):
    width: int | float
    """Width as displayed, EXIF orientation applied (SVG: CSS px, maybe fractional)."""
    height: int | float
    """Height as displayed, EXIF orientation applied."""
    aspect_ratio: NotRequired[float | None]
    """Displayed width / height, 4 decimals."""
    stored_width: NotRequired[int | None]
    """Width of the stored pixel data (raster images)."""
    stored_height: NotRequired[int | None]
    """Height of the stored pixel data (raster images)."""
    orientation: NotRequired[int | None]
    """Raw EXIF orientation, 1 when absent (raster images)."""


class DownloadLink(TypedDict):
    """A presigned URL, for clients that must not follow a redirect (a browser drops `Authorization` and sends
    `Origin: null` on a cross-origin redirect).
    """

    url: str
    """Presigned GET of the file, with its name in `Content-Disposition`."""
    expires_at: str
    """When the URL stops working."""


class ErrorBody(TypedDict):
    error: str
    """Stable machine-readable code."""
    message: str
    """Human-readable explanation."""
    field: NotRequired[str | None]
    """The first offending input field, when there is one."""


class Exif(TypedDict):
    make: NotRequired[str | None]
    model: NotRequired[str | None]
    lens: NotRequired[str | None]
    taken_at: NotRequired[str | None]
    """When the picture was taken, ISO 8601."""
    exposure_time: NotRequired[float | None]
    """Seconds."""
    f_number: NotRequired[float | None]
    iso: NotRequired[int | None]
    focal_length: NotRequired[float | None]
    """Millimetres."""
    orientation: NotRequired[int | None]
    software: NotRequired[str | None]


class Export(TypedDict):
    id: str
    """Export identifier (32 lowercase hex characters)."""
    status: Literal["pending", "running", "ready", "failed"]
    """`pending` (queued), `running`, `ready` (`url` set) or `failed` (`error` set)."""
    progress: Progress
    skipped: NotRequired[int]
    """Assets left out so far: not ready, trashed or not found (the manifest names them)."""
    size: NotRequired[int | None]
    """Bytes of the zip, once ready."""
    url: NotRequired[str | None]
    """Once ready: a presigned GET of the zip (valid `DOWNLOAD_URL_TTL_SECONDS`), with its name."""
    url_expires_at: NotRequired[str | None]
    """When `url` stops working; read again."""
    expires_at: str
    """When the export and its zip are removed."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    error: NotRequired[str | None]
    """Why it failed."""


class ExportCreated(TypedDict):
    id: str
    """Export identifier (32 lowercase hex characters)."""
    status: Literal["pending"]
    """Always `pending`: poll `GET /v1/exports/{id}`."""


class ExportQuery(TypedDict):
    """The filters of `GET /v1/assets` (same names, same meaning); every match that is `ready` is exported."""

    kind: NotRequired[
        Literal["image", "video", "audio", "document", "archive", "other", "link", "external_video"] | None
    ]
    """Only assets of this kind."""
    content_type: NotRequired[str | None]
    """Only assets of this media type."""
    folder_id: NotRequired[str | None]
    """Only the assets directly in this folder; `root`: at the root level."""
    recursive: NotRequired[bool]
    """With `folder_id`: every asset of the folder's subtree, not only its own."""
    tag: NotRequired[list[str] | None]
    """Only assets with every one of these tags (any case)."""
    q: NotRequired[str | None]
    """Keywords, as `q` of `GET /v1/assets`: each starts a word."""
    created_after: NotRequired[str | None]
    """RFC 3339 date-time with its offset, e.g. `2026-01-31T09:00:00Z`. Exclusive."""
    created_before: NotRequired[str | None]
    """RFC 3339 date-time with its offset, e.g. `2026-01-31T09:00:00Z`. Exclusive."""
    updated_after: NotRequired[str | None]
    """RFC 3339 date-time with its offset, e.g. `2026-01-31T09:00:00Z`. Exclusive."""
    updated_before: NotRequired[str | None]
    """RFC 3339 date-time with its offset, e.g. `2026-01-31T09:00:00Z`. Exclusive."""


class ExportRequest(TypedDict):
    """Exactly one of `asset_ids`, `folder_id` and `query` (the others absent; null is refused like any other
    value of the wrong type, so the document's `oneOf` says exactly what is accepted).
    """

    asset_ids: NotRequired[list[str]]
    """1 to 1,000 distinct asset ids; in the zip in this order."""
    folder_id: NotRequired[str]
    """The folder's whole subtree, its folder paths kept inside the zip."""
    query: NotRequired[ExportQuery]
    """Every match of these `GET /v1/assets` filters."""


class Filters(TypedDict):
    """Everything a filter UI shows, in one call."""

    kinds: list[ValueCount]
    """Every kind, with its count (zeros included)."""
    statuses: list[ValueCount]
    """Every status, with its count (zeros included)."""
    content_types: list[ValueCount]
    """The media types in use, most used first."""
    tags: list[ValueCount]
    """The most used tags (at most 100), most used first; `GET /v1/tags` pages through all."""
    sorts: list[str]
    """The values `sort` takes on `GET /v1/assets`."""
    params: list[str]
    """The query parameters `GET /v1/assets` takes."""


class FocalPoint(TypedDict):
    """The point of the image a `fit=cover` crop keeps in view."""

    x: float
    """From the left edge, 0 to 1."""
    y: float
    """From the top edge, 0 to 1."""


class Folder(TypedDict):
    id: str
    """Folder identifier (32 lowercase hex characters)."""
    name: str
    parent_id: str | None
    """The parent folder; null at the root."""
    path: str
    """The names from the root, each after a `/`, e.g. `/Brand/Logos`."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""
    revision: str
    """Changes on every write (it follows `updated_at`, which only moves forward); sent as the `ETag` header.
    Send it back in `If-Match` to write only if nobody wrote since: otherwise 412.
    """


class FolderCreate(TypedDict):
    name: str
    """1 to 255 characters, no `/` and no control characters; unique among its siblings, ignoring case."""
    parent_id: NotRequired[str | None]
    """The parent folder; absent or null: the root."""


class FolderDeletion(TypedDict):
    id: str
    """Folder identifier (32 lowercase hex characters)."""
    status: Literal["deleting"]
    """The subtree, its assets and their files go in the background; the folder is then 404."""


class FolderDetail(TypedDict):
    id: str
    """Folder identifier (32 lowercase hex characters)."""
    name: str
    parent_id: str | None
    """The parent folder; null at the root."""
    path: str
    """The names from the root, each after a `/`, e.g. `/Brand/Logos`."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""
    revision: str
    """Changes on every write (it follows `updated_at`, which only moves forward); sent as the `ETag` header.
    Send it back in `If-Match` to write only if nobody wrote since: otherwise 412.
    """
    ancestors: list[FolderRef]
    """The folders above this one, the root level first."""


class FolderPage(TypedDict):
    items: list[Folder]
    """Child folders, by name."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class FolderRef(TypedDict):
    id: str
    """Folder identifier (32 lowercase hex characters)."""
    name: str


class FolderUpdate(TypedDict):
    """Rename, move, or both. Absent fields are kept; `parent_id: null` moves the folder to the root."""

    name: NotRequired[str]
    """1 to 255 characters, no `/` and no control characters; unique among its siblings, ignoring case."""
    parent_id: NotRequired[str | None]
    """The new parent; null: the root. The subtree moves with the folder."""


class KeyCreated(TypedDict):
    id: str
    """The key's public identifier (`key_` and 32 hex characters)."""
    prefix: str
    """The key's first characters, to recognise it."""
    label: NotRequired[str | None]
    scopes: list[str]
    created_at: str
    """ISO 8601, UTC, microseconds."""
    last_used_at: NotRequired[str | None]
    """When a request last used it, to the minute; null: never used."""
    expires_at: NotRequired[str | None]
    """When it stops working; null: never."""
    key: str
    """The API key, for `Authorization: Bearer`: shown only now (only its hash is kept)."""


class KeyPage(TypedDict):
    items: list[ApiKey]
    """The newest first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class KeyRequest(TypedDict):
    scopes: list[Literal["assets:read", "assets:write", "webhooks:admin", "keys:admin"]]
    """What the key may do: scopes the calling key holds itself."""
    label: str
    """A name for people (who uses it); the `author` of the comments made with it."""
    expires_at: NotRequired[str | None]
    """In the future; from then on the key is refused. Null: it never expires."""


class LinkRequest(TypedDict):
    title: NotRequired[str | None]
    """Display title, at most 500 characters."""
    description: NotRequired[str | None]
    """Longer description, at most 500 characters."""
    alt: NotRequired[str | None]
    """Alternative text for accessibility."""
    notes: NotRequired[str | None]
    """Internal notes."""
    credits: NotRequired[str | None]
    """Attribution or copyright line."""
    tags: NotRequired[list[str] | None]
    folder_id: NotRequired[str | None]
    """The folder the asset is in; null or absent: the root level."""
    custom: NotRequired[dict[str, str | int | float | bool | None] | None]
    source: NotRequired[Source | None]
    is_public: NotRequired[bool | None]
    """Delivered at a stable URL anyone may load (`url`); false (default): signed, expiring URLs."""
    available_from: NotRequired[str | None]
    """Delivery URLs answer 404 before this; null: at once."""
    available_until: NotRequired[str | None]
    """Delivery URLs answer 404 from this on; null: for ever."""
    focal_point: NotRequired[FocalPoint | None]
    """What a cropping transform keeps in view; null: the centre."""
    kind: Literal["link", "external_video"]
    """`link`: any web page; `external_video`: a YouTube or Vimeo video (watch, short or embed URL)."""
    url: str
    """An `https` URL with a public host name (no IP address, `localhost` or user name); for `external_video`, a
    YouTube or Vimeo address. Kept as sent and never fetched.
    """


class Location(TypedDict):
    lat: float
    """Latitude, decimal degrees, north positive."""
    lng: float
    """Longitude, decimal degrees, east positive."""
    alt: NotRequired[float | None]
    """Altitude in metres above sea level."""


class MultipartTicket(TypedDict):
    """A multipart upload (files over `SINGLE_UPLOAD_BYTES`): PUT each part to its URL, then complete it."""

    method: NotRequired[Literal["multipart"]]
    upload_id: str
    """Multipart upload identifier."""
    part_size: int
    """Bytes in every part but the last: part n is bytes (n-1)*part_size onwards."""
    part_count: int
    """Parts of a file of the declared size (at most 10000)."""
    parts: list[PartUrl]
    """URLs of the first 100 parts; the rest (and fresh ones once these expire) from `POST
    /v1/uploads/{upload_id}/parts`.
    """
    expires_at: str
    """When these part URLs expire."""


class Page(TypedDict):
    page: int
    """A page of the PDF, from 1."""


class Palette(TypedDict):
    dominant: Swatch
    swatches: list[Swatch]


class PartUrl(TypedDict):
    number: int
    """A part's number, from 1."""
    url: str
    """Presigned S3 URL: PUT the part's bytes there; keep the `ETag` answered."""


class PartUrls(TypedDict):
    parts: list[PartUrl]
    expires_at: str
    """ISO 8601, UTC, microseconds."""


class PartsRequest(TypedDict):
    numbers: list[int]
    """The parts to sign, at most 1000."""


class Progress(TypedDict):
    done: int
    """Assets handled so far (written to the zip or skipped)."""
    total: int | None
    """Assets to handle; null until the export has started."""


class Region(TypedDict):
    """A rectangle of the image, in fractions of its displayed width and height."""

    x: float
    """Left edge, 0 to 1."""
    y: float
    """Top edge, 0 to 1."""
    w: float
    """Width, 0 to 1; `x + w` at most 1."""
    h: float
    """Height, 0 to 1; `y + h` at most 1."""


class Share(TypedDict):
    id: str
    """Share identifier (32 lowercase hex characters, time-ordered)."""
    url: NotRequired[str | None]
    """The public URL, with its token: returned once, when the share is created (only a hash of the token is
    kept); null afterwards.
    """
    asset_ids: NotRequired[list[str] | None]
    """The assets shared; null for a folder share."""
    folder_id: NotRequired[str | None]
    """The folder shared; null for assets."""
    expires_at: NotRequired[str | None]
    max_downloads: NotRequired[int | None]
    download_count: NotRequired[int]
    """Downloads through this share (a zip counts once)."""
    has_password: NotRequired[bool]
    note: NotRequired[str | None]
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""


class SharePage(TypedDict):
    items: list[Share]
    """The newest first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class ShareRequest(TypedDict):
    """Exactly one of `asset_ids` and `folder_id`."""

    asset_ids: NotRequired[list[str]]
    """The assets shared, 1 to 1,000, each once, in order."""
    folder_id: NotRequired[str]
    """Share this folder's whole subtree, as it is at each visit."""
    expires_at: NotRequired[str | None]
    """In the future; after it the URL answers 410."""
    password: NotRequired[str | None]
    max_downloads: NotRequired[int | None]
    note: NotRequired[str | None]


class ShareUpdate(TypedDict):
    """Only the fields sent change; `null` removes an expiry, a password or a note."""

    expires_at: NotRequired[str | None]
    """In the future, or null: never."""
    password: NotRequired[str | None]
    note: NotRequired[str | None]


class SharedAsset(TypedDict):
    """What a share shows of an asset: what its page needs, nothing else (fields that do not apply left out)."""

    id: str
    """Asset identifier (32 lowercase hex characters)."""
    kind: Literal["image", "video", "audio", "document", "archive", "other", "link", "external_video"]
    filename: NotRequired[str | None]
    """Null for a link or an external video."""
    title: NotRequired[str | None]
    alt: NotRequired[str | None]
    content_type: NotRequired[str | None]
    size: NotRequired[int | None]
    width: NotRequired[int | None]
    height: NotRequired[int | None]
    thumbnail_url: NotRequired[str | None]
    """A small rendition, through the delivery URLs."""
    download_url: NotRequired[str | None]
    """Downloads the original; counts as a download of the share. Null for a link or a video."""
    url: NotRequired[str | None]
    """A link's or an external video's own address."""
    embed_url: NotRequired[str | None]
    """An external video's player."""


class SharedPage(TypedDict):
    """The share's contents for a program (`Accept: application/json`)."""

    note: NotRequired[str | None]
    expires_at: NotRequired[str | None]
    assets: list[SharedAsset]
    """Ready assets inside their availability window."""
    next_cursor: NotRequired[str | None]
    """Folder shares: pass as `cursor` for more."""


class Source(TypedDict):
    """Where an asset came from (another DAM, a stock library, a CMS)."""

    name: str
    """The system, e.g. `unsplash`."""
    id: NotRequired[str | None]
    """The asset's id there."""
    url: NotRequired[str | None]
    """Its page there."""


class SrcsetEntry(TypedDict):
    width: int
    """Width in pixels of the image at `url`."""
    url: str
    """A transform URL (`fm=auto`), signed when the asset needs it."""


class Swatch(TypedDict):
    hex: str
    """Colour as `#rrggbb`."""
    population: float
    """Share of the image's pixels, 0 to 1."""
    foreground: str
    """`#ffffff` or `#000000`, whichever reads better on it."""


class TagCount(TypedDict):
    name: str
    """The tag as first spelled; it matches in any case."""
    count: int
    """How many of the tenant's assets carry it, exactly."""


class TagPage(TypedDict):
    items: list[TagCount]
    """By name, ignoring case and accents."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class TrashPage(TypedDict):
    items: list[TrashedAsset]
    """The most recently deleted first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class TrashedAsset(TypedDict):
    """An asset in the trash."""

    id: str
    """Asset identifier (32 lowercase hex characters)."""
    status: Literal["pending", "ready", "failed"]
    """`pending` until the upload is processed, then `ready` or `failed`."""
    kind: Literal["image", "video", "audio", "document", "archive", "other", "link", "external_video"]
    filename: NotRequired[str | None]
    """The file's name; null for a link or external video."""
    content_type: NotRequired[str | None]
    """Null for a link or external video."""
    size: NotRequired[int | None]
    """Size in bytes: declared while pending, measured once processed; null without a file."""
    title: NotRequired[str | None]
    description: NotRequired[str | None]
    alt: NotRequired[str | None]
    notes: NotRequired[str | None]
    credits: NotRequired[str | None]
    tags: NotRequired[list[str]]
    folder_id: NotRequired[str | None]
    """The folder the asset is in; null at the root level."""
    custom: NotRequired[dict[str, Any]]
    """The tenant's own fields."""
    source: NotRequired[Source | None]
    """Where the asset came from."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""
    sha1: NotRequired[str | None]
    """Hex SHA-1 of the bytes, once processed."""
    sha256: NotRequired[str | None]
    """Hex SHA-256 of the bytes, once processed."""
    metadata: NotRequired[AssetMetadata]
    renditions: NotRequired[list[DeliveredRendition]]
    """Derived files, each at `/v1/assets/{id}/renditions/{name}`."""
    duplicate_of: NotRequired[str | None]
    """An earlier ready asset of the tenant with the same bytes."""
    error: NotRequired[str | None]
    """Why processing failed, when `status` is `failed`."""
    version: NotRequired[int]
    """The number of the file's version the asset serves: 1 for the first upload, one more each time the file is
    replaced (`/v1/assets/{id}/versions`).
    """
    download_count: NotRequired[int]
    """Downloads of its file through the API (`/download`, a version's `/download`) and through shares.
    Renditions and delivery URLs do not count. Changing it changes neither `updated_at` nor `revision`, and
    sends no event.
    """
    is_public: NotRequired[bool]
    """Delivered at a stable, unsigned URL."""
    available_from: NotRequired[str | None]
    """Delivery starts then; null: at once."""
    available_until: NotRequired[str | None]
    """Delivery ends then; null: never."""
    focal_point: NotRequired[FocalPoint | None]
    """What a cropping transform keeps in view; null: the centre."""
    url: NotRequired[str | None]
    """The original through the CDN, once ready: stable for a public asset, signed and expiring
    (`url_expires_at`) for a private one. Null while pending or failed, and in events. A link's or external
    video's own address (never fetched), always.
    """
    provider: NotRequired[Literal["youtube", "vimeo"] | None]
    """An external video's host: `youtube` or `vimeo`."""
    video_id: NotRequired[str | None]
    """An external video's id at its provider."""
    embed_url: NotRequired[str | None]
    """An external video's player, for an `<iframe>`: `https://www.youtube-nocookie.com/embed/{id}` or
    `https://player.vimeo.com/video/{id}` (`?h=` for an unlisted Vimeo video).
    """
    revision: str
    """Changes on every write (it follows `updated_at`, which only moves forward); sent as the `ETag` header.
    Send it back in `If-Match` to write only if nobody wrote since: otherwise 412.
    """
    url_expires_at: NotRequired[str | None]
    """When a private asset's `url` (and its renditions' and `srcset`) expire."""
    srcset: NotRequired[list[SrcsetEntry]]
    """Images: transform URLs at 320, 640, 960, 1280 and 1920 px wide, none wider than the image."""
    deleted_at: str
    """When it was deleted."""
    purge_at: str
    """When it will be purged: every file and record gone for good."""


class Unlock(TypedDict):
    password: str
    """The share's password."""


class UploadCompleted(TypedDict):
    asset: Asset
    """The asset; it is processed next (a new version: then it serves it)."""
    version: int
    """The version of the asset's file this upload was for."""


class UploadCreated(TypedDict):
    asset: Asset
    upload: UploadTicket | MultipartTicket | None
    """Where to send the file; null for a duplicate."""
    duplicate: NotRequired[bool]
    """True when `sha256` matched a ready asset, which is returned instead."""


class UploadRequest(TypedDict):
    title: NotRequired[str | None]
    """Display title, at most 500 characters."""
    description: NotRequired[str | None]
    """Longer description, at most 500 characters."""
    alt: NotRequired[str | None]
    """Alternative text for accessibility."""
    notes: NotRequired[str | None]
    """Internal notes."""
    credits: NotRequired[str | None]
    """Attribution or copyright line."""
    tags: NotRequired[list[str] | None]
    folder_id: NotRequired[str | None]
    """The folder the asset is in; null or absent: the root level."""
    custom: NotRequired[dict[str, str | int | float | bool | None] | None]
    source: NotRequired[Source | None]
    is_public: NotRequired[bool | None]
    """Delivered at a stable URL anyone may load (`url`); false (default): signed, expiring URLs."""
    available_from: NotRequired[str | None]
    """Delivery URLs answer 404 before this; null: at once."""
    available_until: NotRequired[str | None]
    """Delivery URLs answer 404 from this on; null: for ever."""
    focal_point: NotRequired[FocalPoint | None]
    """What a cropping transform keeps in view; null: the centre."""
    filename: str
    """Original file name, kept as metadata and used on download. Never part of the storage key. No control,
    bidirectional-override or line-separator characters, no `/` or `\\`, not only dots.
    """
    content_type: str
    """Media type without parameters, lowercase, e.g. `image/jpeg`."""
    size: int
    """Size in bytes of the file that will be uploaded. Over the deployment's `MAX_UPLOAD_BYTES` (the maximum
    shown is the default): 413.
    """
    sha256: NotRequired[str | None]
    """SHA-256 of the file, when the client knows it. If the tenant already holds a ready asset with these bytes,
    that asset is returned with `duplicate: true` and nothing is uploaded; otherwise processing fails the
    upload when its bytes do not match.
    """


class UploadTicket(TypedDict):
    """One presigned POST (files up to `SINGLE_UPLOAD_BYTES`, 100 MiB by default)."""

    method: NotRequired[Literal["POST"]]
    url: str
    """Presigned S3 URL to POST the file to as multipart/form-data."""
    fields: dict[str, str]
    """Form fields to send before the `file` field, verbatim."""
    expires_at: str
    """ISO 8601, UTC, microseconds."""


class ValueCount(TypedDict):
    value: str
    count: int
    """How many of the tenant's assets have this value, exactly."""


class Version(TypedDict):
    """One version of an asset's file, as the API returns it."""

    number: int
    """The version's number, from 1."""
    status: Literal["pending", "ready", "failed"]
    """`pending` until its upload is processed, then `ready` or `failed` (the asset keeps serving its current
    version when a new one fails).
    """
    current: NotRequired[bool]
    """The version the asset serves."""
    filename: str
    """Original file name, kept as metadata and used on download. Never part of the storage key. No control,
    bidirectional-override or line-separator characters, no `/` or `\\`, not only dots.
    """
    content_type: str
    """Media type without parameters, lowercase, e.g. `image/jpeg`."""
    size: int
    """Size in bytes: declared while pending, measured once processed."""
    sha256: NotRequired[str | None]
    """Hex SHA-256 of its bytes, once processed."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    error: NotRequired[str | None]
    """Why it failed, when `status` is `failed`."""
    restored_from: NotRequired[int | None]
    """The version whose bytes it copies, when it was made by a restore."""


class VersionChange(TypedDict):
    asset: Asset
    """The asset (a new version becomes current once it is processed)."""
    version: Version


class VersionCreated(TypedDict):
    asset: Asset
    """The asset (a new version becomes current once it is processed)."""
    version: Version
    upload: UploadTicket | MultipartTicket
    """Where to send the new file."""


class VersionPage(TypedDict):
    items: list[Version]
    """The newest first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class VersionRequest(TypedDict):
    """The new file of an asset."""

    filename: str
    """Original file name, kept as metadata and used on download. Never part of the storage key. No control,
    bidirectional-override or line-separator characters, no `/` or `\\`, not only dots.
    """
    content_type: str
    """Media type without parameters, lowercase, e.g. `image/jpeg`."""
    size: int
    """Size in bytes of the file that will be uploaded. Over the deployment's `MAX_UPLOAD_BYTES` (the maximum
    shown is the default): 413.
    """
    sha256: NotRequired[str | None]
    """SHA-256 of the file, when the client knows it: the version fails if its bytes differ."""


class Webhook(TypedDict):
    id: str
    """Webhook identifier (32 lowercase hex characters, time-ordered)."""
    url: str
    events: list[str]
    description: NotRequired[str | None]
    enabled: NotRequired[bool]
    disabled_reason: NotRequired[Literal["failing", "request"] | None]
    """Why it is disabled: `failing` (every attempt failed for 5 days) or `request` (PATCH); null when enabled."""
    failing_since: NotRequired[str | None]
    """The first failed attempt since the last success; null when the last attempt succeeded."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""


class WebhookCreated(TypedDict):
    id: str
    """Webhook identifier (32 lowercase hex characters, time-ordered)."""
    url: str
    events: list[str]
    description: NotRequired[str | None]
    enabled: NotRequired[bool]
    disabled_reason: NotRequired[Literal["failing", "request"] | None]
    """Why it is disabled: `failing` (every attempt failed for 5 days) or `request` (PATCH); null when enabled."""
    failing_since: NotRequired[str | None]
    """The first failed attempt since the last success; null when the last attempt succeeded."""
    created_at: str
    """ISO 8601, UTC, microseconds."""
    updated_at: str
    """ISO 8601, UTC, microseconds."""
    secret: str
    """`whsec_` and the base64 of the signing key: verify each delivery's `webhook-signature` with it. Shown only
    now (and by rotate-secret).
    """


class WebhookPage(TypedDict):
    items: list[Webhook]
    """The newest first."""
    next_cursor: str | None
    """Pass as `cursor` for the next page; null at the end."""


class WebhookRequest(TypedDict):
    url: str
    """Where events are POSTed: `https`, no user name or password, a public host name or address, port 443 or
    1024 and above.
    """
    events: list[str]
    """Event types of the catalog (`docs/events/`) to receive, or `*` for every one."""
    description: NotRequired[str | None]


class WebhookTested(TypedDict):
    event_id: str
    """The `webhook.test` event's id: its delivery appears in the endpoint's deliveries."""


class WebhookUpdate(TypedDict):
    """Only the fields sent change; `null` removes the description."""

    url: NotRequired[str]
    """Where events are POSTed: `https`, no user name or password, a public host name or address, port 443 or
    1024 and above.
    """
    events: NotRequired[list[str]]
    """Event types of the catalog (`docs/events/`) to receive, or `*` for every one."""
    enabled: NotRequired[bool]
    """False: no event is sent; true again: events from now on (failures forgotten)."""
    description: NotRequired[str | None]


class Operations:
    """One method per operation of the API; `Client` implements `_call` (HTTP, retries, errors)."""

    _call: Callable[..., Any]

    def abort_upload(self, upload_id: str) -> None:
        """`DELETE /v1/uploads/{upload_id}`: Abort a multipart upload. Its parts are freed, and what it was for
        is removed: the pending asset (purged, with `asset.deleted` and `asset.purged`) or the pending
        version. Nothing half-made is left.
        """
        return self._call("DELETE", "/v1/uploads/{upload_id}", path={"upload_id": upload_id}, query={})

    def complete_upload(
        self, upload_id: str, body: CompleteRequest, *, idempotency_key: str | None = None
    ) -> UploadCompleted:
        """`POST /v1/uploads/{upload_id}/complete`: Complete a multipart upload. `parts` lists every part from 1,
        in order, each with the `ETag` S3 answered to its PUT. Each is checked against what S3 holds before
        the file is assembled; the file is then processed like any upload. Completing it again answers the
        same.
        """
        return self._call(
            "POST",
            "/v1/uploads/{upload_id}/complete",
            path={"upload_id": upload_id},
            query={},
            body=body,
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def copy_asset(self, asset_id: str, body: AssetCopy, *, idempotency_key: str | None = None) -> Asset:
        """`POST /v1/assets/{asset_id}/copy`: Copy an asset. A new asset with its own id: the original and
        renditions are copied server-side, the metadata and editable fields kept, the status too (`ready` or
        `failed`). `folder_id` places the copy (absent: the source's folder).
        """
        return self._call(
            "POST",
            "/v1/assets/{asset_id}/copy",
            path={"asset_id": asset_id},
            query={},
            body=body,
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def create_asset(self, body: LinkRequest, *, idempotency_key: str | None = None) -> Asset:
        """`POST /v1/assets`: Create a link or an external video. An asset without a file, `ready` at once
        (`asset.ready`): `kind: link` keeps any `https` address, `kind: external_video` a YouTube or Vimeo
        video's, with its `provider`, `video_id` and `embed_url`. The address is never fetched. It lists,
        filters, searches and sits in folders like any asset and is edited with `PATCH`; download, renditions,
        versions and delivery answer 409 `not_a_file`.
        """
        return self._call(
            "POST", "/v1/assets", path={}, query={}, body=body, idempotency_key=idempotency_key, idempotent=True
        )

    def create_comment(self, asset_id: str, body: CommentRequest, *, idempotency_key: str | None = None) -> Comment:
        """`POST /v1/assets/{asset_id}/comments`: Comment on an asset. `text` (1 to 2,000 characters) and an
        optional `annotation`: a region `{x, y, w, h}` of the image in fractions of its size, or `{page}` of a
        PDF. `author` is the API key's label. Sends `comment.created`.
        """
        return self._call(
            "POST",
            "/v1/assets/{asset_id}/comments",
            path={"asset_id": asset_id},
            query={},
            body=body,
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def create_export(self, body: ExportRequest, *, idempotency_key: str | None = None) -> ExportCreated:
        """`POST /v1/exports`: Export assets as a zip. Exactly one of `asset_ids` (1 to 1,000 distinct ids, in
        this order), `folder_id` (the folder's whole subtree, its folder paths kept in the zip) and `query`
        (the filters of `GET /v1/assets`). Only `ready` assets go in; the others, and ids that are not yours,
        are left out and listed in `manifest.csv`. Poll `GET /v1/exports/{export_id}` until `ready`, then
        download `url`. Sends `export.ready` or `export.failed`.
        """
        return self._call(
            "POST", "/v1/exports", path={}, query={}, body=body, idempotency_key=idempotency_key, idempotent=True
        )

    def create_folder(self, body: FolderCreate, *, idempotency_key: str | None = None) -> Folder:
        """`POST /v1/folders`: Create a folder. At the root level, or under `parent_id`. Sibling names are
        unique, ignoring case.
        """
        return self._call(
            "POST", "/v1/folders", path={}, query={}, body=body, idempotency_key=idempotency_key, idempotent=True
        )

    def create_key(self, body: KeyRequest) -> KeyCreated:
        """`POST /v1/keys`: Make an API key. A key of your tenant with the `scopes` given, each one your own key
        holds (403 `field: scopes` otherwise: a key can't grant more than it has), a `label`, and optionally
        `expires_at` (future). The answer's `key` is shown only now: only its hash is kept, so this route
        takes no `Idempotency-Key` (its answer would be kept). The key works at once and counts against your
        tenant's limits like every key of it.
        """
        return self._call("POST", "/v1/keys", path={}, query={}, body=body)

    def create_share(self, body: ShareRequest, *, idempotency_key: str | None = None) -> Share:
        """`POST /v1/shares`: Share assets or a folder. Exactly one of `asset_ids` (1 to 1,000 of the tenant's
        assets) and `folder_id` (its whole subtree, as it is at each visit). The answer's `url` needs no API
        key and is shown only now: only a hash of its token is kept. Optional `expires_at` (future),
        `password`, `max_downloads` and `note`.
        """
        return self._call(
            "POST", "/v1/shares", path={}, query={}, body=body, idempotency_key=idempotency_key, idempotent=True
        )

    def create_upload(self, body: UploadRequest, *, idempotency_key: str | None = None) -> UploadCreated:
        """`POST /v1/uploads`: Create an upload. Creates a `pending` asset and says where to send its bytes. Up
        to `SINGLE_UPLOAD_BYTES` (100 MiB): `upload.method` is `POST`: send the returned `fields` and then the
        file as `multipart/form-data` to `url`. Larger: `multipart`: PUT each part to its URL, keep each
        answer's `ETag`, then `POST /v1/uploads/{upload_id}/complete`. The asset becomes `ready` or `failed`
        once processed. With `sha256` of bytes the tenant already holds, answers 200 with that asset,
        `duplicate: true` and no upload.
        """
        return self._call(
            "POST", "/v1/uploads", path={}, query={}, body=body, idempotency_key=idempotency_key, idempotent=True
        )

    def create_version(
        self, asset_id: str, body: VersionRequest, *, idempotency_key: str | None = None
    ) -> VersionCreated:
        """`POST /v1/assets/{asset_id}/versions`: Upload a new version of the file. Registers version `n + 1` as
        `pending` and returns a presigned POST for its bytes, sent as with `POST /v1/uploads`. Once processed
        and `ready`, the asset serves it: same id, folder and editable fields; its `version`, file name, type,
        size, hashes, metadata and renditions are the new file's, and `asset.replaced` is sent. If it fails,
        the asset stays as it was and the version records the `error`.
        """
        return self._call(
            "POST",
            "/v1/assets/{asset_id}/versions",
            path={"asset_id": asset_id},
            query={},
            body=body,
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def create_webhook(self, body: WebhookRequest, *, idempotency_key: str | None = None) -> WebhookCreated:
        """`POST /v1/webhooks`: Create a webhook. `url` (`https`, a public host name; see the README's webhook
        section), `events` (types of the event catalog, `docs/events/`, or `*`) and an optional `description`.
        The answer's `secret` verifies every delivery's `webhook-signature` and is shown only now. An unknown
        event type is a 400 naming `events`.
        """
        return self._call(
            "POST", "/v1/webhooks", path={}, query={}, body=body, idempotency_key=idempotency_key, idempotent=True
        )

    def delete_asset(self, asset_id: str, *, permanent: bool | None = None, if_match: str | None = None) -> None:
        """`DELETE /v1/assets/{asset_id}`: Delete an asset. The asset goes to the trash (`GET /v1/trash`): from
        then on it is 404 here and absent from lists, search, filters and counts, and `asset.deleted` is sent.
        It can be restored until it is purged, `TRASH_RETENTION_DAYS` (30) later. A pending asset, which has
        no file yet, and any asset with `permanent=true` are purged at once: every file and record gone, then
        `asset.purged`.
        """
        return self._call(
            "DELETE",
            "/v1/assets/{asset_id}",
            path={"asset_id": asset_id},
            query={"permanent": permanent},
            if_match=if_match,
        )

    def delete_comment(self, asset_id: str, comment_id: str) -> None:
        """`DELETE /v1/assets/{asset_id}/comments/{comment_id}`: Delete a comment. Gone for good; sends
        `comment.deleted`.
        """
        return self._call(
            "DELETE",
            "/v1/assets/{asset_id}/comments/{comment_id}",
            path={"asset_id": asset_id, "comment_id": comment_id},
            query={},
        )

    def delete_folder(
        self, folder_id: str, *, recursive: bool | None = None, if_match: str | None = None
    ) -> FolderDeletion | None:
        """`DELETE /v1/folders/{folder_id}`: Delete a folder. Without `recursive`, only an empty folder: one that
        holds folders or assets is a 409. With `recursive=true`, 202: the folder is closed at once (nothing
        may enter it) and the whole subtree, every asset in it and their files are removed in the background,
        one `asset.deleted` event per asset; then the folder answers 404. Sending it again is safe.
        """
        return self._call(
            "DELETE",
            "/v1/folders/{folder_id}",
            path={"folder_id": folder_id},
            query={"recursive": recursive},
            if_match=if_match,
        )

    def delete_key(self, key_id: str) -> None:
        """`DELETE /v1/keys/{key_id}`: Revoke an API key. The key is refused from now on (on AWS within the
        authorizer cache's 60 seconds at most: the cache is flushed too). The key you call with may be
        revoked: 204, and your next request with it is a 401. Another tenant's key id is a 404, like an
        unknown one.
        """
        return self._call("DELETE", "/v1/keys/{key_id}", path={"key_id": key_id}, query={})

    def delete_share(self, share_id: str) -> None:
        """`DELETE /v1/shares/{share_id}`: Revoke a share. Its URL answers 404 at once; the assets are untouched."""
        return self._call("DELETE", "/v1/shares/{share_id}", path={"share_id": share_id}, query={})

    def delete_version(self, asset_id: str, number: int) -> None:
        """`DELETE /v1/assets/{asset_id}/versions/{number}`: Delete a version. The version and its files are gone
        for good; its number is not given again. A pending version's upload is cancelled.
        """
        return self._call(
            "DELETE", "/v1/assets/{asset_id}/versions/{number}", path={"asset_id": asset_id, "number": number}, query={}
        )

    def delete_webhook(self, webhook_id: str) -> None:
        """`DELETE /v1/webhooks/{webhook_id}`: Delete a webhook. Nothing more is sent to it, deliveries already
        queued included; its delivery log goes with them (30 days later, by TTL).
        """
        return self._call("DELETE", "/v1/webhooks/{webhook_id}", path={"webhook_id": webhook_id}, query={})

    def download_asset(self, asset_id: str, *, redirect: bool | None = None) -> DownloadLink | Redirect:
        """`GET /v1/assets/{asset_id}/download`: Download the original. 302 to a presigned URL whose
        `Content-Disposition` carries the original file name.
        """
        return self._call(
            "GET", "/v1/assets/{asset_id}/download", path={"asset_id": asset_id}, query={"redirect": redirect}
        )

    def download_rendition(
        self, asset_id: str, name: Literal["small", "large"], *, redirect: bool | None = None
    ) -> DownloadLink | Redirect:
        """`GET /v1/assets/{asset_id}/renditions/{name}`: Download a rendition. 302 to a presigned URL of a WebP
        rendition listed in the asset's `renditions` (`small`: 256 px on the long edge, `large`: 1024 px),
        orientation applied, EXIF and GPS stripped.
        """
        return self._call(
            "GET",
            "/v1/assets/{asset_id}/renditions/{name}",
            path={"asset_id": asset_id, "name": name},
            query={"redirect": redirect},
        )

    def download_shared(
        self, token: str, asset_id: str, *, access: str | None | None = None, redirect: bool | None = None
    ) -> DownloadLink | Redirect:
        """`GET /v1/shared/{token}/assets/{asset_id}/download`: Download a shared file (public). No API key. 302
        to a presigned GET of the original. Counts one download on the share (410 once it has `max_downloads`)
        and on the asset. An asset the share does not show: 404.
        """
        return self._call(
            "GET",
            "/v1/shared/{token}/assets/{asset_id}/download",
            path={"token": token, "asset_id": asset_id},
            query={"access": access, "redirect": redirect},
            auth=False,
        )

    def download_version(self, asset_id: str, number: int, *, redirect: bool | None = None) -> DownloadLink | Redirect:
        """`GET /v1/assets/{asset_id}/versions/{number}/download`: Download a version. 302 to a presigned URL of
        that version's original, with its own file name.
        """
        return self._call(
            "GET",
            "/v1/assets/{asset_id}/versions/{number}/download",
            path={"asset_id": asset_id, "number": number},
            query={"redirect": redirect},
        )

    def export_shared(self, token: str, *, access: str | None | None = None) -> ExportCreated:
        """`POST /v1/shared/{token}/exports`: Download all of a share as a zip (public). No API key. Starts an
        export of what the share shows (as `POST /v1/exports`; the zip holds nothing else and its manifest
        names nothing else); poll `GET /v1/shared/{token}/exports/{export_id}`. Counts one download of the
        share: past `max_downloads`, 410.
        """
        return self._call(
            "POST", "/v1/shared/{token}/exports", path={"token": token}, query={"access": access}, auth=False
        )

    def get_asset(self, asset_id: str) -> Asset:
        """`GET /v1/assets/{asset_id}`: Get an asset."""
        return self._call("GET", "/v1/assets/{asset_id}", path={"asset_id": asset_id}, query={})

    def get_delivery(self) -> DeliveryInfo:
        """`GET /v1/delivery`: Delivery settings and signing key. The base of every delivery URL, the presets,
        the limits, and the tenant's signing key for transform URLs with parameters of your own (the README's
        Delivery section gives the algorithm). Assets already carry `url`, rendition URLs and `srcset`; this
        is for URLs those don't cover.
        """
        return self._call("GET", "/v1/delivery", path={}, query={})

    def get_export(self, export_id: str) -> Export:
        """`GET /v1/exports/{export_id}`: Get an export. `status` `pending`, `running` (`progress` counts the
        assets handled), `ready` (`url`: a presigned GET of the zip, read again for a fresh one) or `failed`
        (`error`). Gone after `expires_at`.
        """
        return self._call("GET", "/v1/exports/{export_id}", path={"export_id": export_id}, query={})

    def get_folder(self, folder_id: str) -> FolderDetail:
        """`GET /v1/folders/{folder_id}`: Get a folder."""
        return self._call("GET", "/v1/folders/{folder_id}", path={"folder_id": folder_id}, query={})

    def get_share(self, share_id: str) -> Share:
        """`GET /v1/shares/{share_id}`: Get a share. Its settings and `download_count`; `url` is null (shown
        once, at creation).
        """
        return self._call("GET", "/v1/shares/{share_id}", path={"share_id": share_id}, query={})

    def get_shared_export(self, token: str, export_id: str, *, access: str | None | None = None) -> Export:
        """`GET /v1/shared/{token}/exports/{export_id}`: Get a share's zip (public). No API key. As `GET
        /v1/exports/{export_id}`, for an export this share made: `url` once `ready`. It answers even once the
        share has used up its `max_downloads` (the zip counted when it was asked for).
        """
        return self._call(
            "GET",
            "/v1/shared/{token}/exports/{export_id}",
            path={"token": token, "export_id": export_id},
            query={"access": access},
            auth=False,
        )

    def get_webhook(self, webhook_id: str) -> Webhook:
        """`GET /v1/webhooks/{webhook_id}`: Get a webhook. Its settings, whether it is enabled (and why not), and
        since when its attempts fail.
        """
        return self._call("GET", "/v1/webhooks/{webhook_id}", path={"webhook_id": webhook_id}, query={})

    def list_asset_shares(
        self, asset_id: str, *, limit: int | None = None, cursor: str | None | None = None
    ) -> SharePage:
        """`GET /v1/assets/{asset_id}/shares`: List an asset's shares. The shares that show the asset, by its id
        or by a folder above it; the newest first.
        """
        return self._call(
            "GET", "/v1/assets/{asset_id}/shares", path={"asset_id": asset_id}, query={"limit": limit, "cursor": cursor}
        )

    def list_assets(
        self,
        *,
        limit: int | None = None,
        cursor: str | None | None = None,
        sort: Literal["created_at", "updated_at", "title", "filename", "size", "download_count"] | None = None,
        order: Literal["desc", "asc"] | None = None,
        kind: Literal["image", "video", "audio", "document", "archive", "other", "link", "external_video"]
        | None
        | None = None,
        status: Literal["pending", "ready", "failed"] | None | None = None,
        content_type: str | None | None = None,
        folder_id: str | None | None = None,
        recursive: bool | None = None,
        tag: list[str] | None | None = None,
        q: str | None | None = None,
        include_total: bool | None = None,
        created_after: str | None | None = None,
        created_before: str | None | None = None,
        updated_after: str | None | None = None,
        updated_before: str | None | None = None,
    ) -> AssetPage:
        """`GET /v1/assets`: List assets. All filters combine. Ties in the sort break by id, so paging is total
        and stable. Pass `next_cursor` back as `cursor`, with the same other parameters, for the next page.
        """
        return self._call(
            "GET",
            "/v1/assets",
            path={},
            query={
                "limit": limit,
                "cursor": cursor,
                "sort": sort,
                "order": order,
                "kind": kind,
                "status": status,
                "content_type": content_type,
                "folder_id": folder_id,
                "recursive": recursive,
                "tag": tag,
                "q": q,
                "include_total": include_total,
                "created_after": created_after,
                "created_before": created_before,
                "updated_after": updated_after,
                "updated_before": updated_before,
            },
        )

    def list_comments(
        self, asset_id: str, *, limit: int | None = None, cursor: str | None | None = None
    ) -> CommentPage:
        """`GET /v1/assets/{asset_id}/comments`: List the comments. The asset's comments, the oldest first."""
        return self._call(
            "GET",
            "/v1/assets/{asset_id}/comments",
            path={"asset_id": asset_id},
            query={"limit": limit, "cursor": cursor},
        )

    def list_filters(self) -> Filters:
        """`GET /v1/assets/filters`: Filter summary. Kinds, statuses, media types and the most used tags with
        exact counts (kept on write, never computed by reading the library), and the sorts and parameters of
        `GET /v1/assets`.
        """
        return self._call("GET", "/v1/assets/filters", path={}, query={})

    def list_folders(
        self, *, parent_id: str | None | None = None, limit: int | None = None, cursor: str | None | None = None
    ) -> FolderPage:
        """`GET /v1/folders`: List folders. The child folders of `parent_id`, or of the root level without it, by
        name (ignoring case).
        """
        return self._call(
            "GET", "/v1/folders", path={}, query={"parent_id": parent_id, "limit": limit, "cursor": cursor}
        )

    def list_keys(self, *, limit: int | None = None, cursor: str | None | None = None) -> KeyPage:
        """`GET /v1/keys`: List API keys. Your tenant's keys, the newest first: `id`, `prefix` (the key's first
        characters), `label`, `scopes`, `created_at`, `last_used_at` (to the minute) and `expires_at`; never a
        key itself. An expired key is listed until DynamoDB's TTL removes it.
        """
        return self._call("GET", "/v1/keys", path={}, query={"limit": limit, "cursor": cursor})

    def list_shares(
        self, *, asset_id: str | None | None = None, limit: int | None = None, cursor: str | None | None = None
    ) -> SharePage:
        """`GET /v1/shares`: List shares. The newest first. With `asset_id`: the shares that show that asset, by
        its id or by a folder above it (as `GET /v1/assets/{id}/shares`).
        """
        return self._call("GET", "/v1/shares", path={}, query={"asset_id": asset_id, "limit": limit, "cursor": cursor})

    def list_tags(self, *, limit: int | None = None, cursor: str | None | None = None) -> TagPage:
        """`GET /v1/tags`: List tags. Every tag in use, by name ignoring case and accents, with exact counts kept
        on write. A tag keeps the spelling first used; `Sunset` and `sunset` are one tag.
        """
        return self._call("GET", "/v1/tags", path={}, query={"limit": limit, "cursor": cursor})

    def list_trash(self, *, limit: int | None = None, cursor: str | None | None = None) -> TrashPage:
        """`GET /v1/trash`: List the trash. Deleted assets, the most recently deleted first, each with
        `deleted_at` and `purge_at`.
        """
        return self._call("GET", "/v1/trash", path={}, query={"limit": limit, "cursor": cursor})

    def list_versions(
        self, asset_id: str, *, limit: int | None = None, cursor: str | None | None = None
    ) -> VersionPage:
        """`GET /v1/assets/{asset_id}/versions`: List the versions. Every version of the asset's file, the newest
        first; `current` marks the one it serves.
        """
        return self._call(
            "GET",
            "/v1/assets/{asset_id}/versions",
            path={"asset_id": asset_id},
            query={"limit": limit, "cursor": cursor},
        )

    def list_webhook_deliveries(
        self, webhook_id: str, *, limit: int | None = None, cursor: str | None | None = None
    ) -> DeliveryPage:
        """`GET /v1/webhooks/{webhook_id}/deliveries`: List a webhook's deliveries. The newest first, each with
        its attempts (newest first: time, status code, duration, error and the start of the answer) and its
        next attempt. Kept 30 days.
        """
        return self._call(
            "GET",
            "/v1/webhooks/{webhook_id}/deliveries",
            path={"webhook_id": webhook_id},
            query={"limit": limit, "cursor": cursor},
        )

    def list_webhooks(self, *, limit: int | None = None, cursor: str | None | None = None) -> WebhookPage:
        """`GET /v1/webhooks`: List webhooks. The newest first; secrets are never shown."""
        return self._call("GET", "/v1/webhooks", path={}, query={"limit": limit, "cursor": cursor})

    def purge_asset(self, asset_id: str) -> None:
        """`DELETE /v1/trash/{asset_id}`: Purge an asset from the trash. Every file of the asset goes, then its
        record; `asset.purged` is sent. It can't be undone.
        """
        return self._call("DELETE", "/v1/trash/{asset_id}", path={"asset_id": asset_id}, query={})

    def replace_asset(self, asset_id: str, body: AssetReplace, *, if_match: str | None = None) -> Asset:
        """`PUT /v1/assets/{asset_id}`: Replace an asset's editable fields. Sets every editable field (title,
        description, alt, notes, credits, tags, folder_id, custom, source) to the body's value: an absent
        field is cleared. A body that changes nothing writes nothing.
        """
        return self._call(
            "PUT", "/v1/assets/{asset_id}", path={"asset_id": asset_id}, query={}, body=body, if_match=if_match
        )

    def restore_asset(self, asset_id: str) -> Asset:
        """`POST /v1/trash/{asset_id}/restore`: Restore an asset from the trash. The asset is back in lists,
        search and counts, in its folder if that still exists, else at the root level; `asset.restored` is
        sent.
        """
        return self._call("POST", "/v1/trash/{asset_id}/restore", path={"asset_id": asset_id}, query={})

    def restore_version(self, asset_id: str, number: int, *, idempotency_key: str | None = None) -> VersionChange:
        """`POST /v1/assets/{asset_id}/versions/{number}/restore`: Restore a version. A new version
        (`restored_from` names the old one) whose original and renditions are server-side copies of that
        version's: no upload, no processing, current at once, and `asset.replaced` is sent.
        """
        return self._call(
            "POST",
            "/v1/assets/{asset_id}/versions/{number}/restore",
            path={"asset_id": asset_id, "number": number},
            query={},
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def retry_webhook_delivery(
        self, webhook_id: str, delivery_id: str, *, idempotency_key: str | None = None
    ) -> Delivery:
        """`POST /v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry`: Retry a delivery. The same event
        (same `webhook-id` and body) is sent again within seconds, once; the attempt is added to the
        delivery's.
        """
        return self._call(
            "POST",
            "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
            path={"webhook_id": webhook_id, "delivery_id": delivery_id},
            query={},
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def rotate_webhook_secret(self, webhook_id: str, *, idempotency_key: str | None = None) -> WebhookCreated:
        """`POST /v1/webhooks/{webhook_id}/rotate-secret`: Rotate a webhook's secret. The answer's `secret` is
        new and shown only now. For 24 hours every delivery carries two signatures in `webhook-signature`
        (space-separated), one per secret, so a receiver can switch at its own pace.
        """
        return self._call(
            "POST",
            "/v1/webhooks/{webhook_id}/rotate-secret",
            path={"webhook_id": webhook_id},
            query={},
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def send_webhook_test(self, webhook_id: str, *, idempotency_key: str | None = None) -> WebhookTested:
        """`POST /v1/webhooks/{webhook_id}/test`: Send a test event. A `webhook.test` event goes to this endpoint
        alone within seconds, signed like any other, tried once; its delivery (with `event_id`) appears in
        `GET /v1/webhooks/{webhook_id}/deliveries`.
        """
        return self._call(
            "POST",
            "/v1/webhooks/{webhook_id}/test",
            path={"webhook_id": webhook_id},
            query={},
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def sign_upload_parts(self, upload_id: str, body: PartsRequest, *, idempotency_key: str | None = None) -> PartUrls:
        """`POST /v1/uploads/{upload_id}/parts`: Sign more parts. Presigned PUT URLs for the parts named (the
        parts after the first 100, or any whose URL expired). Signing a part again does not discard what was
        uploaded to it.
        """
        return self._call(
            "POST",
            "/v1/uploads/{upload_id}/parts",
            path={"upload_id": upload_id},
            query={},
            body=body,
            idempotency_key=idempotency_key,
            idempotent=True,
        )

    def unlock_share(self, token: str, body: Unlock) -> Access:
        """`POST /v1/shared/{token}/unlock`: Unlock a password share (public). No API key. The right password
        answers `{access, expires_at}`: pass `access` as a query parameter on the share's URLs for the next
        hour. A wrong one: 403 `password_required`, `field: password`; five in a row lock the share's password
        for 15 minutes (429 `too_many_attempts` with `Retry-After`).
        """
        return self._call("POST", "/v1/shared/{token}/unlock", path={"token": token}, query={}, body=body, auth=False)

    def update_asset(self, asset_id: str, body: AssetUpdate, *, if_match: str | None = None) -> Asset:
        """`PATCH /v1/assets/{asset_id}`: Update an asset. Changes only the fields present in the body; `null`
        clears a field. A body that changes nothing (`{}`, or the values the asset already has) writes
        nothing, keeps `updated_at` and sends no event.
        """
        return self._call(
            "PATCH", "/v1/assets/{asset_id}", path={"asset_id": asset_id}, query={}, body=body, if_match=if_match
        )

    def update_folder(self, folder_id: str, body: FolderUpdate, *, if_match: str | None = None) -> Folder:
        """`PATCH /v1/folders/{folder_id}`: Rename or move a folder. `name` renames, `parent_id` moves (`null`:
        to the root level); the subtree moves along and every path below follows at once. A body that changes
        nothing writes nothing.
        """
        return self._call(
            "PATCH", "/v1/folders/{folder_id}", path={"folder_id": folder_id}, query={}, body=body, if_match=if_match
        )

    def update_share(self, share_id: str, body: ShareUpdate) -> Share:
        """`PATCH /v1/shares/{share_id}`: Update a share. Only the fields sent change; `null` removes the expiry,
        the password or the note. A new password ends every `access` given for the old one.
        """
        return self._call("PATCH", "/v1/shares/{share_id}", path={"share_id": share_id}, query={}, body=body)

    def update_webhook(self, webhook_id: str, body: WebhookUpdate) -> Webhook:
        """`PATCH /v1/webhooks/{webhook_id}`: Update a webhook. Only the fields sent change. `enabled: false`
        stops its deliveries (`webhook.disabled`, reason `request`); `enabled: true` sends again from now on
        and forgets its past failures.
        """
        return self._call("PATCH", "/v1/webhooks/{webhook_id}", path={"webhook_id": webhook_id}, query={}, body=body)

    def view_share(
        self, token: str, *, access: str | None | None = None, cursor: str | None | None = None
    ) -> SharedPage:
        """`GET /v1/shared/{token}`: Open a share (public). No API key. HTML for people; with `Accept:
        application/json`, the shared assets a visitor may see (ready, inside their availability window, not
        in the trash) with their download URLs. A password share answers 403 `password_required` until
        `access` (from `POST /v1/shared/{token}/unlock`) is passed. Expired, or as many downloads as
        `max_downloads`: 410. Revoked or unknown: 404.
        """
        return self._call(
            "GET", "/v1/shared/{token}", path={"token": token}, query={"access": access, "cursor": cursor}, auth=False
        )
