"""What reaches the resolver: JSON bodies only, UTF-8, not absurdly deep (no 5xx from any body)."""

from __future__ import annotations

import base64
import json

import pytest

from functions.api import MAX_JSON_DEPTH, check_body
from functions.errors import InvalidJson, UnsupportedMediaType


def _event(body: str | None, content_type: str | None = "application/json", *, b64: bool = False) -> dict:
    headers = {"Content-Type": content_type} if content_type else {}
    return {"httpMethod": "POST", "headers": headers, "body": body, "isBase64Encoded": b64}


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "multipart/form-data",
        "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded",
        "application/jsonx",
        None,
    ],
)
def test_a_body_that_is_not_json_is_415(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaType):
        check_body(_event('{"a": 1}', content_type))


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "application/json; charset=utf-8", "application/json"])
def test_json_media_types_pass(content_type: str) -> None:
    check_body(_event('{"filename": "a.jpg"}', content_type))


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1000, 100_000])
def test_deep_json_is_400_invalid_json(depth: int) -> None:
    with pytest.raises(InvalidJson):
        check_body(_event("[" * depth + "]" * depth))


def test_json_as_deep_as_allowed_passes() -> None:
    check_body(_event(json.dumps({"tags": ["a"]})))
    check_body(_event("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH))


@pytest.mark.parametrize("raw", [b'{"filename": "caf\xe9.jpg"}', b"\xff\xfe{}", b'{"a": "\xed\xa0\x80"}'])
def test_a_body_that_is_not_utf8_is_400_invalid_json(raw: bytes) -> None:
    with pytest.raises(InvalidJson):
        check_body(_event(base64.b64encode(raw).decode(), b64=True))


def test_base64_utf8_json_passes() -> None:
    check_body(_event(base64.b64encode('{"title": "Café"}'.encode()).decode(), b64=True))


@pytest.mark.parametrize("body", ["{", "nope", '{"a": NaN'])
def test_broken_json_is_400(body: str) -> None:
    with pytest.raises(InvalidJson):
        check_body(_event(body))


def test_bodies_of_get_and_delete_are_not_inspected() -> None:
    check_body({"httpMethod": "GET", "headers": {"Content-Type": "text/plain"}, "body": "x", "isBase64Encoded": False})
    check_body({"httpMethod": "DELETE", "headers": {}, "body": "\ufffd", "isBase64Encoded": False})
