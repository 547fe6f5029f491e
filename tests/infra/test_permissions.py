"""Least privilege: the exact IAM actions, resources and conditions of every function's role."""

from __future__ import annotations

from datetime import UTC, datetime
from fnmatch import fnmatchcase

import pytest

from functions import schema
from functions.adapters import folders, keys, listing, table, webhooks
from functions.adapters.keys import Keys
from functions.routes import ROUTES
from infra import permissions

LOGS = {"logs:CreateLogStream", "logs:PutLogEvents"}
TRACES = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
"""Every function traces actively (infra/runtime.py)."""
SQS_CONSUME = {
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
}
EDIT = {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem"}
"""PATCH and PUT: the record and counters in one transaction, members and words in and out, empty tags gone."""
IDEMPOTENCY = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
"""Powertools' idempotency records, on their own table: every POST (`Idempotency-Key`)."""
STREAM_CONSUME = {
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
}
"""Granted by the stream's event source mapping (with sqs:SendMessage to its on-failure queue)."""
PURGE = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:DeleteItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
    "s3:ListBucket",
    "s3:DeleteObject",
}
"""To the trash, and purged (pending, `permanent=true`, or from the trash): every version's files and items, and
the asset out of its shares."""
SHARE_LISTING = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "secretsmanager:GetSecretValue"}
EXPECTED = {
    "functions.uploads.create_upload.handler": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:Query",
        "dynamodb:DeleteItem",
        "s3:PutObject",
        "secretsmanager:GetSecretValue",
    },
    "functions.assets.create_asset.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",  # with GetItem, PutItem and UpdateItem: the idempotency records of a POST
    },
    "functions.uploads.sign_upload_parts.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",  # with UpdateItem and DeleteItem: the idempotency records of a POST
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:PutObject",
    },
    "functions.uploads.complete_upload.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
        "secretsmanager:GetSecretValue",
    },
    "functions.uploads.abort_upload.handler": PURGE | {"dynamodb:ConditionCheckItem", "s3:AbortMultipartUpload"},
    "functions.assets.list_assets.handler": {
        "dynamodb:Query",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "secretsmanager:GetSecretValue",
    },
    "functions.assets.get_asset.handler": {"dynamodb:GetItem", "secretsmanager:GetSecretValue"},
    "functions.assets.list_filters.handler": {"dynamodb:Query"},
    "functions.tags.list_tags.handler": {"dynamodb:Query", "secretsmanager:GetSecretValue"},
    "functions.assets.update_asset.handler": EDIT | {"secretsmanager:GetSecretValue"},
    "functions.assets.replace_asset.handler": EDIT | {"secretsmanager:GetSecretValue"},
    "functions.delivery.get_delivery.handler": {"secretsmanager:GetSecretValue"},
    "functions.comments.create_comment.handler": {
        "dynamodb:PutItem",  # with GetItem, UpdateItem and DeleteItem: also the idempotency records of a POST
        "dynamodb:ConditionCheckItem",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    },
    "functions.comments.list_comments.handler": {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "secretsmanager:GetSecretValue",
    },
    "functions.comments.delete_comment.handler": {"dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"},
    "functions.exports.create_export.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",  # with UpdateItem and DeleteItem: also the idempotency records of a POST
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "sqs:SendMessage",
    },
    "functions.exports.get_export.handler": {"dynamodb:GetItem", "s3:GetObject"},
    "functions.shares.export_shared.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:PutItem",
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
    },
    "functions.shares.get_shared_export.handler": {"dynamodb:GetItem", "s3:GetObject", "secretsmanager:GetSecretValue"},
    "functions.run_export.handler": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListBucket",
        "sqs:SendMessage",
        *SQS_CONSUME,
    },
    "functions.assets.delete_asset.handler": PURGE,
    "functions.trash.purge_asset.handler": PURGE,
    "functions.trash.list_trash.handler": {
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "secretsmanager:GetSecretValue",
    },
    "functions.trash.restore_asset.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:PutItem",  # with DeleteItem: the idempotency records of a POST
        "dynamodb:DeleteItem",
        "secretsmanager:GetSecretValue",
    },
    "functions.assets.copy_asset.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "secretsmanager:GetSecretValue",
    },
    "functions.assets.download_asset.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem", "s3:GetObject"},
    "functions.assets.download_rendition.handler": {"dynamodb:GetItem", "s3:GetObject"},
    "functions.versions.create_version.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:PutObject",
        "secretsmanager:GetSecretValue",
    },
    "functions.versions.list_versions.handler": {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "secretsmanager:GetSecretValue",
    },
    "functions.versions.download_version.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem", "s3:GetObject"},
    "functions.versions.restore_version.handler": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "secretsmanager:GetSecretValue",
    },
    "functions.versions.delete_version.handler": {
        "dynamodb:GetItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
        "s3:DeleteObject",
    },
    "functions.folders.create_folder.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    },
    "functions.folders.delete_folder.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "sqs:SendMessage",
    },
    "functions.folders.list_folders.handler": {"dynamodb:GetItem", "dynamodb:Query", "secretsmanager:GetSecretValue"},
    "functions.folders.get_folder.handler": {"dynamodb:GetItem"},
    "functions.folders.update_folder.handler": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
        "sqs:SendMessage",
    },
    # the key's item read; its `last_used_at` written (a conditional UpdateItem)
    "functions.authorize.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem"},
    # no idempotency records: the answer shows the key, which would be kept there in plain text
    "functions.keys.create_key.handler": {"dynamodb:GetItem", "dynamodb:PutItem"},
    "functions.keys.list_keys.handler": {"dynamodb:Query", "dynamodb:BatchGetItem", "secretsmanager:GetSecretValue"},
    "functions.keys.delete_key.handler": {"dynamodb:GetItem", "dynamodb:DeleteItem", "apigateway:DELETE"},
    "functions.shares.create_share.handler": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
        *IDEMPOTENCY,
    },
    "functions.shares.list_shares.handler": SHARE_LISTING,
    "functions.shares.list_asset_shares.handler": SHARE_LISTING,
    "functions.shares.get_share.handler": {"dynamodb:GetItem"},
    "functions.shares.update_share.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem"},
    "functions.shares.delete_share.handler": {"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"},
    "functions.shares.view_share.handler": SHARE_LISTING,
    "functions.shares.unlock_share.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "secretsmanager:GetSecretValue",
    },
    "functions.shares.download_shared.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "s3:GetObject",
        "secretsmanager:GetSecretValue",
    },
    "functions.forget_expired.handler": {
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "s3:ListBucket",
        "s3:DeleteObject",
        *STREAM_CONSUME,
        "sqs:SendMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
    },
    "functions.publish_events.handler": {
        "events:PutEvents",
        "cloudfront:CreateInvalidation",
        *STREAM_CONSUME,
        "sqs:SendMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
    },
    "functions.deliver.handler": {
        "dynamodb:GetItem",
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "secretsmanager:GetSecretValue",
    },
    "functions.make_signing_key.handler": {"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"},
    "functions.run_folder_job.handler": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "s3:DeleteObject",
        "s3:ListBucket",
        "sqs:SendMessage",
        *SQS_CONSUME,
    },
    "functions.process_upload.handler": {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:Query",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        *SQS_CONSUME,
    },
    "functions.webhooks.create_webhook.handler": {"dynamodb:PutItem", *IDEMPOTENCY},
    "functions.webhooks.list_webhooks.handler": {"dynamodb:Query", "secretsmanager:GetSecretValue"},
    "functions.webhooks.get_webhook.handler": {"dynamodb:GetItem"},
    "functions.webhooks.update_webhook.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem"},
    "functions.webhooks.delete_webhook.handler": {"dynamodb:DeleteItem"},
    "functions.webhooks.rotate_webhook_secret.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem", *IDEMPOTENCY},
    "functions.webhooks.send_webhook_test.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem", *IDEMPOTENCY},
    "functions.webhooks.list_webhook_deliveries.handler": {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "secretsmanager:GetSecretValue",
    },
    "functions.webhooks.retry_webhook_delivery.handler": {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "sqs:SendMessage",
        *IDEMPOTENCY,
    },
    "functions.fan_out_webhooks.handler": {"dynamodb:Query", "dynamodb:PutItem", "sqs:SendMessage", *SQS_CONSUME},
    "functions.deliver_webhooks.handler": {"dynamodb:GetItem", "dynamodb:UpdateItem", "sqs:SendMessage", *SQS_CONSUME},
}
"""The spec, written out: adding a route fails this suite until its grants are decided here too."""

