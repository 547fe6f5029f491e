"""Tags, keyword search, totals and the filter summary: exact, case- and accent-insensitive, per tenant."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_listing import create, everything


def ids(assets: list[dict]) -> set[str]:
    return {asset["id"] for asset in assets}


def page(stack: Stack, tenant: str = "acme", **query) -> dict:
    query = {name: value if isinstance(value, list) else str(value) for name, value in query.items()}
    status, body, _ = stack.call("list_assets", query=query, tenant=tenant)
    assert status == 200, body
    return body


def patch(stack: Stack, asset: dict, **fields) -> dict:
    status, body, _ = stack.call("update_asset", path_params={"asset_id": asset["id"]}, body=fields)
    assert status == 200, body
    return body


def delete(stack: Stack, asset: dict) -> None:
    status, body, _ = stack.call("delete_asset", path_params={"asset_id": asset["id"]})
    assert status == 204, body


def test_tag_filters_ignore_case_and_all_given_tags_must_match(stack: Stack) -> None:
    both = create(stack, tags=["Sunset", "Beach"])
    sunset = create(stack, tags=["sunset"])
    create(stack, tags=["beach"])
    create(stack, tags=["Sunset"], tenant="globex")

    assert ids(everything(stack, tag="SUNSET")) == {both["id"], sunset["id"]}
    assert ids(everything(stack, tag=["sunset", "BEACH"])) == {both["id"]}
    assert ids(everything(stack, tag=["sunset", "mountain"])) == set()
    assert ids(everything(stack, tag="Sunset", tenant="globex")) != {both["id"], sunset["id"]}


def test_a_tag_removed_or_an_asset_deleted_leaves_the_tag_listing(stack: Stack) -> None:
    kept, changed, deleted = (create(stack, tags=["Brand"]) for _ in range(3))
    patch(stack, changed, tags=["other"])
    delete(stack, deleted)

    assert ids(everything(stack, tag="brand")) == {kept["id"]}
    assert page(stack, tag="brand", include_total="true")["total"] == 1
    assert ids(everything(stack, tag="OTHER")) == {changed["id"]}


def test_tags_on_one_asset_are_distinct_ignoring_case(stack: Stack) -> None:
    asset = create(stack, tags=["Sunset", "sunset", "SUNSET ", "beach"])
    assert asset["tags"] == ["Sunset", "beach"]


@pytest.mark.parametrize(
    ("fields", "q"),
    [
        ({"filename": "Café Terrace.jpg"}, "cafe"),
        ({"title": "Sunset over the bay"}, "sun"),
        ({"title": "Sunset over the bay"}, "SUNSET bay"),
        ({"filename": "SunsetBeach_2024-final.JPG"}, "beach"),
        ({"filename": "SunsetBeach_2024-final.JPG"}, "2024 fin"),
        ({"filename": "IMG_0042.HEIC"}, "img 0042"),
        ({"alt": "A red bicycle"}, "bicy"),
        ({"description": "École primaire"}, "ecole"),
        ({"notes": "approved by legal"}, "legal"),
        ({"credits": "Photo: Zoë Müller"}, "zoe muller"),
        ({"tags": ["Product Shot"]}, "product"),
    ],
)
def test_q_finds_a_word_by_its_start_in_any_text_field(stack: Stack, fields: dict, q: str) -> None:
    wanted = create(stack, **fields)
    create(stack, filename="unrelated.bin", title="Nothing here")
    create(stack, tenant="globex", **fields)

    assert ids(everything(stack, q=q)) == {wanted["id"]}


@pytest.mark.parametrize("q", ["set", "sunsets", "sunset mountain", "terrace cafe x"])
def test_q_does_not_match_inside_a_word_or_when_a_word_is_missing(stack: Stack, q: str) -> None:
    create(stack, title="Sunset", filename="Café Terrace.jpg")
    assert everything(stack, q=q) == []


def test_q_follows_edits_and_deletes(stack: Stack) -> None:
    asset = create(stack, title="Harbour at dawn")
    gone = create(stack, title="Harbour at noon")
    patch(stack, asset, title="Lighthouse at dusk")
    delete(stack, gone)

    assert everything(stack, q="harbour") == []
    assert ids(everything(stack, q="lighthouse dusk")) == {asset["id"]}


def test_q_combines_with_filters_sorts_and_pages(stack: Stack) -> None:
    made = [create(stack, title=f"Sunset {n}", size=n + 1, content_type="image/png") for n in range(12)]
    pdf = create(stack, title="Sunset report", content_type="application/pdf")
    create(stack, title="Dawn", content_type="image/png")

    seen = everything(stack, q="sunset", kind="image", sort="size", order="asc", limit=5)  # type: ignore[arg-type]
    assert [a["id"] for a in seen] == [a["id"] for a in made]
    assert ids(everything(stack, q="sunset", content_type="application/pdf")) == {pdf["id"]}
    assert page(stack, q="sunset", include_total="true", limit=5)["total"] == 13


def test_q_with_no_word_in_it_matches_everything(stack: Stack) -> None:
    made = [create(stack) for _ in range(3)]
    assert ids(everything(stack, q=" !? ")) == ids(made)


def test_totals_are_exact_for_every_kind_of_query(stack: Stack) -> None:
    _, folder, _ = stack.call("create_folder", body={"name": "Brand"})
    for n in range(9):
        create(
            stack,
            content_type=["image/png", "application/pdf", "video/mp4"][n % 3],
            tags=["Red"] if n % 2 else ["blue"],
            **({"folder_id": folder["id"]} if n < 4 else {}),
        )
    create(stack, tenant="globex")
    every = everything(stack)

    def total(**query) -> int:
        return page(stack, include_total="true", limit=1, **query)["total"]

    assert total() == 9
    assert total(kind="image") == 3
    assert total(status="pending") == 9
    assert total(folder_id=folder["id"]) == 4
    assert total(folder_id="root") == 5
    assert total(tag="red") == 4
    assert total(kind="image", tag="RED") == len([a for a in every if a["kind"] == "image" and "Red" in a["tags"]])
    assert total(content_type="video/mp4", folder_id="root") == len(
        [a for a in every if a["content_type"] == "video/mp4" and a["folder_id"] is None]
    )
    assert total(created_after=every[-1]["created_at"]) == 8
    assert page(stack)["total"] is None


def test_totals_follow_processing_moves_copies_and_deletes(stack: Stack) -> None:
    ready = stack.upload(files.jpeg(), tags=["photo"])
    failed = stack.upload(b"not an image" * 10, content_type="image/png")
    stack.drain()
    _, folder, _ = stack.call("create_folder", body={"name": "Archive"})

    def total(**query) -> int:
        return page(stack, include_total="true", **query)["total"]

    assert (total(status="ready"), total(status="failed"), total(status="pending")) == (1, 1, 0)
    status, copied, _ = stack.call("copy_asset", path_params={"asset_id": ready["id"]}, body={})
    assert status == 201, copied
    assert (total(), total(status="ready"), total(tag="photo")) == (3, 2, 2)
    patch(stack, failed, folder_id=folder["id"])
    assert (total(folder_id=folder["id"]), total(folder_id="root")) == (1, 2)
    delete(stack, failed)
    delete(stack, copied)
    assert (total(), total(status="failed"), total(folder_id=folder["id"]), total(tag="photo")) == (1, 0, 0, 1)


def test_tags_page_by_name_with_counts_and_the_first_spelling(stack: Stack) -> None:
    create(stack, tags=["Sunset", "beach"])
    create(stack, tags=["SUNSET"])
    create(stack, tags=["Zebra", "apple"])
    create(stack, tags=["mine-only"], tenant="globex")

    seen, cursor = [], None
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        status, body, _ = stack.call("list_tags", query=query)
        assert status == 200, body
        seen += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [
        {"name": "apple", "count": 1},
        {"name": "beach", "count": 1},
        {"name": "Sunset", "count": 2},
        {"name": "Zebra", "count": 1},
    ]


def test_a_tag_no_asset_carries_any_more_is_gone(stack: Stack) -> None:
    asset = create(stack, tags=["Temporary", "kept"])
    patch(stack, asset, tags=["kept"])
    _, body, _ = stack.call("list_tags")
    assert body["items"] == [{"name": "kept", "count": 1}]


def test_a_tags_cursor_is_bound_to_its_tenant(stack: Stack) -> None:
    for n in range(3):
        create(stack, tags=[f"t{n}"])
    _, body, _ = stack.call("list_tags", query={"limit": "1"})
    status, error, _ = stack.call("list_tags", query={"cursor": body["next_cursor"]}, tenant="globex")
    assert (status, error["field"]) == (400, "cursor")


def test_the_filter_summary_counts_exactly(stack: Stack) -> None:
    create(stack, content_type="image/png", tags=["Red", "blue"])
    create(stack, content_type="image/png", tags=["red"])
    create(stack, content_type="application/pdf")
    create(stack, content_type="video/mp4", tenant="globex", tags=["theirs"])

    status, body, _ = stack.call("list_filters")
    assert status == 200, body
    assert {k["value"]: k["count"] for k in body["kinds"]} == {
        "image": 2,
        "video": 0,
        "audio": 0,
        "document": 1,
        "archive": 0,
        "other": 0,
        "link": 0,
        "external_video": 0,
    }
    assert body["statuses"] == [
        {"value": "pending", "count": 3},
        {"value": "ready", "count": 0},
        {"value": "failed", "count": 0},
    ]
    assert body["content_types"] == [{"value": "image/png", "count": 2}, {"value": "application/pdf", "count": 1}]
    assert body["tags"] == [{"value": "Red", "count": 2}, {"value": "blue", "count": 1}]
    assert body["sorts"] == ["created_at", "updated_at", "title", "filename", "size", "download_count"]
    assert {"q", "tag", "include_total", "folder_id"} <= set(body["params"])


def test_counts_match_the_library_after_random_writes(stack: Stack) -> None:
    """Whatever mix of creates, edits, moves, copies and deletes: every counter equals a count of the list."""
    rng = random.Random(11)
    _, folder, _ = stack.call("create_folder", body={"name": "F"})
    live: list[dict] = []
    for _ in range(40):
        action = rng.choice(["create", "create", "edit", "move", "delete"]) if live else "create"
        if action == "create":
            live.append(
                create(
                    stack,
                    content_type=rng.choice(["image/png", "application/pdf"]),
                    tags=rng.sample(["a", "B", "c", "D"], rng.randint(0, 3)),
                )
            )
        elif action == "edit":
            target = rng.choice(live)
            live[live.index(target)] = patch(stack, target, tags=rng.sample(["a", "b", "C", "e"], rng.randint(0, 3)))
        elif action == "move":
            target = rng.choice(live)
            live[live.index(target)] = patch(stack, target, folder_id=rng.choice([folder["id"], None]))
        else:
            target = rng.choice(live)
            delete(stack, target)
            live.remove(target)

    listed = everything(stack, limit=50)
    assert ids(listed) == ids(live)
    _, summary, _ = stack.call("list_filters")
    kinds = Counter(a["kind"] for a in listed)
    assert {k["value"]: k["count"] for k in summary["kinds"] if k["count"]} == dict(kinds)
    tags = Counter(tag.lower() for a in listed for tag in a["tags"])
    assert {t["value"].lower(): t["count"] for t in summary["tags"]} == dict(tags)
    assert page(stack, include_total="true", folder_id=folder["id"])["total"] == len(
        [a for a in listed if a["folder_id"] == folder["id"]]
    )
    assert page(stack, include_total="true")["total"] == len(listed)


def test_numbers_at_the_edge_of_the_range_survive_every_write(stack: Stack) -> None:
    """The counters' bookkeeping never round-trips a record through DynamoDB's 38-digit numbers (found by
    schemathesis: a `custom` float of 6.6e124 made a delete a 500)."""
    asset = create(stack, custom={"big": 6.658428977381093e124, "small": -7.075253257922871e16}, tags=["x"])
    edited = patch(stack, asset, tags=["y"])
    assert float(edited["custom"]["small"]) == -7.075253257922871e16
    delete(stack, edited)
    assert page(stack, include_total="true")["total"] == 0
