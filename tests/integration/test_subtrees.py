"""Whole subtrees: recursive listings that follow moves, and recursive deletes done in the background."""

from __future__ import annotations

import json

import pytest

from functions.services import folder_jobs
from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_folders import make, patch
from tests.integration.test_listing import create, everything
from tests.integration.test_search import ids, page


@pytest.fixture
def tree(stack: Stack) -> dict:
    """Brand/Logos/2024 and Other, with an asset at every level, one at the root, and another tenant's."""
    brand = make(stack, "Brand")
    logos = make(stack, "Logos", brand)
    year = make(stack, "2024", logos)
    other = make(stack, "Other")
    made = {
        "brand": create(stack, folder_id=brand["id"], title="b"),
        "logos": create(stack, folder_id=logos["id"], title="l", content_type="application/pdf"),
        "year": create(stack, folder_id=year["id"], title="y"),
        "other": create(stack, folder_id=other["id"], title="o"),
        "root": create(stack, title="r"),
    }
    theirs = make(stack, "Brand", tenant="globex")
    create(stack, tenant="globex", folder_id=theirs["id"])
    return {"folders": {"brand": brand, "logos": logos, "year": year, "other": other}, "assets": made}


def under(stack: Stack, folder: dict, **query) -> set[str]:
    return ids(everything(stack, folder_id=folder["id"], recursive="true", **query))


def test_recursive_lists_the_whole_subtree(stack: Stack, tree: dict) -> None:
    folders, made = tree["folders"], tree["assets"]

    assert under(stack, folders["brand"]) == ids([made["brand"], made["logos"], made["year"]])
    assert under(stack, folders["logos"]) == ids([made["logos"], made["year"]])
    assert under(stack, folders["year"]) == ids([made["year"]])
    assert ids(everything(stack, folder_id=folders["brand"]["id"])) == ids([made["brand"]])
    assert ids(everything(stack, folder_id="root", recursive="true")) == ids(made.values())


def test_recursive_combines_with_filters_sorts_and_totals(stack: Stack, tree: dict) -> None:
    folders, made = tree["folders"], tree["assets"]
    brand = folders["brand"]["id"]

    titles = [a["title"] for a in everything(stack, folder_id=brand, recursive="true", sort="title", order="asc")]
    assert titles == ["b", "l", "y"]
    assert under(stack, folders["brand"], kind="document") == ids([made["logos"]])
    assert page(stack, folder_id=brand, recursive="true", include_total="true")["total"] == 3


def test_an_asset_moved_between_folders_leaves_and_joins_subtrees_at_once(stack: Stack, tree: dict) -> None:
    folders, made = tree["folders"], tree["assets"]
    status, _, _ = stack.call(
        "update_asset", path_params={"asset_id": made["year"]["id"]}, body={"folder_id": folders["other"]["id"]}
    )
    assert status == 200

    assert under(stack, folders["brand"]) == ids([made["brand"], made["logos"]])
    assert under(stack, folders["other"]) == ids([made["other"], made["year"]])


def test_a_moved_folder_takes_its_assets_into_the_new_subtree(stack: Stack, tree: dict) -> None:
    folders, made = tree["folders"], tree["assets"]
    status, _ = patch(stack, folders["logos"], {"parent_id": folders["other"]["id"]})
    assert status == 200
    assert stack.run_jobs() >= 1

    assert under(stack, folders["brand"]) == ids([made["brand"]])
    assert under(stack, folders["other"]) == ids([made["other"], made["logos"], made["year"]])
    assert under(stack, folders["logos"]) == ids([made["logos"], made["year"]])


def test_a_recursive_delete_sends_the_subtrees_assets_to_the_trash(stack: Stack, tree: dict) -> None:
    folders, made = tree["folders"], tree["assets"]
    ready = stack.upload(files.jpeg(), folder_id=folders["year"]["id"])
    stack.drain()
    stack.events()
    assert stack.keys(f"originals/acme/{ready['id']}/")

    status, body, _ = stack.call(
        "delete_folder", path_params={"folder_id": folders["brand"]["id"]}, query={"recursive": "true"}
    )
    assert (status, body) == (202, {"id": folders["brand"]["id"], "status": "deleting"})
    assert stack.run_jobs() >= 1

    gone = [made["brand"], made["logos"], made["year"], ready]
    for name in ("brand", "logos", "year"):
        status, _, _ = stack.call("get_folder", path_params={"folder_id": folders[name]["id"]})
        assert status == 404, name
    for asset in gone:
        status, _, _ = stack.call("get_asset", path_params={"asset_id": asset["id"]})
        assert status == 404, asset["id"]
    deleted = [event["detail"]["asset"]["id"] for event in stack.events() if event["detail-type"] == "asset.deleted"]
    assert sorted(deleted) == sorted(asset["id"] for asset in gone)
    assert ids(everything(stack)) == ids([made["other"], made["root"]])
    assert page(stack, include_total="true")["total"] == 2
    # the ready one waits in the trash, files and all (the pending ones had none: purged); restored, it
    # comes back at the root level, its folder being gone
    _, trashed, _ = stack.call("list_trash")
    assert [asset["id"] for asset in trashed["items"]] == [ready["id"]]
    assert stack.keys(f"originals/acme/{ready['id']}/")
    status, restored, _ = stack.call("restore_asset", path_params={"asset_id": ready["id"]})
    assert (status, restored["folder_id"], restored["status"]) == (200, None, "ready")
    assert ids(everything(stack)) == ids([made["other"], made["root"], ready])
    assert ids(everything(stack, folder_id="root")) == ids([made["root"], ready])
    assert page(stack, include_total="true")["total"] == 3