UPLOADS, ORIGINALS, RENDITIONS = schema.UPLOADS_PREFIX, schema.ORIGINALS_PREFIX, schema.DERIVED_PREFIX
TRANSFORMS = schema.TRANSFORMS_PREFIX
EXPORTS = schema.EXPORTS_PREFIX
EVERY_FILE = (UPLOADS, ORIGINALS, RENDITIONS, TRANSFORMS)
"""A purge's: every object of the asset, stored transforms included."""
OBJECTS = {
    "functions.uploads.create_upload.handler": {"s3:PutObject": (UPLOADS,)},
    "functions.uploads.sign_upload_parts.handler": {"s3:PutObject": (UPLOADS,)},
    "functions.uploads.complete_upload.handler": {
        "s3:ListMultipartUploadParts": (UPLOADS,),
        "s3:PutObject": (UPLOADS,),
    },
    "functions.uploads.abort_upload.handler": {
        "s3:DeleteObject": EVERY_FILE,
        "s3:AbortMultipartUpload": (UPLOADS,),
    },
    "functions.assets.delete_asset.handler": {"s3:DeleteObject": EVERY_FILE},
    "functions.trash.purge_asset.handler": {"s3:DeleteObject": EVERY_FILE},
    "functions.forget_expired.handler": {"s3:DeleteObject": EVERY_FILE},
    "functions.assets.copy_asset.handler": {
        "s3:GetObject": (ORIGINALS, RENDITIONS),
        "s3:PutObject": (ORIGINALS, RENDITIONS),
        "s3:DeleteObject": EVERY_FILE,
    },
    "functions.assets.download_asset.handler": {"s3:GetObject": (ORIGINALS,)},
    "functions.assets.download_rendition.handler": {"s3:GetObject": (RENDITIONS,)},
    "functions.versions.create_version.handler": {"s3:PutObject": (UPLOADS,)},
    "functions.versions.download_version.handler": {"s3:GetObject": (ORIGINALS,)},
    "functions.versions.restore_version.handler": {
        "s3:GetObject": (ORIGINALS, RENDITIONS),
        "s3:PutObject": (ORIGINALS, RENDITIONS),
        "s3:DeleteObject": (ORIGINALS, RENDITIONS),
    },
    "functions.versions.delete_version.handler": {"s3:DeleteObject": (UPLOADS, ORIGINALS, RENDITIONS)},
    "functions.run_folder_job.handler": {"s3:DeleteObject": EVERY_FILE},
    "functions.exports.get_export.handler": {"s3:GetObject": (EXPORTS,)},
    "functions.shares.get_shared_export.handler": {"s3:GetObject": (EXPORTS,)},
    "functions.run_export.handler": {
        "s3:GetObject": (ORIGINALS, EXPORTS),
        "s3:PutObject": (EXPORTS,),
        "s3:DeleteObject": (EXPORTS,),
        "s3:AbortMultipartUpload": (EXPORTS,),
    },
    "functions.process_upload.handler": {
        "s3:GetObject": (UPLOADS, ORIGINALS),
        "s3:PutObject": (ORIGINALS, RENDITIONS),
        "s3:DeleteObject": (UPLOADS, ORIGINALS, RENDITIONS),
    },
    "functions.deliver.handler": {"s3:GetObject": (ORIGINALS, RENDITIONS, TRANSFORMS), "s3:PutObject": (TRANSFORMS,)},
    "functions.shares.download_shared.handler": {"s3:GetObject": (ORIGINALS,)},
}
"""S3 object action -> the key prefixes it is granted on, per function (none elsewhere: `EXPECTED`)."""
LISTING = {
    "functions.uploads.abort_upload.handler": EVERY_FILE,
    "functions.assets.copy_asset.handler": EVERY_FILE,
    "functions.assets.delete_asset.handler": EVERY_FILE,
    "functions.trash.purge_asset.handler": EVERY_FILE,
    "functions.forget_expired.handler": EVERY_FILE,
    "functions.process_upload.handler": (UPLOADS,),
    "functions.run_folder_job.handler": EVERY_FILE,
    "functions.deliver.handler": (TRANSFORMS,),
    "functions.run_export.handler": (ORIGINALS, EXPORTS),
}
QUERIES = {
    "functions.uploads.create_upload.handler": (schema.BY_HASH,),
    "functions.assets.list_assets.handler": (
        *schema.SORTS.values(),
        schema.BY_FOLDER,
        schema.BY_KIND,
        schema.BY_STATUS,
        schema.BY_TYPE,
    ),
    "functions.process_upload.handler": (schema.BY_HASH,),
    "functions.versions.restore_version.handler": (schema.BY_HASH,),
    "functions.run_folder_job.handler": (schema.BY_FOLDER,),
    "functions.shares.view_share.handler": (schema.BY_STATUS,),
    "functions.run_export.handler": (
        *schema.SORTS.values(),
        schema.BY_FOLDER,
        schema.BY_KIND,
        schema.BY_STATUS,
        schema.BY_TYPE,
    ),
}
TABLE_QUERIES = {
    "functions.run_export.handler",
    "functions.folders.list_folders.handler",
    "functions.run_folder_job.handler",
    "functions.assets.list_assets.handler",
    "functions.assets.list_filters.handler",
    "functions.tags.list_tags.handler",
    "functions.trash.list_trash.handler",
    "functions.versions.list_versions.handler",
    "functions.comments.list_comments.handler",
    "functions.assets.delete_asset.handler",
    "functions.trash.purge_asset.handler",
    "functions.forget_expired.handler",
    "functions.uploads.abort_upload.handler",
    "functions.shares.list_shares.handler",
    "functions.shares.list_asset_shares.handler",
    "functions.shares.view_share.handler",
    "functions.webhooks.list_webhooks.handler",
    "functions.webhooks.list_webhook_deliveries.handler",
    "functions.fan_out_webhooks.handler",
    "functions.keys.list_keys.handler",
}
"""Functions that query the table itself (a parent's child entries; tag members, words, counters; an asset's
versions: listed, or removed by a purge; shares and their members)."""
AUTHORIZER = "functions.authorize.handler"
KEY_ROUTES = {f"functions.keys.{name}.handler" for name in ("create_key", "list_keys", "delete_key")}
"""The keys API: the keys' own items (`K#...`) and the tenants' key listings (`KEYS#...`), nothing else."""
SHARE_TOKENS = {
    f"functions.shares.{name}.handler"
    for name in (
        "create_share",
        "update_share",
        "delete_share",
        "view_share",
        "unlock_share",
        "download_shared",
        "export_shared",
        "get_shared_export",
    )
} | {
    "functions.assets.delete_asset.handler",
    "functions.trash.purge_asset.handler",
    "functions.uploads.abort_upload.handler",
    "functions.forget_expired.handler",
    "functions.run_folder_job.handler",
}
"""Functions that reach a share's token item (`ST#...`) too: the share routes that write or resolve one, and the
purges that revoke a share left empty."""
EXPORT_ITEMS = {
    "functions.exports.create_export.handler": ["dynamodb:PutItem"],
    "functions.exports.get_export.handler": ["dynamodb:GetItem"],
    "functions.shares.export_shared.handler": ["dynamodb:PutItem"],
    "functions.shares.get_shared_export.handler": ["dynamodb:GetItem"],
    "functions.run_export.handler": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
}
"""What reaches export items, in a statement limited to them (`EXPORT_KEYS`): nothing else can."""
WEBHOOK_LEADING_KEYS = {
    **{
        f"functions.webhooks.{name}.handler": [permissions.WEBHOOK_KEYS]
        for name in (
            "create_webhook",
            "list_webhooks",
            "get_webhook",
            "update_webhook",
            "delete_webhook",
            "rotate_webhook_secret",
            "send_webhook_test",
        )
    },
    **{
        handler: [permissions.WEBHOOK_KEYS, permissions.DELIVERY_KEYS]
        for handler in (
            "functions.webhooks.list_webhook_deliveries.handler",
            "functions.webhooks.retry_webhook_delivery.handler",
            "functions.fan_out_webhooks.handler",
            "functions.deliver_webhooks.handler",
        )
    },
}
"""Webhook functions reach webhook endpoints (`T#{tenant}#WH`) and their deliveries (`T#{tenant}#WH#{id}`) only."""
FOLDER_READERS = ("functions.exports.create_export.handler",)
"""A folder export checks the folder: folder items only, besides its export item."""
PARTITION_KEYS = (schema.PARTITION_KEY, *sorted({index.partition_key for index in schema.INDEXES}))
INDEX_BY_HASH = schema.BY_HASH.partition_key
"""Set on ready assets only, by `hash_keys`; every other partition key is on a new asset's item."""


