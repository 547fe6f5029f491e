"""Optimistic concurrency (`revision`, `ETag`, `If-Match`), PUT against PATCH, custom fields and source."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from functions.adapters.table import Table
from tests.integration.conftest import Stack

UPLOAD = {"filename": "a.png", "content_type": "image/png", "size": 1}


def create(stack: Stack, **fields) -> dict:
    status, created, _ = stack.call("create_upload", body={**UPLOAD, **fields})
    assert status == 201, created
    return created["asset"]


def patch(stack: Stack, asset: dict, body: dict, if_match: str | None = None, route: str = "update_asset"):
    headers = {"If-Match": if_match} if if_match is not None else None
    return stack.call(route, path_params={"asset_id": asset["id"]}, body=body, headers=headers)


def test_every_answer_carries_the_revision_as_etag(stack: Stack) -> None:
    asset = create(stack)
    status, got, headers = stack.call("get_asset", path_params={"asset_id": asset["id"]})
    assert (status, headers["ETag"]) == (200, f'"{asset["revision"]}"')
    assert got["revision"] == asset["revision"]

    status, changed, headers = patch(stack, asset, {"title": "New"})
    assert changed["revision"] != asset["revision"]
    assert headers["ETag"] == f'"{changed["revision"]}"'
    _, same, _ = patch(stack, changed, {"title": "New"})
    assert same["revision"] == changed["revision"]  # nothing written, nothing changed


@pytest.mark.parametrize("route", ["update_asset", "replace_asset"])
def test_if_match_writes_only_the_revision_read(stack: Stack, route: str) -> None:
    asset = create(stack)
    status, changed, _ = patch(stack, asset, {"title": "One"}, f'"{asset["revision"]}"', route)
    assert status == 200

    status, body, _ = patch(stack, asset, {"title": "Two"}, f'"{asset["revision"]}"', route)
    assert (status, body["error"], body["field"]) == (412, "precondition_failed", "If-Match")
    for stale in (f'W/"{changed["revision"]}"', changed["revision"], '"nope"'):
        assert patch(stack, changed, {"title": "Two"}, stale, route)[0] == 412, stale
    for header in ('"{}"', '"nope", "{}"', "*"):
        current = header.format(changed["revision"])
        status, changed, _ = patch(stack, changed, {"title": current}, current, route)
        assert status == 200, current


def test_of_twenty_concurrent_patches_with_one_revision_exactly_one_wins(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All twenty read the asset before any writes (a barrier). Each conditional write is atomic in DynamoDB
    but not in moto across threads, so the writes themselves take turns (a lock), as DynamoDB orders them."""
    asset = create(stack)
    tag = f'"{asset["revision"]}"'
    writers = 20
    everyone_read, one_write_at_a_time, first_read = threading.Barrier(writers), threading.Lock(), threading.local()
    read, write = Table.get_asset, Table.update_asset

    def get_asset(self, *args, **kwargs):
        found = read(self, *args, **kwargs)
        if not getattr(first_read, "done", False):
            first_read.done = True
            everyone_read.wait(timeout=30)
        return found

    def update_asset(self, *args, **kwargs):
        with one_write_at_a_time:
            return write(self, *args, **kwargs)

    monkeypatch.setattr(Table, "get_asset", get_asset)
    monkeypatch.setattr(Table, "update_asset", update_asset)
    with ThreadPoolExecutor(max_workers=writers) as pool:
        statuses = list(pool.map(lambda n: patch(stack, asset, {"title": f"writer {n}"}, tag)[0], range(writers)))
    monkeypatch.undo()

    assert sorted(statuses) == [200] + [412] * (writers - 1)
    _, final, _ = stack.call("get_asset", path_params={"asset_id": asset["id"]})
    assert final["title"] == f"writer {statuses.index(200)}"


