"""A pending asset whose upload never came: TTL removes its record, and its counts and members go with it."""

from __future__ import annotations

import time
from typing import Any

from functions import schema
from local.expiry import Expiry
from local.lambda_runtime import Functions
from local.streams import TTL_IDENTITY
from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_folders import make
from tests.integration.test_listing import create, everything
from tests.integration.test_search import ids, page

LATER = time.time() + 2 * 86_400
FORGET = "functions.forget_expired"


def ttl_removal(item: dict[str, Any]) -> dict[str, Any]:
    """The stream record DynamoDB writes when TTL removes `item`."""
    return {
        "eventID": "1",
        "eventName": "REMOVE",
        "eventSource": "aws:dynamodb",
        "userIdentity": dict(TTL_IDENTITY),
        "dynamodb": {
            "Keys": {name: item[name] for name in (schema.PARTITION_KEY, schema.SORT_KEY)},
            "OldImage": item,
            "SequenceNumber": "1",
            "StreamViewType": schema.STREAM_VIEW,
        },
    }


def test_an_expired_upload_leaves_no_count_member_or_word_behind(stack: Stack) -> None:
    folder = make(stack, "Brand")
    create(stack, folder_id=folder["id"], title="Never uploaded", tags=["Ghost"])
    ready = stack.upload(files.jpeg(), tags=["kept"])
    stack.drain()
    stack.events()

    assert Expiry(stack.settings.table_name, stack.stream).sweep_once(now=LATER) == 1
    assert stack.events() == []  # it was never more than pending: no `asset.deleted`

    assert ids(everything(stack)) == {ready["id"]}
    assert page(stack, include_total="true")["total"] == 1
    assert page(stack, include_total="true", status="pending")["total"] == 0
    assert everything(stack, q="never") == []
    _, tags, _ = stack.call("list_tags")
    assert tags["items"] == [{"name": "kept", "count": 1}]
    status, _, _ = stack.call("delete_folder", path_params={"folder_id": folder["id"]})
    assert status == 204  # its asset_count went back to zero


def test_a_removal_delivered_twice_is_counted_once(stack: Stack) -> None:
    create(stack, tags=["Ghost"])
    create(stack)
    table = stack.settings.table_name
    import boto3

    (item,) = [
        i
        for i in boto3.client("dynamodb").scan(TableName=table)["Items"]
        if i["sk"]["S"] == "ASSET" and "Ghost" in str(i.get("tags"))
    ]
    boto3.client("dynamodb").delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})
    for _ in range(2):
        result = Functions().invoke(FORGET, {"Records": [ttl_removal(item)]})
        assert result == {"batchItemFailures": []}

    assert page(stack, include_total="true")["total"] == 1
    assert page(stack, include_total="true", status="pending")["total"] == 1
    _, tags, _ = stack.call("list_tags")
    assert tags["items"] == []


def test_other_removals_are_ignored(stack: Stack) -> None:
    asset = create(stack)
    removal = ttl_removal({"pk": {"S": f"T#acme#A#{asset['id']}"}, "sk": {"S": "ASSET"}})
    removal["userIdentity"] = {}  # a delete by a user, not by TTL
    assert Functions().invoke(FORGET, {"Records": [removal]}) == {"batchItemFailures": []}
    assert page(stack, include_total="true")["total"] == 1
