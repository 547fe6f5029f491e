"""Events derived from stream records of asset items, and how they are put on the bus."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from functions import schema
from functions.adapters.events import EventBus, Refused
from functions.adapters.items import deserialize, serialize
from functions.services.events import EVENT_BYTES, Event, events_of

SAMPLE = json.loads((Path(__file__).resolve().parent.parent / "events" / "stream_asset_ready.json").read_text())
"""A processor's write as Lambda hands it to publish_events: the asset from `pending` to `ready`."""
SOURCE = "assets"


def images() -> tuple[dict[str, Any], dict[str, Any]]:
    change = SAMPLE["dynamodb"]
    return deserialize(change["OldImage"]), deserialize(change["NewImage"])


def record(before: dict[str, Any] | None, after: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    change = copy.deepcopy(SAMPLE)
    change["eventName"] = "INSERT" if before is None else "REMOVE" if after is None else "MODIFY"
    for name, image in (("OldImage", before), ("NewImage", after)):
        change["dynamodb"].pop(name, None)
        if image is not None:
            change["dynamodb"][name] = serialize(image)
    return change | fields


def described(change: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e.detail_type, json.loads(e.detail)["asset"]["status"]) for e in events_of(change, SOURCE)]


def test_the_processors_write_is_asset_ready_with_the_new_record():
    (event,) = events_of(SAMPLE, SOURCE)
    detail = json.loads(event.detail)
    _, after = images()
    assert event.detail_type == "asset.ready"
    assert detail["tenant"] == after["tenant"] == "acme"
    assert detail["asset"]["id"] == after["id"]
    assert detail["asset"]["sha256"] == after["sha256"]
    assert "attempts" not in detail["asset"]  # the public asset only
    assert "tenant" not in detail["asset"]
    assert detail["truncated"] is False


def test_the_id_is_the_changes_own():
    first, again = events_of(SAMPLE, SOURCE), events_of(copy.deepcopy(SAMPLE), SOURCE)
    other = events_of(SAMPLE | {"eventID": "another"}, SOURCE)
    assert json.loads(first[0].detail)["id"] == json.loads(again[0].detail)["id"]
    assert json.loads(first[0].detail)["id"] != json.loads(other[0].detail)["id"]


def test_what_each_change_means():
    pending, ready = images()
    edited = ready | {"title": "Dune", "updated_at": "2030-01-01T00:00:00.000000Z"}
    failed = pending | {"status": "failed", "error": "not an image"}
    assert described(record(None, pending)) == []  # an upload created
    assert described(record(pending, pending | {"attempts": 2})) == []  # an attempt counted
    assert described(record(pending, failed)) == [("asset.failed", "failed")]
    assert described(record(None, ready)) == [("asset.ready", "ready")]  # a copy
    assert described(record(ready, edited)) == [("asset.updated", "ready")]
    assert described(record(pending, pending | {"title": "Early"})) == [("asset.updated", "pending")]
    assert described(record(ready, ready | {"indexed_folders": ["a" * 32]})) == []  # a folder re-indexed
    assert described(record(ready, None)) == [("asset.deleted", "ready")]
    replaced = ready | {"version": 2, "sha256": "f" * 64, "updated_at": "2030-01-01T00:00:00.000000Z"}
    assert described(record(ready, replaced)) == [("asset.replaced", "ready")]
    assert described(record(failed, replaced)) == [("asset.replaced", "ready")]  # a failed upload fixed
    assert described(record(ready, ready | {"latest_version": 3})) == []  # a new version given its number


def test_the_trash_and_back_and_the_purge():
    _, ready = images()
    trashed = ready | {"deleted_at": "2030-01-01T00:00:00.000000Z", "purge_at": "2030-01-31T00:00:00.000000Z"}
    assert described(record(ready, trashed)) == [("asset.deleted", "ready")]
    assert described(record(trashed, trashed | {"purging": True})) == []
    assert described(record(trashed, ready | {"updated_at": "2030-01-02T00:00:00.000000Z"})) == [
        ("asset.restored", "ready")
    ]
    assert described(record(trashed, None)) == []  # the record goes last in a purge: its marker tells
    marker = trashed | {"sk": schema.PURGED_SK}
    purged = record(None, marker)
    purged["dynamodb"]["Keys"]["sk"] = {"S": schema.PURGED_SK}
    assert described(purged) == [("asset.purged", "ready")]
    gone = record(marker, None)
    gone["dynamodb"]["Keys"]["sk"] = {"S": schema.PURGED_SK}
    assert described(gone) == []  # the marker's own TTL


def test_other_items_are_no_event():
    counter = copy.deepcopy(SAMPLE)
    counter["dynamodb"]["Keys"] = {"pk": {"S": "T#acme#N"}, "sk": {"S": "S3"}}
    assert events_of(counter, SOURCE) == []