def test_put_replaces_every_editable_field_and_patch_only_those_sent(stack: Stack) -> None:
    _, folder, _ = stack.call("create_folder", body={"name": "Brand"})
    asset = create(
        stack,
        title="T",
        alt="A",
        tags=["x"],
        folder_id=folder["id"],
        custom={"sku": "A-1", "price": 9.5, "licensed": True, "expires": None},
        source={"name": "unsplash", "id": "abc", "url": "https://unsplash.com/photos/abc"},
    )
    assert (asset["custom"]["price"], asset["source"]["name"]) == (9.5, "unsplash")

    _, patched, _ = patch(stack, asset, {"description": "D"})
    assert (patched["title"], patched["folder_id"], patched["custom"]["sku"]) == ("T", folder["id"], "A-1")

    status, replaced, _ = patch(stack, asset, {"description": "D", "custom": {"sku": "B-2"}}, route="replace_asset")
    assert status == 200
    assert replaced["description"] == "D"
    assert (replaced["title"], replaced["alt"], replaced["tags"], replaced["folder_id"]) == (None, None, [], None)
    assert (replaced["custom"], replaced["source"]) == ({"sku": "B-2"}, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"custom": {"SKU": "x"}}, "custom.SKU"),
        ({"custom": {"1st": "x"}}, "custom.1st"),
        ({"custom": {"k": "x" * 501}}, "custom.k"),
        ({"custom": {"k": {"nested": 1}}}, "custom.k"),
        ({"custom": {"k": [1]}}, "custom.k"),
        ({"custom": {f"k{n}": n for n in range(51)}}, "custom"),
        ({"source": {"id": "x"}}, "source.name"),
        ({"source": {"name": "x", "url": "javascript:alert(1)"}}, "source.url"),
        ({"source": {"name": "x", "extra": 1}}, "source.extra"),
    ],
)
def test_bad_custom_fields_and_sources_are_400(stack: Stack, body: dict, field: str) -> None:
    asset = create(stack)
    status, answer, _ = patch(stack, asset, body)
    assert (status, answer["field"]) == (400, field)


def test_folders_honour_if_match(stack: Stack) -> None:
    status, folder, headers = stack.call("create_folder", body={"name": "Brand"})
    assert headers["ETag"] == f'"{folder["revision"]}"'
    path = {"folder_id": folder["id"]}
    status, renamed, _ = stack.call(
        "update_folder", path_params=path, body={"name": "Brand 2"}, headers={"If-Match": f'"{folder["revision"]}"'}
    )
    assert status == 200
    status, body, _ = stack.call(
        "update_folder", path_params=path, body={"name": "Brand 3"}, headers={"If-Match": f'"{folder["revision"]}"'}
    )
    assert (status, body["error"]) == (412, "precondition_failed")
    _, current, headers = stack.call("get_folder", path_params=path)
    assert (current["name"], headers["ETag"]) == ("Brand 2", f'"{renamed["revision"]}"')


def test_custom_numbers_stay_within_what_the_table_stores(stack: Stack) -> None:
    asset = create(stack, custom={"tiny": 2e-222, "big": 1e125, "whole": 10**37, "negative": -1.5})
    _, stored, _ = stack.call("get_asset", path_params={"asset_id": asset["id"]})
    assert stored["custom"] == {"tiny": 0, "big": stored["custom"]["big"], "whole": 10**37, "negative": -1.5}
    assert float(stored["custom"]["big"]) == 1e125
    status, body, _ = stack.call("create_upload", body={**UPLOAD, "custom": {"n": 1e126}})
    assert (status, body["field"]) == (400, "custom.n")


def test_a_delete_with_a_stale_if_match_is_412_and_deletes_nothing(stack: Stack) -> None:
    asset = create(stack)
    _, changed, _ = patch(stack, asset, {"title": "Changed"})
    path = {"asset_id": asset["id"]}

    status, body, _ = stack.call("delete_asset", path_params=path, headers={"If-Match": f'"{asset["revision"]}"'})
    assert (status, body["error"], body["field"]) == (412, "precondition_failed", "If-Match")
    assert stack.call("get_asset", path_params=path)[0] == 200
    status, _, _ = stack.call("delete_asset", path_params=path, headers={"If-Match": f'"{changed["revision"]}"'})
    assert status == 204
    assert stack.call("get_asset", path_params=path)[0] == 404
