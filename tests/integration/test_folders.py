"""Folders: a tree per tenant, names unique among siblings, paths that follow renames and moves."""

from __future__ import annotations

import pytest

from functions.adapters import folders as folder_items
from functions.services.deps import get_deps
from tests.integration.conftest import Stack

UNKNOWN = "0" * 32
UPLOAD = {"filename": "a.png", "content_type": "image/png", "size": 1}


def make(stack: Stack, name: str, parent: dict | None = None, tenant: str = "acme") -> dict:
    body = {"name": name, **({"parent_id": parent["id"]} if parent else {})}
    status, folder, _ = stack.call("create_folder", body=body, tenant=tenant)
    assert status == 201, folder
    return folder


def get(stack: Stack, folder: dict, tenant: str = "acme") -> tuple[int, dict]:
    status, body, _ = stack.call("get_folder", path_params={"folder_id": folder["id"]}, tenant=tenant)
    return status, body


def patch(stack: Stack, folder: dict, body: dict, tenant: str = "acme") -> tuple[int, dict]:
    status, answer, _ = stack.call("update_folder", path_params={"folder_id": folder["id"]}, body=body, tenant=tenant)
    return status, answer


def children(stack: Stack, parent: dict | None = None, **query: str) -> list[str]:
    if parent:
        query["parent_id"] = parent["id"]
    status, page, _ = stack.call("list_folders", query=query or None)
    assert status == 200, page
    return [folder["name"] for folder in page["items"]]


def test_folders_nest_and_carry_their_path(stack: Stack) -> None:
    brand = make(stack, "Brand")
    logos = make(stack, "Logos", brand)

    assert (brand["path"], brand["parent_id"]) == ("/Brand", None)
    assert (logos["path"], logos["parent_id"]) == ("/Brand/Logos", brand["id"])
    status, detail = get(stack, logos)
    assert status == 200
    assert detail["ancestors"] == [{"id": brand["id"], "name": "Brand"}]
    assert {key: detail[key] for key in logos} == logos


def test_sibling_names_are_unique_ignoring_case(stack: Stack) -> None:
    brand = make(stack, "Brand")
    make(stack, "Logos", brand)

    for name in ("logos", "LOGOS", " Logos "):
        status, body, _ = stack.call("create_folder", body={"name": name, "parent_id": brand["id"]})
        assert (status, body["error"], body["field"]) == (409, "conflict", "name"), name
    make(stack, "Logos")  # the same name elsewhere is fine
    assert children(stack, brand) == ["Logos"]


@pytest.mark.parametrize("name", ["", "   ", "a/b", "tab\there", "x" * 256, "nul\x00"])
def test_bad_names_are_400(stack: Stack, name: str) -> None:
    status, body, _ = stack.call("create_folder", body={"name": name})
    assert (status, body["field"]) == (400, "name")


def test_a_parent_that_is_not_this_tenants_folder_is_400_or_404_when_listed(stack: Stack) -> None:
    theirs = make(stack, "Theirs", tenant="globex")
    for parent_id in (UNKNOWN, theirs["id"]):
        status, body, _ = stack.call("create_folder", body={"name": "x", "parent_id": parent_id})
        assert (status, body["field"]) == (400, "parent_id")
        status, body, _ = stack.call("list_folders", query={"parent_id": parent_id})
        assert (status, body["error"]) == (404, "not_found")
    assert get(stack, theirs)[0] == 404
    assert patch(stack, theirs, {"name": "mine"})[0] == 404
    assert children(stack) == []