def test_every_route_has_an_expectation():
    assert {f"{route.module}.handler" for route in ROUTES} <= set(EXPECTED)


@pytest.mark.parametrize("handler", sorted(EXPECTED))
def test_exact_actions_per_function(synth, handler):
    role = synth.role_of(synth.functions()[handler])
    granted = {action for statement in synth.statements(role) for action in synth.actions(statement)}
    assert granted == EXPECTED[handler] | LOGS | TRACES


def _statements_with(synth, handler, action):
    role = synth.role_of(synth.functions()[handler])
    return [s for s in synth.statements(role) if action in synth.actions(s)]


def _resources(synth, handler, action):
    return sorted(arn for s in _statements_with(synth, handler, action) for arn in synth.arns(s))


def _bucket(synth) -> str:
    return f"<{synth.logical_id(synth.stack.storage.bucket)}.Arn>"


def _table(synth) -> str:
    return f"<{synth.logical_id(synth.stack.storage.table)}.Arn>"


def _idempotency(synth) -> str:
    return f"<{synth.logical_id(synth.stack.storage.idempotency)}.Arn>"


@pytest.mark.parametrize("handler", sorted(EXPECTED))
def test_only_the_posts_keep_idempotency_records_and_nothing_else_there(synth, handler):
    role = synth.role_of(synth.functions()[handler])
    there = [s for s in synth.statements(role) if _idempotency(synth) in synth.arns(s)]
    posts = {f"{route.module}.handler" for route in ROUTES if route.method == "POST" and not route.public}
    posts -= {"functions.keys.create_key.handler"}  # its answer shows a key: never kept
    if handler not in posts:
        assert there == []
        return
    (statement,) = there
    assert synth.arns(statement) == [_idempotency(synth)]
    assert sorted(synth.actions(statement)) == sorted(IDEMPOTENCY)


