from __future__ import annotations

import pytest

from functions.api import _validation_field
from functions.authorize import bearer_token
from functions.errors import InvalidInput
from functions.services.assets import decode_cursor, encode_cursor
from functions.services.kinds import kind_of
from functions.services.processing import parse_key
from functions.settings import Settings

ASSET_ID = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("image/webp", "image"),
        ("video/mp4", "video"),
        ("audio/mpeg", "audio"),
        ("application/pdf", "document"),
        ("text/plain", "document"),
        ("application/zip", "archive"),
        ("application/octet-stream", "other"),
        (None, "other"),
    ],
)
def test_kind_of(content_type: str | None, kind: str) -> None:
    assert kind_of(content_type) == kind


def test_cursor_round_trip() -> None:
    position = ("2026-01-01T00:00:00.000000Z#" + ASSET_ID, ASSET_ID)
    assert decode_cursor(encode_cursor(position)) == position


@pytest.mark.parametrize("cursor", ["zzz", "!!!", "e30", encode_cursor(("x", "not-an-id")), "eyJzIjoxLCJpIjoyfQ"])
def test_tampered_cursor_is_invalid_input(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_cursor(cursor)
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        (f"originals/acme/{ASSET_ID}", ("acme", ASSET_ID)),
        (f"renditions/acme/{ASSET_ID}/small.webp", None),
        (f"originals/acme/{ASSET_ID}/extra", None),
        ("originals/ACME/x", None),
    ],
)
def test_parse_key(key: str, parsed: tuple[str, str] | None) -> None:
    assert parse_key(key) == parsed


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer abc", "abc"), ("Basic abc", None), ("Bearer ", None), (None, None)],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "filename"), "filename"),
        (("query", "limit"), "limit"),
        (("body", "tags", 0), "tags"),
        (("body",), "body"),
    ],
)
def test_validation_field(loc: tuple, field: str) -> None:
    assert _validation_field({"loc": loc}) == field


def test_settings_round_trip_through_the_environment() -> None:
    settings = Settings(table_name="t", max_upload_bytes=123)
    assert Settings.from_env(settings.to_env()) == settings
    assert Settings.from_env({"MAX_UPLOAD_BYTES": "5"}).max_upload_bytes == 5
