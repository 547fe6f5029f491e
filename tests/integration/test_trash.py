"""The trash: a DELETE can be undone until the asset is purged, and a purge leaves nothing behind."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from functions import schema
from local.expiry import Expiry
from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_events import kinds
from tests.integration.test_folders import make
from tests.integration.test_search import ids, page


def ready_asset(stack: Stack, **fields) -> dict:
    asset = stack.upload(files.jpeg(), **fields)
    stack.drain()
    return stack.call("get_asset", path_params={"asset_id": asset["id"]})[1]


def files_of(stack: Stack, asset_id: str) -> list[str]:
    prefixes = (schema.originals_prefix("acme", asset_id), schema.derived_prefix("acme", asset_id))
    return [key for prefix in prefixes for key in stack.keys(prefix)]


def test_a_deleted_asset_is_gone_everywhere_but_the_trash(stack: Stack) -> None:
    folder = make(stack, "Brand")
    asset = ready_asset(stack, folder_id=folder["id"], title="Sunset", tags=["Beach"])
    kept = ready_asset(stack)
    stack.events()
    assert stack.call("delete_asset", path_params={"asset_id": asset["id"]})[0] == 204

    for route in ("get_asset", "download_asset", "update_asset", "delete_asset", "copy_asset"):
        body = {"title": "x"} if route == "update_asset" else {} if route == "copy_asset" else None
        assert stack.call(route, path_params={"asset_id": asset["id"]}, body=body)[0] == 404, route
    assert ids(page(stack)["items"]) == {kept["id"]}
    assert page(stack, q="sunset")["items"] == []
    assert page(stack, tag="beach")["items"] == []
    assert page(stack, include_total="true")["total"] == 1
    assert stack.call("list_tags")[1]["items"] == []
    assert stack.call("delete_folder", path_params={"folder_id": folder["id"]})[0] == 204  # empty now
    assert files_of(stack, asset["id"])  # nothing purged yet
    (event,) = stack.events()
    assert (event["detail-type"], event["detail"]["asset"]["id"]) == ("asset.deleted", asset["id"])

    _, trash, _ = stack.call("list_trash")
    (trashed,) = trash["items"]
    assert trashed["id"] == asset["id"]
    deleted_at = datetime.fromisoformat(trashed["deleted_at"])
    assert datetime.fromisoformat(trashed["purge_at"]) - deleted_at == timedelta(days=30)
    assert stack.call("list_trash", tenant="globex")[1]["items"] == []


def test_a_restored_asset_comes_back_as_it_was(stack: Stack) -> None:
    folder = make(stack, "Brand")
    asset = ready_asset(stack, folder_id=folder["id"], title="Sunset", tags=["Beach"])
    stack.call("delete_asset", path_params={"asset_id": asset["id"]})
    stack.events()

    assert stack.call("restore_asset", path_params={"asset_id": asset["id"]}, tenant="globex")[0] == 404
    status, restored, headers = stack.call("restore_asset", path_params={"asset_id": asset["id"]})
    assert status == 200
    unchanged = {"id", "folder_id", "title", "tags", "sha256", "renditions", "metadata", "status", "created_at"}
    assert {k: restored[k] for k in unchanged} == {k: asset[k] for k in unchanged}
    assert headers["ETag"] == f'"{restored["revision"]}"'
    assert ids(page(stack, q="sunset", folder_id=folder["id"])["items"]) == {asset["id"]}
    assert ids(page(stack, tag="beach")["items"]) == {asset["id"]}
    assert stack.call("delete_folder", path_params={"folder_id": folder["id"]})[0] == 409  # counted in again
    assert stack.call("download_asset", path_params={"asset_id": asset["id"]})[0] == 302
    assert stack.call("list_trash")[1]["items"] == []
    assert kinds(stack.events()) == ["asset.restored"]
    assert stack.call("restore_asset", path_params={"asset_id": asset["id"]})[0] == 404


def test_a_purge_removes_every_file_then_the_record(stack: Stack) -> None:
    asset = ready_asset(stack)
    stack.put_upload("acme", asset["id"], files.jpeg())  # a late second POST, not yet processed
    stack.call("delete_asset", path_params={"asset_id": asset["id"]})
    stack.events()
    assert stack.call("purge_asset", path_params={"asset_id": asset["id"]}, tenant="globex")[0] == 404
    assert stack.call("purge_asset", path_params={"asset_id": asset["id"]})[0] == 204
    assert stack.keys() == []
    assert stack.call("list_trash")[1]["items"] == []
    assert stack.call("restore_asset", path_params={"asset_id": asset["id"]})[0] == 404
    assert stack.call("purge_asset", path_params={"asset_id": asset["id"]})[0] == 404
    (event,) = stack.events()
    assert (event["detail-type"], event["detail"]["asset"]["id"]) == ("asset.purged", asset["id"])


def test_permanent_purges_at_once(stack: Stack) -> None:
    asset = ready_asset(stack)
    stack.events()
    query = {"permanent": "true"}
    assert stack.call("delete_asset", path_params={"asset_id": asset["id"]}, query=query)[0] == 204
    assert stack.keys() == []
    assert stack.call("list_trash")[1]["items"] == []
    assert kinds(stack.events()) == ["asset.deleted", "asset.purged"]


def test_the_trash_is_purged_after_its_retention_by_ttl_and_the_stream(stack: Stack) -> None:
    asset = ready_asset(stack)
    stack.call("delete_asset", path_params={"asset_id": asset["id"]})
    stack.events()
    expiry = Expiry(stack.settings.table_name, stack.stream)
    assert expiry.sweep_once(now=time.time() + 29 * 86_400) == 0
    assert expiry.sweep_once(now=time.time() + 31 * 86_400) == 1

    (event,) = stack.events()  # follows the stream: forget_expired purges, the marker makes the event
    assert (event["detail-type"], event["detail"]["asset"]["id"]) == ("asset.purged", asset["id"])
    assert stack.keys() == []
    assert stack.call("list_trash")[1]["items"] == []
    assert stack.call("restore_asset", path_params={"asset_id": asset["id"]})[0] == 404


def test_a_purge_in_progress_cannot_be_restored(stack: Stack) -> None:
    from functions.services.deps import get_deps

    asset = ready_asset(stack)
    stack.call("delete_asset", path_params={"asset_id": asset["id"]})
    table = get_deps().table
    assert table.start_purge(table.get_asset("acme", asset["id"], trashed=True))  # a purge that stopped midway
    status, body, _ = stack.call("restore_asset", path_params={"asset_id": asset["id"]})
    assert (status, body["error"]) == (409, "conflict")
    assert stack.call("purge_asset", path_params={"asset_id": asset["id"]})[0] == 204  # sent again: it finishes
    assert stack.keys() == []


def test_list_trash_pages_newest_first(stack: Stack) -> None:
    made = [ready_asset(stack)["id"] for _ in range(3)]
    for asset_id in made:
        stack.call("delete_asset", path_params={"asset_id": asset_id})
    _, first, _ = stack.call("list_trash", query={"limit": "2"})
    _, rest, _ = stack.call("list_trash", query={"limit": "2", "cursor": first["next_cursor"]})
    assert [a["id"] for a in first["items"] + rest["items"]] == made[::-1]
    assert rest["next_cursor"] is None
    status, body, _ = stack.call("list_trash", query={"cursor": first["next_cursor"]}, tenant="globex")
    assert (status, body["field"]) == (400, "cursor")