@pytest.mark.parametrize(
    ("handler", "action"), [(handler, action) for handler, actions in OBJECTS.items() for action in actions]
)
def test_object_actions_are_limited_to_key_prefixes(synth, handler, action):
    expected = sorted(f"{_bucket(synth)}/{prefix}*" for prefix in OBJECTS[handler][action])
    assert _resources(synth, handler, action) == expected


def test_only_the_form_signer_writes_uploads_and_only_server_side_code_writes_originals(synth):
    """Sealed originals: a presigned POST or part (signed by create_upload, create_version, sign_upload_parts;
    complete_upload assembles the parts) can reach `uploads/` and nothing else. `originals/` and `renditions/`
    are written by the processor (inspected bytes) and by copy_asset and restore_version, whose only writes
    are server-side copies of objects already there."""
    writers = {
        prefix: sorted(
            handler
            for handler in synth.functions()
            if f"{_bucket(synth)}/{prefix}*" in _resources(synth, handler, "s3:PutObject")
        )
        for prefix in (UPLOADS, ORIGINALS, RENDITIONS)
    }
    assert writers == {
        UPLOADS: [
            "functions.uploads.complete_upload.handler",
            "functions.uploads.create_upload.handler",
            "functions.uploads.sign_upload_parts.handler",
            "functions.versions.create_version.handler",
        ],
        ORIGINALS: [
            "functions.assets.copy_asset.handler",
            "functions.process_upload.handler",
            "functions.versions.restore_version.handler",
        ],
        RENDITIONS: [
            "functions.assets.copy_asset.handler",
            "functions.process_upload.handler",
            "functions.versions.restore_version.handler",
        ],
    }


