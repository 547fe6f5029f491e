"""Comments on an asset: written, listed oldest first, deleted, kept through the trash, gone with a purge."""

from __future__ import annotations

import boto3

from tests import files
from tests.integration.conftest import Stack


def comment(stack: Stack, asset_id: str, body: dict, tenant: str = "acme", label: str | None = "Design team"):
    return stack.call(
        "create_comment",
        path_params={"asset_id": asset_id},
        body=body,
        tenant=tenant,
        authorizer={"label": label} if label else None,
    )


def listed(stack: Stack, asset_id: str, **query: str) -> tuple[int, dict]:
    status, page, _ = stack.call("list_comments", path_params={"asset_id": asset_id}, query=query or None)
    return status, page


def test_comments_are_written_listed_oldest_first_and_deleted(stack: Stack) -> None:
    asset = stack.upload(files.jpeg(40, 30))
    stack.drain()
    status, first, _ = comment(
        stack, asset["id"], {"text": "Crop tighter", "annotation": {"x": 0.1, "y": 0.2, "w": 0.5, "h": 0.5}}
    )
    assert status == 201
    assert first["author"] == "Design team"
    assert first["annotation"] == {"x": 0.1, "y": 0.2, "w": 0.5, "h": 0.5}
    ids = [first["id"]] + [comment(stack, asset["id"], {"text": f"note {n}"})[1]["id"] for n in range(4)]
    assert (
        comment(stack, asset["id"], {"text": "on page 2", "annotation": {"page": 2}}, label=None)[1]["author"] is None
    )

    status, page = listed(stack, asset["id"], limit="2")
    assert status == 200
    assert [c["id"] for c in page["items"]] == ids[:2]
    status, rest = listed(stack, asset["id"], limit="10", cursor=page["next_cursor"])
    assert [c["id"] for c in rest["items"]][:3] == ids[2:]
    assert rest["next_cursor"] is None

    status, _, _ = stack.call("delete_comment", path_params={"asset_id": asset["id"], "comment_id": ids[0]})
    assert status == 204
    status, _, _ = stack.call("delete_comment", path_params={"asset_id": asset["id"], "comment_id": ids[0]})
    assert status == 404
    assert ids[0] not in [c["id"] for c in listed(stack, asset["id"])[1]["items"]]


def test_bad_input_is_refused_by_field(stack: Stack) -> None:
    asset = stack.upload(files.jpeg(40, 30))
    cases = [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "ok", "annotation": {"x": 0.8, "y": 0, "w": 0.5, "h": 0.1}}, "annotation"),
        ({"text": "ok", "annotation": {"page": 0}}, "annotation"),
        ({"text": "ok", "extra": 1}, "extra"),
    ]
    for body, field in cases:
        status, refused, _ = comment(stack, asset["id"], body)
        assert status == 400, body
        assert refused["field"].split(".")[0] == field, (body, refused)


def test_comments_are_the_tenants_and_follow_their_asset(stack: Stack) -> None:
    asset = stack.upload(files.jpeg(40, 30))
    stack.drain()
    made = comment(stack, asset["id"], {"text": "mine"})[1]
    assert comment(stack, asset["id"], {"text": "theirs"}, tenant="globex")[0] == 404
    assert listed_as(stack, asset["id"], "globex") == 404
    status, _, _ = stack.call(
        "delete_comment", path_params={"asset_id": asset["id"], "comment_id": made["id"]}, tenant="globex"
    )
    assert status == 404

    stack.call("delete_asset", path_params={"asset_id": asset["id"]})
    assert listed(stack, asset["id"])[0] == 404  # in the trash, with its comments
    assert comment(stack, asset["id"], {"text": "late"})[0] == 404
    stack.call("restore_asset", path_params={"asset_id": asset["id"]})
    assert [c["id"] for c in listed(stack, asset["id"])[1]["items"]] == [made["id"]]

    stack.call("delete_asset", path_params={"asset_id": asset["id"]}, query={"permanent": "true"})
    items = boto3.client("dynamodb").query(
        TableName=stack.settings.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :comments)",
        ExpressionAttributeValues={":pk": {"S": f"T#acme#A#{asset['id']}"}, ":comments": {"S": "CMT#"}},
    )["Items"]
    assert items == []  # the purge took the comments


def listed_as(stack: Stack, asset_id: str, tenant: str) -> int:
    return stack.call("list_comments", path_params={"asset_id": asset_id}, tenant=tenant)[0]


def test_comments_send_events(stack: Stack) -> None:
    asset = stack.upload(files.jpeg(40, 30))
    stack.drain()
    stack.events()
    made = comment(stack, asset["id"], {"text": "hello"})[1]
    stack.call("delete_comment", path_params={"asset_id": asset["id"], "comment_id": made["id"]})
    sent = [
        (e["detail-type"], e["detail"]["comment"]["id"])
        for e in stack.events()
        if e["detail-type"].startswith("comment.")
    ]
    assert sent == [("comment.created", made["id"]), ("comment.deleted", made["id"])]
