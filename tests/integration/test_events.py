"""Events come from the table's stream: exactly the committed changes, in order, never lost to a bus outage."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest

from functions.adapters import clients
from functions.adapters.table import FolderGone
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_listing import create
from tests.integration.test_processor import Throttled


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [event["detail-type"] for event in events]


class RefusesFrom:
    """An EventBridge client that accepts the first `accepted` entries it is given, then refuses every one."""

    def __init__(self, accepted: int):
        self.left = accepted
        self.real = boto3.client("events")

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        taken, self.left = Entries[: self.left], max(0, self.left - len(Entries))
        results = self.real.put_events(Entries=taken)["Entries"] if taken else []
        refused = [{"ErrorCode": "InternalFailure", "ErrorMessage": "refused"}] * (len(Entries) - len(taken))
        return {"FailedEntryCount": len(refused), "Entries": results + refused}


def test_an_event_survives_a_bus_outage_during_a_patch(stack: Stack) -> None:
    asset = create(stack)
    stack.events()
    real = clients.get("events")
    clients.override("events", Throttled())
    status, patched, _ = stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"title": "Dune"})
    assert status == 200  # the change was made: the client hears so, whatever the bus does
    assert stack.events() == []
    assert stack.events() == []  # still down: the stream keeps it
    clients.override("events", real)

    (event,) = stack.events()
    assert event["detail-type"] == "asset.updated"
    assert event["detail"]["asset"] == patched
    assert event["detail"]["tenant"] == "acme"


def test_a_write_that_failed_emits_nothing(stack: Stack) -> None:
    asset = create(stack)
    stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"title": "First"})
    stack.events()
    status, _, _ = stack.call(
        "update_asset",
        path_params={"asset_id": asset["id"]},
        body={"title": "Stale"},
        headers={"If-Match": f'"{asset["revision"]}"'},
    )
    assert status == 412
    status, _, _ = stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"title": "First"})
    assert status == 200  # nothing changed, nothing written
    assert stack.events() == []


def test_a_transaction_rolled_back_emits_nothing(stack: Stack) -> None:
    asset = create(stack)
    stack.events()
    table = get_deps().table
    record = table.get_asset("acme", asset["id"])
    moved = {"folder_id": uuid.uuid4().hex, "updated_at": "2030-01-01T00:00:00.000000Z"}
    with pytest.raises(FolderGone):  # the asset's write went first; the missing folder's count undid it
        table.update_asset(record, moved)
    assert stack.events() == []
    assert table.get_asset("acme", asset["id"]) == record


def test_each_change_of_an_asset_in_order_after_an_outage(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    real = clients.get("events")
    clients.override("events", Throttled())
    stack.drain()
    for title in ("One", "Two"):
        stack.call("update_asset", path_params={"asset_id": asset_id}, body={"title": title})
    stack.call("delete_asset", path_params={"asset_id": asset_id})
    assert stack.events() == []
    clients.override("events", real)

    events = stack.events()
    assert kinds(events) == ["asset.ready", "asset.updated", "asset.updated", "asset.deleted"]
    assert [e["detail"]["asset"]["title"] for e in events] == [None, "One", "Two", "Two"]
    assert len({e["detail"]["id"] for e in events}) == 4


def test_a_refusal_midway_sends_the_rest_again_in_order_with_the_same_ids(stack: Stack) -> None:
    asset = create(stack)
    stack.events()
    for title in ("One", "Two", "Three"):
        stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"title": title})
    real = clients.get("events")
    clients.override("events", RefusesFrom(accepted=1))
    first = stack.events()
    clients.override("events", real)
    rest = stack.events()

    assert [e["detail"]["asset"]["title"] for e in first] == ["One"]
    assert [e["detail"]["asset"]["title"] for e in rest] == ["Two", "Three"]


def test_the_same_change_delivered_twice_carries_the_same_id(stack: Stack) -> None:
    asset = create(stack)
    stack.events()
    stack.call("update_asset", path_params={"asset_id": asset["id"]}, body={"title": "Once"})
    records = stack.stream.read(after=stack.stream.last_read)
    publish = "functions.publish_events"
    for _ in range(2):  # delivered by hand twice, then once more by the stream
        assert stack.stream.functions.invoke(publish, {"Records": records}) == {"batchItemFailures": []}
    events = stack.events()
    assert len({e["id"] for e in events}) == 3  # three deliveries to the bus...
    assert [e["detail"] for e in events] == [events[0]["detail"]] * 3  # ...of one change: one `detail.id`
    assert events[0]["detail"]["asset"]["title"] == "Once"


def test_changes_nobody_sees_emit_nothing(stack: Stack) -> None:
    create(stack)  # an upload created: pending, nothing to tell yet
    folder = stack.call("create_folder", body={"name": "Brand"})[1]
    child = stack.call("create_folder", body={"name": "Logos", "parent_id": folder["id"]})[1]
    inside = create(stack, folder_id=child["id"])
    moved = stack.call("update_folder", path_params={"folder_id": child["id"]}, body={"parent_id": None})
    assert moved[0] == 200
    stack.run_jobs()  # re-indexes the asset under its folder's new ancestors
    assert stack.events() == []
    assert stack.call("get_asset", path_params={"asset_id": inside["id"]})[1]["revision"] == inside["revision"]


def test_a_copy_is_a_new_ready_asset(stack: Stack) -> None:
    source = stack.upload(files.jpeg())["id"]
    stack.drain()
    stack.events()
    status, copy, _ = stack.call("copy_asset", path_params={"asset_id": source}, body={})
    assert status == 201
    (event,) = stack.events()
    assert (event["detail-type"], event["detail"]["asset"]["id"]) == ("asset.ready", copy["id"])