@pytest.mark.parametrize("handler", sorted(LISTING))
def test_listing_is_limited_to_prefixes(synth, handler):
    (statement,) = _statements_with(synth, handler, "s3:ListBucket")
    assert synth.arns(statement) == [_bucket(synth)]
    assert statement["Condition"] == {"StringLike": {"s3:prefix": [f"{prefix}*" for prefix in LISTING[handler]]}}


@pytest.mark.parametrize("handler", sorted(EXPECTED))
def test_each_function_queries_only_the_indexes_it_uses(synth, handler):
    expected = [f"{_table(synth)}/index/{index.name}" for index in QUERIES.get(handler, ())]
    expected += [_table(synth)] if handler in TABLE_QUERIES else []
    assert _resources(synth, handler, "dynamodb:Query") == sorted(expected)


@pytest.mark.parametrize(
    "handler",
    sorted(h for h, actions in EXPECTED.items() if any(a.startswith("dynamodb:") for a in actions - STREAM_CONSUME)),
)
def test_table_access_is_limited_to_leading_keys(synth, handler):
    """Asset functions reach `T#...` items only, the authorizer `K#...` (API keys) only."""
    role = synth.role_of(synth.functions()[handler])
    statements = [
        s
        for s in synth.statements(role)
        if any(a.startswith("dynamodb:") for a in synth.actions(s))
        and not set(synth.actions(s)) <= STREAM_CONSUME
        and synth.arns(s) != [_idempotency(synth)]
    ]
    assert statements
    keys = (
        WEBHOOK_LEADING_KEYS[handler]
        if handler in WEBHOOK_LEADING_KEYS
        else [permissions.API_KEY_KEYS]
        if handler == AUTHORIZER
        else [permissions.API_KEY_KEYS, permissions.KEY_LISTING_KEYS]
        if handler in KEY_ROUTES
        else list(permissions.FOLDER_KEYS)
        if ".folders." in handler or handler in FOLDER_READERS
        else [permissions.ASSET_KEYS, permissions.SHARE_TOKEN_KEYS]
        if handler in SHARE_TOKENS
        else [permissions.ASSET_KEYS]
    )
    exports_only = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [permissions.EXPORT_KEYS]}}
    on_exports = [s for s in statements if s["Condition"] == exports_only]
    assert [synth.actions(s) for s in on_exports] == ([EXPORT_ITEMS[handler]] if handler in EXPORT_ITEMS else [])
    for statement in statements:
        assert all(arn.startswith(_table(synth)) for arn in synth.arns(statement))
        if statement not in on_exports:
            assert statement["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": keys}}


