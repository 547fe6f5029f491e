"""The API's contract against hostile or careless clients: 4xx with the error body, never a 5xx."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from functions.services import assets
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import Stack

UPLOAD = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}


def error_of(response: tuple) -> tuple[int, str, str | None]:
    status, body, _ = response
    assert set(body) == {"error", "message", "field"}, body
    return status, body["error"], body["field"]


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "multipart/form-data",
        "multipart/form-data; boundary=----x",
        "application/x-www-form-urlencoded",
    ],
)
def test_a_body_that_is_not_json_is_415(stack: Stack, content_type: str) -> None:
    response = stack.call("create_upload", raw_body="filename=a.jpg&size=10", headers={"Content-Type": content_type})
    assert error_of(response) == (415, "unsupported_media_type", "body")


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "application/json; charset=utf-8"])
def test_json_media_types_are_json(stack: Stack, content_type: str) -> None:
    assert stack.call("create_upload", body=UPLOAD, headers={"Content-Type": content_type})[0] == 201


def test_deep_json_and_non_utf8_bodies_are_400_invalid_json(stack: Stack) -> None:
    deep = "[" * 1000 + "]" * 1000
    assert error_of(stack.call("create_upload", raw_body=deep)) == (400, "invalid_json", "body")
    latin1 = base64.b64encode(b'{"filename": "caf\xe9.jpg", "content_type": "image/jpeg", "size": 1}').decode()
    assert error_of(stack.call("create_upload", raw_body=latin1, base64_body=True)) == (400, "invalid_json", "body")


@pytest.mark.parametrize("size", [True, "100", 1.5, None])
def test_size_must_be_a_json_integer(stack: Stack, size: object) -> None:
    assert error_of(stack.call("create_upload", body={**UPLOAD, "size": size})) == (400, "invalid_request", "size")


@pytest.mark.parametrize(
    "filename",
    ["invoice\u202efdp.exe", "a\u2066b.jpg", "a\u200fb.jpg", "line\u2028break.jpg", "next\x85line.jpg", "..", "."],
)
def test_filenames_that_disguise_their_extension_are_refused(stack: Stack, filename: str) -> None:
    status, code, field = error_of(stack.call("create_upload", body={**UPLOAD, "filename": filename}))
    assert (status, code, field) == (400, "invalid_request", "filename")


def test_missing_principal_is_401_with_www_authenticate(stack: Stack) -> None:
    status, _, headers = stack.call("list_assets", tenant=None)
    assert (status, headers.get("WWW-Authenticate")) == (401, "Bearer")


def test_an_empty_or_unchanged_patch_writes_nothing_and_sends_no_event(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg(), title="Same")["id"]
    stack.drain()
    before = stack.call("get_asset", path_params={"asset_id": asset_id})[1]
    stack.events()
    for body in ({}, {"title": "Same"}, {"title": "Same", "alt": None}):
        status, after, _ = stack.call("update_asset", path_params={"asset_id": asset_id}, body=body)
        assert (status, after) == (200, before)
    assert stack.events() == []


def test_updated_at_moves_forward_even_when_this_clock_is_behind(stack: Stack, monkeypatch) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    stored = stack.call("get_asset", path_params={"asset_id": asset_id})[1]["updated_at"]
    real_now = assets.now
    monkeypatch.setattr(assets, "now", lambda: real_now() - timedelta(seconds=5))
    _, changed, _ = stack.call("update_asset", path_params={"asset_id": asset_id}, body={"title": "t"})
    assert changed["updated_at"] > stored


def test_a_write_that_lands_between_read_and_write_is_not_undone(stack: Stack, monkeypatch) -> None:
    """Two PATCHes racing: the later acknowledged `updated_at` is never replaced by an older one."""
    asset_id = stack.upload(files.jpeg())["id"]
    table = get_deps().table
    update = table.update_asset
    acknowledged = []

    def another_patch_first(*args, **kwargs):
        if not acknowledged:
            monkeypatch.setattr(table, "update_asset", update)
            acknowledged.append(stack.call("update_asset", path_params={"asset_id": asset_id}, body={"alt": "b"})[1])
            monkeypatch.setattr(table, "update_asset", another_patch_first)
        return update(*args, **kwargs)

    monkeypatch.setattr(table, "update_asset", another_patch_first)
    _, mine, _ = stack.call("update_asset", path_params={"asset_id": asset_id}, body={"title": "a"})
    assert (mine["title"], mine["alt"]) == ("a", "b")
    assert mine["updated_at"] > acknowledged[0]["updated_at"]
    assert stack.call("get_asset", path_params={"asset_id": asset_id})[1] == mine


@pytest.mark.parametrize(
    ("route", "path_params", "query", "field"),
    [
        ("list_assets", None, {"keyword": "sun"}, "keyword"),
        ("list_assets", None, {"limit": "5", "sort_by": "title"}, "sort_by"),
        ("get_asset", {"asset_id": "0" * 32}, {"fields": "id"}, "fields"),
        ("create_upload", None, {"folder": "x"}, "folder"),
    ],
)
def test_an_unknown_query_parameter_is_400_naming_it(
    stack: Stack, route: str, path_params: dict | None, query: dict, field: str
) -> None:
    body = UPLOAD if route == "create_upload" else None
    response = stack.call(route, path_params=path_params, query=query, body=body)
    assert error_of(response) == (400, "invalid_request", field)


def test_declared_query_parameters_pass(stack: Stack) -> None:
    status, body, _ = stack.call("list_assets", query={"limit": "5", "kind": "image"})
    assert (status, body["items"]) == (200, [])
