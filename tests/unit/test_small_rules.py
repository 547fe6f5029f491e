from __future__ import annotations

import pytest

from functions.api import _validation_field
from functions.authorize import bearer_token
from functions.errors import InvalidInput
from functions.services import cursors
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


KEY = "k" * 64
SCOPE = "list_assets|acme|"


def test_cursor_round_trip() -> None:
    position = {"s": "2026-01-01T00:00:00.000000Z#" + ASSET_ID, "i": ASSET_ID}
    assert cursors.decode(KEY, SCOPE, cursors.encode(KEY, SCOPE, position)) == position


def _edited(cursor: str) -> str:
    """The same signature over a payload whose position moved: what a client editing a cursor sends."""
    signature = cursor.rsplit(".", 1)[1]
    moved = cursors.encode(KEY, SCOPE, {"s": "2020-01-01T00:00:00.000000Z#" + ASSET_ID, "i": ASSET_ID})
    return moved.rsplit(".", 1)[0] + "." + signature


GOOD = cursors.encode(KEY, SCOPE, {"s": "2026-01-01T00:00:00.000000Z#" + ASSET_ID, "i": ASSET_ID})


@pytest.mark.parametrize(
    ("cursor", "scope", "key"),
    [
        ("zzz", SCOPE, KEY),
        ("!!!", SCOPE, KEY),
        ("e30", SCOPE, KEY),
        ("eyJzIjoxLCJpIjoyfQ", SCOPE, KEY),
        (_edited(GOOD), SCOPE, KEY),
        (GOOD, "list_assets|other-tenant|", KEY),
        (GOOD, "list_assets|acme|image", KEY),
        (GOOD, SCOPE, "another key"),
        (cursors.encode(KEY, SCOPE, ["not", "a", "position"]), SCOPE, KEY),  # type: ignore[arg-type]
    ],
    ids=[
        "garbage",
        "punctuation",
        "unsigned-empty",
        "unsigned-json",
        "edited-position",
        "other-tenant",
        "other-query",
        "other-key",
        "not-a-dict",
    ],
)
def test_forged_or_foreign_cursor_is_invalid_input(cursor: str, scope: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        cursors.decode(key, scope, cursor)
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        (f"uploads/acme/{ASSET_ID}", ("acme", ASSET_ID, 1)),
        (f"uploads/acme/{ASSET_ID}/12", ("acme", ASSET_ID, 12)),
        (f"uploads/acme/{ASSET_ID}/012", None),
        (f"renditions/acme/{ASSET_ID}/0123456789abcdef/small.webp", None),
        (f"originals/acme/{ASSET_ID}/0123456789abcdef", None),
        (f"uploads/acme/{ASSET_ID}/extra", None),
        ("uploads/ACME/x", None),
    ],
)
def test_parse_key(key: str, parsed: tuple[str, str, int] | None) -> None:
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
        (("body", "custom", "SKU", "[key]"), "custom.SKU"),
    ],
)
def test_validation_field(loc: tuple, field: str) -> None:
    assert _validation_field([{"loc": loc}]) == field


def test_validation_field_of_a_value_no_union_member_takes_is_the_value() -> None:
    union = [{"loc": ("body", "custom", "n", branch)} for branch in ("constrained-str", "int", "float", "bool")]
    assert _validation_field(union) == "custom.n"
    fields = [{"loc": ("body", "title")}, {"loc": ("body", "alt")}]
    assert _validation_field(fields) == "title"


def test_settings_round_trip_through_the_environment() -> None:
    for settings in (Settings(table_name="t", max_upload_bytes=123), Settings(tracing=True)):
        assert Settings.from_env(settings.to_env()) == settings
    assert Settings.from_env({"MAX_UPLOAD_BYTES": "5"}).max_upload_bytes == 5
    assert Settings.from_env({"TRACING": "false"}).tracing is False
    assert Settings.from_env({"TRACING": "true"}).tracing is True