def test_leading_key_patterns_match_the_keys_the_table_adapter_builds():
    """`ASSET_KEYS` / `API_KEY_KEYS` are written in infra; the keys come from functions/adapters/table.py."""
    written = _written_keys()
    transaction = written["transact_write_items"]["TransactItems"]
    put = transaction[0]["Put"]["Item"]
    asset_keys = [put[name]["S"] for name in PARTITION_KEYS if name != INDEX_BY_HASH]
    asset_keys += [item["Update"]["Key"][schema.PARTITION_KEY]["S"] for item in transaction[1:]]
    members = written["batch_write_item"]["RequestItems"]["assets"]
    asset_keys += [request["PutRequest"]["Item"][schema.PARTITION_KEY]["S"] for request in members]
    assert len(transaction) == 3, "the record, the tenant's counters and the tag's count"
    assert members, "the tag's member and the words"
    asset_keys += [
        table.asset_pk("acme", "a1"),
        *listing.tenant_shards("acme"),
        *listing.dimension_shards("acme", "K", "image"),
        table.hash_pk("acme", "0" * 64),
        table.hash_keys(_record(), "0" * 64)[INDEX_BY_HASH],
    ]
    api_key = written["get_item"]["Key"][schema.PARTITION_KEY]["S"]
    for key in asset_keys:
        assert fnmatchcase(key, permissions.ASSET_KEYS), key
        assert not fnmatchcase(key, permissions.API_KEY_KEYS), key
    assert fnmatchcase(api_key, permissions.API_KEY_KEYS), api_key
    assert not fnmatchcase(api_key, permissions.ASSET_KEYS), api_key
    for key in [*asset_keys, api_key]:
        assert not any(fnmatchcase(key, pattern) for pattern in permissions.FOLDER_KEYS), key