def test_a_removal_by_ttl_is_no_event():
    pending, _ = images()
    by_ttl = record(pending, None, userIdentity={"type": "Service", "principalId": schema.TTL_PRINCIPAL})
    assert events_of(by_ttl, SOURCE) == []


def test_an_asset_too_large_for_eventbridge_goes_without_metadata_and_custom():
    _, ready = images()
    huge = ready | {"custom": {f"k{i}": "x" * 500 for i in range(50)}}
    huge["metadata"] = ready["metadata"] | {"title": "y" * 300_000}  # a document's own, as long as it is
    (event,) = events_of(record(None, huge), SOURCE)
    detail = json.loads(event.detail)
    assert len(event.detail.encode()) < EVENT_BYTES
    assert detail["truncated"] is True
    assert detail["asset"]["custom"] == {}
    assert detail["asset"]["id"] == ready["id"]
    (small,) = events_of(record(None, ready), SOURCE)
    assert json.loads(small.detail)["truncated"] is False


class FakeEvents:
    """PutEvents that records its calls and refuses entries from the `refuse_from`-th one it is given."""

    def __init__(self, refuse_from: int | None = None):
        self.calls: list[list[dict[str, Any]]] = []
        self.refuse_from = refuse_from
        self.seen = 0

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append(Entries)
        results = []
        for _ in Entries:
            refused = self.refuse_from is not None and self.seen >= self.refuse_from
            results.append({"ErrorCode": "InternalFailure"} if refused else {"EventId": str(self.seen)})
            self.seen += 1
        return {"FailedEntryCount": sum("ErrorCode" in r for r in results), "Entries": results}


def some(count: int, size: int = 10) -> list[Event]:
    return [Event("asset.updated", json.dumps({"n": i, "pad": "x" * size})) for i in range(count)]


def test_events_go_ten_to_a_call_in_order():
    client = FakeEvents()
    EventBus("bus", SOURCE, client).put(some(25))
    assert [len(call) for call in client.calls] == [10, 10, 5]
    assert [json.loads(e["Detail"])["n"] for call in client.calls for e in call] == list(range(25))
    assert {(e["EventBusName"], e["Source"]) for call in client.calls for e in call} == {("bus", SOURCE)}


def test_a_call_stays_under_256_kb():
    client = FakeEvents()
    EventBus("bus", SOURCE, client).put(some(4, size=100 * 1024))
    assert [len(call) for call in client.calls] == [2, 2]


@pytest.mark.parametrize("refuse_from", [0, 3, 10, 17])
def test_a_refusal_says_how_many_went_before_it(refuse_from):
    client = FakeEvents(refuse_from=refuse_from)
    with pytest.raises(Refused) as refused:
        EventBus("bus", SOURCE, client).put(some(25))
    assert refused.value.accepted == refuse_from
    assert len(client.calls) == refuse_from // 10 + 1  # nothing is sent after the call that was refused


def _export(status: str, **fields: Any) -> dict[str, Any]:
    return {
        "pk": schema.export_pk("acme", "e" * 32),
        "sk": schema.EXPORT_SK,
        "id": "e" * 32,
        "tenant": "acme",
        "status": status,
        "filename": "export.zip",
        "created_at": "2026-12-01T00:00:00.000000Z",
        "updated_at": "2026-12-01T00:00:00.000000Z",
        "expires_at": 1796083200,
        **fields,
    }


def _export_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    change = record(before, after)
    change["dynamodb"]["Keys"] = serialize({"pk": schema.export_pk("acme", "e" * 32), "sk": schema.EXPORT_SK})
    return change


def test_an_export_sends_one_event_when_it_ends_and_none_before_or_after():
    ended = [
        (before, after)
        for before, after in (
            (None, _export("pending")),
            (_export("pending"), _export("running", total=3)),
            (_export("running", total=3), _export("running", total=3, done=2)),
            (_export("running", total=3, done=3), _export("ready", total=3, done=3, size=1234)),
            (_export("ready", size=1234), None),  # TTL removed it
            (_export("running"), _export("failed", error="too many")),
            (_export("failed", error="too many"), _export("failed", error="too many")),
        )
        for event in events_of(_export_change(before, after), SOURCE)
    ]
    assert [after["status"] for _, after in ended] == ["ready", "failed"]
    (ready,) = events_of(_export_change(_export("running"), _export("ready", total=3, done=3, size=9)), SOURCE)
    detail = json.loads(ready.detail)
    assert ready.detail_type == "export.ready"
    assert detail["export"]["size"] == 9
    assert detail["export"]["url"] is None
    assert detail["tenant"] == "acme"
