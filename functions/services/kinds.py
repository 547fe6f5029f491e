"""Which kind of asset a media type is, and which kinds have no file."""

from __future__ import annotations

from typing import get_args

from functions.models.assets import LinkKind

WITHOUT_FILE = frozenset(get_args(LinkKind))
"""Kinds that are an address (`POST /v1/assets`): nothing to download, transform or replace."""

_DOCUMENT_TYPES = {
    "application/pdf",
    "application/msword",
    "application/rtf",
    "application/epub+zip",
    "application/json",
    "application/xml",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ARCHIVE_TYPES = {
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/vnd.rar",
    "application/x-rar-compressed",
    "application/x-bzip2",
    "application/x-xz",
    "application/zstd",
}


def kind_of(content_type: str | None) -> str:
    if not content_type:
        return "other"
    major = content_type.split("/", 1)[0]
    if major in ("image", "video", "audio"):
        return major
    if content_type in _DOCUMENT_TYPES or major == "text":
        return "document"
    if content_type in _ARCHIVE_TYPES:
        return "archive"
    return "other"