def test_folder_key_patterns_match_the_keys_the_folder_adapter_builds():
    written = [
        table.folder_pk("acme", "f" * 32),
        folders.children_pk("acme", "f" * 32),
        folders.children_pk("acme", None),
    ]
    for key in written:
        assert any(fnmatchcase(key, pattern) for pattern in permissions.FOLDER_KEYS), key


def test_the_webhook_key_patterns_match_what_the_webhook_adapter_builds_and_no_asset_key():
    endpoints, deliveries = webhooks.webhooks_pk("acme"), webhooks.deliveries_pk("acme", "w" * 32)
    assert fnmatchcase(endpoints, permissions.WEBHOOK_KEYS)
    assert not fnmatchcase(endpoints, permissions.DELIVERY_KEYS)
    assert fnmatchcase(deliveries, permissions.DELIVERY_KEYS)
    assert not fnmatchcase(deliveries, permissions.WEBHOOK_KEYS)
    others = [table.asset_pk("acme", "a1"), table.folder_pk("acme", "f1"), schema.export_pk("acme", "e1")]
    others += listing.tenant_shards("acme")
    for pattern in (permissions.WEBHOOK_KEYS, permissions.DELIVERY_KEYS):
        assert not any(fnmatchcase(key, pattern) for key in others), pattern


def test_key_listings_are_reached_by_the_keys_routes_alone():
    """A tenant's key listing and tenant items: not an asset function's `T#*`, nor the authorizer's `K#*`."""
    written = [keys.keys_pk("acme")]
    others = [keys.key_pk("0" * 64), table.asset_pk("acme", "a1"), *listing.tenant_shards("acme")]
    for key in written:
        assert fnmatchcase(key, permissions.KEY_LISTING_KEYS), key
        assert not fnmatchcase(key, permissions.ASSET_KEYS), key
        assert not fnmatchcase(key, permissions.API_KEY_KEYS), key
    assert not any(fnmatchcase(key, permissions.KEY_LISTING_KEYS) for key in others)


def test_only_the_revocation_flushes_the_authorizer_cache_of_its_own_stage(synth):
    flushing = {
        handler: [s for s in synth.statements(synth.role_of(function)) if "apigateway:DELETE" in synth.actions(s)]
        for handler, function in synth.functions().items()
    }
    (statement,) = flushing.pop("functions.keys.delete_key.handler")
    assert all(found == [] for found in flushing.values())
    (api,) = synth.of_type("AWS::ApiGateway::RestApi")
    resource = statement["Resource"]["Fn::Join"][1]
    assert resource[-2:] == [{"Ref": api}, "/stages/prod/cache/authorizers"]
    assert resource[:-2] == ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, "::/restapis/"]
    variables = synth.resources[synth.functions()["functions.keys.delete_key.handler"]]["Properties"]["Environment"]
    assert (variables["Variables"]["REST_API_ID"], variables["Variables"]["API_STAGE"]) == ({"Ref": api}, "prod")


def test_the_export_key_pattern_matches_export_items_and_nothing_else():
    assert fnmatchcase(schema.export_pk("acme", "e" * 32), permissions.EXPORT_KEYS)
    others = [table.asset_pk("acme", "a1"), table.folder_pk("acme", "f1"), *listing.tenant_shards("acme")]
    assert not any(fnmatchcase(key, permissions.EXPORT_KEYS) for key in others)


def _record():
    from functions.models.assets import AssetRecord

    now = datetime.now(UTC)
    return AssetRecord(
        id="0123456789abcdef0123456789abcdef",
        tenant="acme",
        status="pending",
        kind="image",
        filename="a.jpg",
        content_type="image/jpeg",
        size=1,
        created_at=now,
        updated_at=now,
    )


