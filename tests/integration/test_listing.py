"""GET /v1/assets: every filter and sort, alone and combined, paged across the index shards."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from functions.adapters import listing
from functions.services import trash
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import Stack

TYPES = [("image/png", "png"), ("image/jpeg", "jpg"), ("application/pdf", "pdf"), ("video/mp4", "mp4")]


def create(stack: Stack, tenant: str = "acme", **fields) -> dict:
    body = {"filename": "file.bin", "content_type": "image/png", "size": 1, **fields}
    status, created, _ = stack.call("create_upload", body=body, tenant=tenant)
    assert status == 201, created
    return created["asset"]


def everything(stack: Stack, tenant: str = "acme", limit: int = 7, **query: str) -> list[dict]:
    """Every page of a query, followed through its cursors."""
    seen, cursor = [], None
    while True:
        params = {**query, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        status, page, _ = stack.call("list_assets", query=params, tenant=tenant)
        assert status == 200, page
        assert len(page["items"]) <= limit
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return seen


@pytest.fixture
def library(stack: Stack) -> list[dict]:
    """30 assets with varied titles, names, sizes and types; ties on purpose (same title, same size)."""
    rng = random.Random(7)
    made = []
    for n in range(30):
        content_type, extension = TYPES[n % len(TYPES)]
        made.append(
            create(
                stack,
                filename=f"{rng.choice(['Sunset', 'beach', 'Zebra', 'école'])}-{n}.{extension}",
                content_type=content_type,
                size=rng.choice([10, 20, 30]),
                **({"title": rng.choice(["Alpha", "beta", "Gamma", "Émile"])} if n % 5 else {}),
            )
        )
    create(stack, tenant="globex", filename="theirs.png")
    return made


def key_of(asset: dict, sort: str):
    value = asset[sort]
    if sort in ("title", "filename"):
        value = listing.text_key(value)
    return (value, asset["id"])


@pytest.mark.parametrize("sort", ["created_at", "updated_at", "title", "filename", "size"])
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_each_sort_pages_through_everything_in_order(stack: Stack, library: list[dict], sort: str, order: str) -> None:
    seen = everything(stack, sort=sort, order=order)

    expected = sorted(library, key=lambda asset: key_of(asset, sort), reverse=order == "desc")
    assert [asset["id"] for asset in seen] == [asset["id"] for asset in expected]


def test_text_sorts_ignore_case_and_accents(stack: Stack) -> None:
    for title in ("zulu", "Émile", "echo", "Delta"):
        create(stack, title=title)
    assert [a["title"] for a in everything(stack, sort="title", order="asc")] == ["Delta", "echo", "Émile", "zulu"]


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "image"},
        {"kind": "document"},
        {"content_type": "video/mp4"},
        {"status": "pending"},
        {"kind": "image", "content_type": "image/png"},
        {"kind": "image", "status": "pending", "content_type": "image/jpeg"},
    ],
)
@pytest.mark.parametrize("sort", ["created_at", "size"])
def test_filters_combine_under_any_sort(stack: Stack, library: list[dict], query: dict, sort: str) -> None:
    seen = everything(stack, sort=sort, **query)

    def wanted(asset: dict) -> bool:
        return all(asset[name] == value for name, value in query.items())

    expected = sorted(filter(wanted, library), key=lambda asset: key_of(asset, sort), reverse=True)
    assert [asset["id"] for asset in seen] == [asset["id"] for asset in expected]


def test_status_follows_processing(stack: Stack) -> None:
    ready = stack.upload(files.jpeg())
    failed = stack.upload(b"not an image at all" * 10, content_type="image/png")
    pending = create(stack)
    stack.drain()

    for status, asset in (("ready", ready), ("failed", failed), ("pending", pending)):
        assert [a["id"] for a in everything(stack, status=status)] == [asset["id"]]
    assert [a["id"] for a in everything(stack, status="ready", kind="image")] == [ready["id"]]


def test_assets_go_in_folders_and_move_between_them(stack: Stack) -> None:
    _, folder, _ = stack.call("create_folder", body={"name": "Brand"})
    inside = create(stack, folder_id=folder["id"])
    outside = create(stack)
    assert inside["folder_id"] == folder["id"]

    assert [a["id"] for a in everything(stack, folder_id=folder["id"])] == [inside["id"]]
    assert [a["id"] for a in everything(stack, folder_id="root")] == [outside["id"]]

    status, moved, _ = stack.call(
        "update_asset", path_params={"asset_id": outside["id"]}, body={"folder_id": folder["id"]}
    )
    assert (status, moved["folder_id"]) == (200, folder["id"])
    assert {a["id"] for a in everything(stack, folder_id=folder["id"])} == {inside["id"], outside["id"]}
    stack.call("update_asset", path_params={"asset_id": inside["id"]}, body={"folder_id": None})
    assert [a["id"] for a in everything(stack, folder_id="root")] == [inside["id"]]


def test_a_folder_id_that_is_not_this_tenants_is_400(stack: Stack) -> None:
    _, theirs, _ = stack.call("create_folder", body={"name": "Theirs"}, tenant="globex")
    mine = create(stack)
    for folder_id in ("0" * 32, theirs["id"]):
        status, body, _ = stack.call(
            "create_upload", body={"filename": "a.png", "content_type": "image/png", "size": 1, "folder_id": folder_id}
        )
        assert (status, body["field"]) == (400, "folder_id")
        status, body, _ = stack.call(
            "update_asset", path_params={"asset_id": mine["id"]}, body={"folder_id": folder_id}
        )
        assert (status, body["field"]) == (400, "folder_id")
    assert everything(stack, folder_id=theirs["id"]) == []


def test_date_ranges_bound_every_index(stack: Stack, library: list[dict]) -> None:
    moments = sorted(datetime.fromisoformat(a["created_at"]) for a in library)
    low, high = moments[5], moments[20]
    inside = [a["id"] for a in library if low < datetime.fromisoformat(a["created_at"]) < high]
    bounds = {"created_after": low.isoformat(), "created_before": high.isoformat()}

    for extra in ({}, {"order": "asc"}, {"kind": "image"}, {"sort": "title"}, {"sort": "updated_at"}):
        seen = {a["id"] for a in everything(stack, **bounds, **extra)}
        expected = {
            i for i in inside if "kind" not in extra or next(a for a in library if a["id"] == i)["kind"] == "image"
        }
        assert seen == expected, extra


def test_updated_range_and_offsets(stack: Stack) -> None:
    old, recent = create(stack), create(stack)
    cut = datetime.fromisoformat(recent["created_at"]) - timedelta(microseconds=1)
    stack.call("update_asset", path_params={"asset_id": old["id"]}, body={"title": "touched"})
    elsewhere = cut.astimezone(timezone(timedelta(hours=-5))).isoformat()

    assert {a["id"] for a in everything(stack, updated_after=elsewhere)} == {old["id"], recent["id"]}
    assert [a["id"] for a in everything(stack, created_after=elsewhere)] == [recent["id"]]
    assert [a["id"] for a in everything(stack, updated_before=cut.astimezone(UTC).isoformat())] == []


def test_paging_while_assets_come_and_go_never_repeats_or_skips(stack: Stack, library: list[dict]) -> None:
    _, page, _ = stack.call("list_assets", query={"limit": "10"})
    seen = [a["id"] for a in page["items"]]
    deleted = [a["id"] for a in library if a["id"] not in seen][:3]
    for asset_id in deleted:
        trash.delete(get_deps(), "acme", asset_id)
    added = [create(stack)["id"] for _ in range(3)]
    cursor = page["next_cursor"]
    while cursor:
        _, page, _ = stack.call("list_assets", query={"limit": "10", "cursor": cursor})
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]

    throughout = {a["id"] for a in library} - set(deleted)
    assert len(seen) == len(set(seen))
    assert throughout <= set(seen)
    assert not set(added) & set(seen)  # newer than the first page: behind the cursor's position


def test_dates_at_the_ends_of_the_calendar_are_bounds_like_any_other(stack: Stack) -> None:
    asset = create(stack)
    for query, found in (
        ({"created_before": "0001-01-01T03:04:39+15:08"}, []),
        ({"created_after": "0001-01-01T03:04:39+15:08"}, [asset["id"]]),
        ({"created_before": "9999-12-31T23:59:59-05:00"}, [asset["id"]]),
        ({"updated_after": "9999-12-31T23:59:59-05:00"}, []),
    ):
        assert [a["id"] for a in everything(stack, **query)] == found, query


def test_a_cursor_is_bound_to_its_query(stack: Stack, library: list[dict]) -> None:
    _, page, _ = stack.call("list_assets", query={"limit": "5", "kind": "image"})
    for other in ({"kind": "video"}, {}, {"kind": "image", "sort": "size"}, {"kind": "image", "order": "asc"}):
        status, body, _ = stack.call("list_assets", query={"limit": "5", "cursor": page["next_cursor"], **other})
        assert (status, body["field"]) == (400, "cursor"), other
    status, _, _ = stack.call("list_assets", query={"limit": "9", "cursor": page["next_cursor"], "kind": "image"})
    assert status == 200
    _, theirs, _ = stack.call("list_assets", query={"limit": "5", "kind": "image"}, tenant="globex")
    assert theirs["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sort": "colour"}, "sort"),
        ({"order": "up"}, "order"),
        ({"limit": "0"}, "limit"),
        ({"limit": "251"}, "limit"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_after": "0.5"}, "created_after"),
        ({"created_after": "2026-01-31T09:00:00"}, "created_after"),
        ({"updated_before": "2024-13-01"}, "updated_before"),
        ({"status": "done"}, "status"),
        ({"folder_id": "nope"}, "folder_id"),
        ({"content_type": "png"}, "content_type"),
    ],
)
def test_bad_parameters_are_400_naming_them(stack: Stack, query: dict, field: str) -> None:
    status, body, _ = stack.call("list_assets", query=query)
    assert (status, body["error"], body["field"]) == (400, "invalid_request", field)


def test_tenants_never_see_each_other(stack: Stack, library: list[dict]) -> None:
    assert [a["filename"] for a in everything(stack, tenant="globex")] == ["theirs.png"]
    assert len(everything(stack, kind="image")) == len([a for a in library if a["kind"] == "image"])
