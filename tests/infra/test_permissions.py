"""Least privilege: the exact IAM actions and resources of every function's role."""

from __future__ import annotations

import pytest

from functions import schema
from functions.routes import ROUTES
from infra import permissions

LOGS = {"logs:CreateLogStream", "logs:PutLogEvents"}
SQS_CONSUME = {
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
}
EXPECTED = {
    "functions.create_upload.handler": {"dynamodb:PutItem", "dynamodb:Query", "s3:PutObject"},
    "functions.list_assets.handler": {"dynamodb:Query"},
    "functions.get_asset.handler": {"dynamodb:GetItem"},
    "functions.update_asset.handler": {"dynamodb:UpdateItem", "events:PutEvents"},
    "functions.delete_asset.handler": {
        "dynamodb:GetItem",
        "dynamodb:DeleteItem",
        "s3:ListBucket",
        "s3:DeleteObject",
        "events:PutEvents",
    },
    "functions.download_asset.handler": {"dynamodb:GetItem", "s3:GetObject"},
    "functions.download_rendition.handler": {"dynamodb:GetItem", "s3:GetObject"},
    "functions.authorize.handler": {"dynamodb:GetItem"},
    "functions.process_upload.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "events:PutEvents",
        *SQS_CONSUME,
    },
}
"""The spec, written out: adding a route fails this suite until its grants are decided here too."""


def test_every_route_has_an_expectation():
    assert {f"{route.module}.handler" for route in ROUTES} <= set(EXPECTED)


@pytest.mark.parametrize("handler", sorted(EXPECTED))
def test_exact_actions_per_function(synth, handler):
    role = synth.role_of(synth.functions()[handler])
    granted = {action for statement in synth.statements(role) for action in synth.actions(statement)}
    assert granted == EXPECTED[handler] | LOGS


def _statements_with(synth, handler, action):
    role = synth.role_of(synth.functions()[handler])
    return [s for s in synth.statements(role) if action in synth.actions(s)]


def _resources(synth, handler, action):
    return sorted(arn for s in _statements_with(synth, handler, action) for arn in synth.arns(s))


def test_object_actions_are_limited_to_key_prefixes(synth):
    bucket = f"<{synth.logical_id(synth.stack.storage.bucket)}.Arn>"
    originals = f"{bucket}/{schema.ORIGINALS_PREFIX}*"
    renditions = f"{bucket}/{schema.DERIVED_PREFIX}*"
    assert _resources(synth, "functions.create_upload.handler", "s3:PutObject") == [originals]
    assert _resources(synth, "functions.download_asset.handler", "s3:GetObject") == [originals]
    assert _resources(synth, "functions.download_rendition.handler", "s3:GetObject") == [renditions]
    assert _resources(synth, "functions.process_upload.handler", "s3:GetObject") == [originals]
    assert _resources(synth, "functions.process_upload.handler", "s3:PutObject") == [renditions]
    assert _resources(synth, "functions.process_upload.handler", "s3:DeleteObject") == [renditions]
    assert _resources(synth, "functions.delete_asset.handler", "s3:DeleteObject") == [originals, renditions]


def test_listing_is_limited_to_one_prefix(synth):
    (statement,) = _statements_with(synth, "functions.delete_asset.handler", "s3:ListBucket")
    assert statement["Condition"] == {"StringLike": {"s3:prefix": f"{schema.DERIVED_PREFIX}*"}}
    (statement,) = _statements_with(synth, "functions.process_upload.handler", "s3:ListBucket")
    assert statement["Condition"] == {"StringLike": {"s3:prefix": f"{schema.ORIGINALS_PREFIX}*"}}


def test_list_assets_queries_the_indexes_only(synth):
    table = f"<{synth.logical_id(synth.stack.storage.table)}.Arn>"
    assert _resources(synth, "functions.list_assets.handler", "dynamodb:Query") == sorted(
        f"{table}/index/{index.name}" for index in schema.INDEXES
    )


def test_no_wildcard_action_or_resource_anywhere(synth):
    policies = [p["Properties"]["PolicyDocument"] for p in synth.of_type("AWS::IAM::Policy").values()]
    policies += [
        p["PolicyDocument"]
        for r in synth.of_type("AWS::IAM::Role").values()
        for p in r["Properties"].get("Policies", [])
    ]
    statements = [s for document in policies for s in document["Statement"]]
    assert statements
    assert [a for s in statements for a in synth.actions(s) if "*" in a] == []
    assert [s for s in statements if "*" in synth.arns(s)] == []


def test_our_roles_have_no_managed_policies(synth):
    for handler, function in synth.functions().items():
        role = synth.resources[synth.role_of(function)]["Properties"]
        assert "ManagedPolicyArns" not in role, handler


def test_a_route_without_grants_fails_the_synth(monkeypatch):
    monkeypatch.delitem(permissions.ROUTE_ACCESS, "get_asset")
    with pytest.raises(ValueError, match=r"missing \['get_asset'\]"):
        permissions.route_access(ROUTES)


def test_a_grant_for_no_route_fails_the_synth(monkeypatch):
    monkeypatch.setitem(permissions.ROUTE_ACCESS, "gone", permissions.Access())
    with pytest.raises(ValueError, match=r"not a route \['gone'\]"):
        permissions.route_access(ROUTES)