def _written_keys() -> dict[str, dict]:
    """The requests the table adapter sends for a new asset and an API-key lookup, through a recording client."""
    calls = {}

    class Recorder:
        def __getattr__(self, name):
            def call(**kwargs):
                calls[name] = kwargs
                return {}

            return call

    adapter = table.Table("assets", client=Recorder())
    adapter.put_new_asset(_record().model_copy(update={"title": "Sunset", "tags": ["Brand"]}))
    Keys(adapter).resolve("0" * 64)
    return calls


def test_only_the_listings_and_shares_read_the_cursor_secret_and_what_shows_assets_the_delivery_one(synth):
    cursors = f"<{synth.logical_id(synth.stack.cursors.secret)}>"
    delivery = f"<{synth.logical_id(synth.stack.delivery_key)}>"
    readers = {handler: _resources(synth, handler, "secretsmanager:GetSecretValue") for handler in synth.functions()}
    showing = {
        f"functions.{module}.handler"
        for module in (
            "uploads.create_upload",
            "uploads.complete_upload",
            "assets.get_asset",
            "assets.update_asset",
            "assets.replace_asset",
            "assets.copy_asset",
            "trash.restore_asset",
            "versions.create_version",
            "versions.restore_version",
            "delivery.get_delivery",
            "deliver",
        )
    }
    signing = f"<{synth.logical_id(synth.stack.delivery.signing_key)}>"
    expected = {handler: [delivery] for handler in showing}
    expected["functions.deliver.handler"] = sorted([delivery, signing])
    expected["functions.make_signing_key.handler"] = [signing]
    expected |= {
        "functions.assets.list_assets.handler": sorted([cursors, delivery]),
        "functions.folders.list_folders.handler": [cursors],
        "functions.tags.list_tags.handler": [cursors],
        "functions.trash.list_trash.handler": [cursors],
        "functions.versions.list_versions.handler": [cursors],
        "functions.comments.list_comments.handler": [cursors],
        "functions.shares.list_shares.handler": [cursors],
        "functions.keys.list_keys.handler": [cursors],
        "functions.shares.list_asset_shares.handler": [cursors],
        # a share's public URL: a folder share's pages, and the `access` a password gives, signed with the cursor
        # key; its thumbnails' delivery URLs
        "functions.shares.view_share.handler": sorted([cursors, delivery]),
        "functions.shares.unlock_share.handler": [cursors],
        "functions.shares.download_shared.handler": [cursors],
        "functions.shares.export_shared.handler": [cursors],
        "functions.shares.get_shared_export.handler": [cursors],
        "functions.webhooks.list_webhooks.handler": [cursors],
        "functions.webhooks.list_webhook_deliveries.handler": [cursors],
    }
    assert {handler: arns for handler, arns in readers.items() if arns} == expected


def test_table_access_needs_leading_keys():
    with pytest.raises(ValueError, match="leading_keys"):
        permissions.Access(table=("dynamodb:GetItem",))
    with pytest.raises(ValueError, match="leading_keys"):
        permissions.Access(queries=(schema.BY_HASH,))


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
    everywhere = [s for s in statements if "*" in synth.arns(s)]
    # the ones IAM allows only on `*`: X-Ray's, one per function (acknowledged in infra/runtime.py), and
    # ListStreams, from each stream event source (acknowledged in infra/streams.py)
    traces = {"Action": sorted(TRACES), "Effect": "Allow", "Resource": "*"}
    streams = {"Action": "dynamodb:ListStreams", "Effect": "Allow", "Resource": "*"}
    assert [s for s in everywhere if s != traces] == [streams] * 2
    assert everywhere.count(traces) == len(synth.functions())


def test_every_function_traces_actively_with_its_own_role_s_inline_grant(synth):
    for handler, function in synth.functions().items():
        assert synth.resources[function]["Properties"]["TracingConfig"] == {"Mode": "Active"}, handler
        inline = synth.resources[synth.role_of(function)]["Properties"]["Policies"]
        granted = {a for p in inline for s in p["PolicyDocument"]["Statement"] for a in synth.actions(s)}
        assert granted >= TRACES, handler


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