def test_a_recursive_delete_closes_the_folder_at_once(stack: Stack, tree: dict) -> None:
    folders = tree["folders"]
    stack.call("delete_folder", path_params={"folder_id": folders["brand"]["id"]}, query={"recursive": "true"})

    status, error, _ = stack.call(
        "create_upload",
        body={"filename": "late.png", "content_type": "image/png", "size": 1, "folder_id": folders["brand"]["id"]},
    )
    assert (status, error["field"]) == (400, "folder_id")
    status, error, _ = stack.call("create_folder", body={"name": "Late", "parent_id": folders["brand"]["id"]})
    assert (status, error["field"]) == (400, "parent_id")
    status, _ = patch(stack, folders["brand"], {"name": "Renamed"})
    assert status == 409


def test_a_recursive_delete_is_safe_to_send_again(stack: Stack, tree: dict) -> None:
    brand = tree["folders"]["brand"]["id"]
    for _ in range(2):
        status, _, _ = stack.call("delete_folder", path_params={"folder_id": brand}, query={"recursive": "true"})
        assert status == 202
    stack.run_jobs()
    status, _, _ = stack.call("delete_folder", path_params={"folder_id": brand}, query={"recursive": "true"})
    assert status == 404
    assert len([e for e in stack.events() if e["detail-type"] == "asset.deleted"]) == 3


def test_a_job_out_of_time_is_sent_again_and_finishes(
    stack: Stack, tree: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every run stops after one asset, as if the function's time had run out: the rounds add up to the whole."""
    from functions import run_folder_job

    for n in range(4):
        create(stack, folder_id=tree["folders"]["year"]["id"], title=f"more {n}")
    monkeypatch.setattr(run_folder_job, "RESERVE_MS", 10**9)
    stack.call("delete_folder", path_params={"folder_id": tree["folders"]["brand"]["id"]}, query={"recursive": "true"})

    assert stack.run_jobs() >= 7  # one run per asset, and the last that deletes the folders
    assert ids(everything(stack)) == ids([tree["assets"]["other"], tree["assets"]["root"]])


def test_a_job_that_never_finishes_fails_instead_of_running_forever(stack: Stack, tree: dict) -> None:
    """Its message then goes back to the queue, and after `JOB_MAX_RECEIVES` to the dead-letter queue."""
    from functions import run_folder_job
    from local.lambda_runtime import LambdaContext

    folder = tree["folders"]["brand"]["id"]
    message = {"job": "delete_folder", "tenant": "acme", "folder_id": folder, "round": folder_jobs.MAX_ROUNDS}
    record = {"messageId": "m1", "body": json.dumps(message), "eventSource": "aws:sqs", "attributes": {}}
    result = run_folder_job.handler({"Records": [record]}, LambdaContext(function_name="run_folder_job"))

    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    status, _, _ = stack.call("get_folder", path_params={"folder_id": folder})
    assert status == 200


def test_a_recursive_delete_of_a_deep_tree_with_siblings(stack: Stack) -> None:
    """Twelve levels, each with an asset and a sibling folder holding one more: everything below goes."""
    top = parent = make(stack, "Top")
    made = []
    for depth in range(12):
        made.append(create(stack, folder_id=parent["id"], title=f"level {depth}"))
        sibling = make(stack, f"Side {depth}", parent)
        made.append(create(stack, folder_id=sibling["id"], title=f"side {depth}"))
        parent = make(stack, f"Level {depth}", parent)
    kept = create(stack, title="kept")

    assert under(stack, top) == ids(made)
    status, _, _ = stack.call("delete_folder", path_params={"folder_id": top["id"]}, query={"recursive": "true"})
    assert status == 202
    stack.run_jobs()

    assert ids(everything(stack)) == ids([kept])
    assert stack.call("list_folders")[1]["items"] == []
    deleted = [e["detail"]["asset"]["id"] for e in stack.events() if e["detail-type"] == "asset.deleted"]
    assert sorted(deleted) == sorted(ids(made))