def test_children_list_by_name_page_by_page(stack: Stack) -> None:
    names = ["delta", "Alpha", "charlie", "Bravo", "echo"]
    for name in names:
        make(stack, name)

    seen, cursor = [], None
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        status, page, _ = stack.call("list_folders", query=query)
        assert status == 200
        seen += [folder["name"] for folder in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["Alpha", "Bravo", "charlie", "delta", "echo"]


def test_a_cursor_belongs_to_its_parent(stack: Stack) -> None:
    brand = make(stack, "Brand")
    for name in ("a", "b"):
        make(stack, name)
    _, page, _ = stack.call("list_folders", query={"limit": "1"})
    status, body, _ = stack.call(
        "list_folders", query={"limit": "1", "cursor": page["next_cursor"], "parent_id": brand["id"]}
    )
    assert (status, body["field"]) == (400, "cursor")


def test_rename_and_move_carry_the_subtree(stack: Stack) -> None:
    brand, archive = make(stack, "Brand"), make(stack, "Archive")
    logos = make(stack, "Logos", brand)
    old = make(stack, "Old", logos)

    status, moved = patch(stack, logos, {"parent_id": archive["id"], "name": "Logos 2019"})
    assert status == 200
    assert (moved["path"], moved["parent_id"]) == ("/Archive/Logos 2019", archive["id"])
    assert moved["updated_at"] > logos["updated_at"]
    assert get(stack, old)[1]["path"] == "/Archive/Logos 2019/Old"
    assert children(stack, brand) == []
    assert children(stack, archive) == ["Logos 2019"]

    status, at_root = patch(stack, logos, {"parent_id": None})
    assert (status, at_root["path"]) == (200, "/Logos 2019")
    assert get(stack, old)[1]["ancestors"] == [{"id": logos["id"], "name": "Logos 2019"}]
    assert children(stack) == ["Archive", "Brand", "Logos 2019"]


def test_renaming_only_the_case_is_a_rename(stack: Stack) -> None:
    logos = make(stack, "logos")
    status, renamed = patch(stack, logos, {"name": "Logos"})
    assert (status, renamed["name"]) == (200, "Logos")
    assert children(stack) == ["Logos"]


def test_a_move_into_itself_or_its_subtree_is_409(stack: Stack) -> None:
    top = make(stack, "Top")
    middle = make(stack, "Middle", top)
    bottom = make(stack, "Bottom", middle)

    for target in (top, middle, bottom):
        status, body = patch(stack, top, {"parent_id": target["id"]})
        assert (status, body["error"], body["field"]) == (409, "conflict", "parent_id")
    assert get(stack, bottom)[1]["path"] == "/Top/Middle/Bottom"


def test_a_move_or_rename_onto_a_siblings_name_is_409(stack: Stack) -> None:
    brand, archive = make(stack, "Brand"), make(stack, "Archive")
    make(stack, "Logos", archive)
    logos = make(stack, "logos", brand)

    assert patch(stack, logos, {"parent_id": archive["id"]})[1]["field"] == "name"
    assert patch(stack, brand, {"name": "ARCHIVE"})[1]["field"] == "name"
    assert get(stack, logos)[1]["path"] == "/Brand/logos"


def test_a_patch_that_changes_nothing_writes_nothing(stack: Stack) -> None:
    brand = make(stack, "Brand")
    for body in ({}, {"name": "Brand"}, {"parent_id": None}):
        status, same = patch(stack, brand, body)
        assert (status, same) == (200, brand)


def test_a_move_whose_new_parent_changed_meanwhile_is_409(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two moves that would close a cycle (A into B, B into A) can't both land: each checks the other's chain."""
    a, b = make(stack, "A"), make(stack, "B")
    deps = get_deps()
    read = folder_items.Folders.get

    def read_then_b_moves_under_a(self, tenant, folder_id):
        found = read(self, tenant, folder_id)
        if folder_id == b["id"] and found is not None and found.parent_id is None:
            moved = found.model_copy(update={"parent_id": a["id"], "updated_at": found.updated_at.replace(year=2100)})
            deps.folders.replace(found, moved, [read(self, tenant, a["id"])])
        return found

    monkeypatch.setattr(folder_items.Folders, "get", read_then_b_moves_under_a)
    status, body = patch(stack, a, {"parent_id": b["id"]})
    monkeypatch.undo()

    assert (status, body["field"]) == (409, "parent_id")
    assert get(stack, a)[1]["path"] == "/A"
    assert get(stack, b)[1]["path"] == "/A/B"


def test_folders_go_32_levels_deep(stack: Stack) -> None:
    parent = None
    for level in range(32):
        parent = make(stack, f"level {level + 1}", parent)
    status, body, _ = stack.call("create_folder", body={"name": "too deep", "parent_id": parent["id"]})
    assert (status, body["field"]) == (400, "parent_id")
    assert get(stack, parent)[1]["path"].count("/") == 32


def delete(stack: Stack, folder: dict) -> tuple[int, dict | None]:
    status, body, _ = stack.call("delete_folder", path_params={"folder_id": folder["id"]})
    return status, body


def test_only_an_empty_folder_can_be_deleted(stack: Stack) -> None:
    brand = make(stack, "Brand")
    logos = make(stack, "Logos", brand)
    status, body = delete(stack, brand)
    assert (status, body["error"]) == (409, "conflict")

    assert delete(stack, logos)[0] == 204
    assert get(stack, logos)[0] == 404
    assert children(stack, brand) == []
    assert delete(stack, brand)[0] == 204
    assert children(stack) == []
    assert delete(stack, brand)[0] == 404


def test_a_folder_holding_assets_is_409_until_they_leave(stack: Stack) -> None:
    brand, other = make(stack, "Brand"), make(stack, "Other")
    _, created, _ = stack.call("create_upload", body={**UPLOAD, "folder_id": brand["id"]})
    asset = created["asset"]
    _, copied, _ = stack.call("create_upload", body={**UPLOAD, "folder_id": brand["id"]})

    assert delete(stack, brand)[0] == 409
    stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"folder_id": other["id"]})
    assert delete(stack, brand)[0] == 409
    stack.call("delete_asset", path_params={"asset_id": copied["asset"]["id"]})
    assert delete(stack, brand)[0] == 204
    assert delete(stack, other)[0] == 409
    stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"folder_id": None})
    assert delete(stack, other)[0] == 204


def test_a_moved_folder_counts_in_its_new_parent(stack: Stack) -> None:
    old_parent, new_parent = make(stack, "Old"), make(stack, "New")
    child = make(stack, "Child", old_parent)
    assert patch(stack, child, {"parent_id": new_parent["id"]})[0] == 200
    assert delete(stack, old_parent)[0] == 204
    assert delete(stack, new_parent)[0] == 409
    assert patch(stack, child, {"name": "Renamed"})[0] == 200  # a rename keeps the counts
    assert delete(stack, new_parent)[0] == 409


def test_an_asset_can_not_enter_a_folder_deleted_after_the_check(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder check and the write are apart; the write's transaction checks the folder again."""
    from functions.services import tree

    folder = make(stack, "Brand")
    real = tree.chain

    def check_then_folder_goes(deps, tenant, folder_id):
        found = real(deps, tenant, folder_id)
        if folder_id:
            stack.call("delete_folder", path_params={"folder_id": folder_id})
        return found

    monkeypatch.setattr(tree, "chain", check_then_folder_goes)
    status, body, _ = stack.call("create_upload", body={**UPLOAD, "folder_id": folder["id"]})
    assert (status, body["field"]) == (400, "folder_id")
