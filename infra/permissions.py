"""Least privilege: what every function may do, as exact IAM actions on exact resources, in one table.

Object actions are limited to key prefixes (`uploads/*`, `originals/*`, `renditions/*`, `exports/*`); listing is
limited by an `s3:prefix` condition; each function queries only the indexes it names; every table and
index statement is limited by `dynamodb:LeadingKeys` to the partition keys of its items (assets `T#*`,
API keys `K#*`, key listings `KEYS#*`). `create_upload`, which signs the presigned POSTs, may put objects under
`uploads/` and nowhere else, so no form can write anywhere else; `originals/` (the sealed copies the API serves) and
`renditions/` are written by the processor alone (see `functions.schema`). No wildcard action anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import cast

from aws_cdk import Acknowledgment, Aws, CfnElement, Names, Stack, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import IConstruct

from functions import schema
from functions.routes import Route
from infra import names

UPLOADS = schema.UPLOADS_PREFIX
ORIGINALS = schema.ORIGINALS_PREFIX
RENDITIONS = schema.DERIVED_PREFIX
TRANSFORMS = schema.TRANSFORMS_PREFIX
EXPORTS = schema.EXPORTS_PREFIX
EVERY_FILE = (UPLOADS, ORIGINALS, RENDITIONS, TRANSFORMS)
"""What a purge lists and deletes: every object of the asset (services.assets.remove_objects)."""

# Partition-key prefixes for `dynamodb:LeadingKeys`, as functions/adapters/table.py builds the keys:
# `asset_pk` (`T#{tenant}#A#{id}`) and the index keys `tenant_pk`, `kind_pk`, `hash_pk` all start with
# `T#{tenant}`; API-key items (sk `KEY`) have pk `K#{sha256(key)}`. tests/infra/test_permissions.py
# checks these against that module, so the two cannot drift.
ASSET_KEYS = "T#*"
FOLDER_KEYS = ("T#*#F#*", "T#*#C#*")
"""Folder items (`folder_pk`) and child entries (`children_pk`) of functions/adapters/folders.py only: the folder
routes can't reach an asset item."""
API_KEY_KEYS = "K#*"
KEY_LISTING_KEYS = "KEYS#*"
"""A tenant's key listing items and its tenant item (`functions/adapters/keys.py`): the keys routes' alone."""
SHARE_TOKEN_KEYS = "ST#*"  # noqa: S105 - a key prefix, not a secret
"""A share's token item (`functions/adapters/shares.py`): its public URL's only way in."""
EXPORT_KEYS = "T#*#E#*"
"""Export items (`schema.export_pk`) only: what the export routes and the export worker write."""
LEADING_KEYS = "dynamodb:LeadingKeys"


@dataclass(frozen=True)
class Targets:
    """The resources the grants point at."""

    table: dynamodb.ITable
    bucket: s3.IBucket
    bus: events.IEventBus
    cursor_secret: secretsmanager.ISecret
    delivery_secret: secretsmanager.ISecret
    jobs: sqs.IQueue
    """The folder-jobs queue."""
    exports: sqs.IQueue
    """The exports queue."""
    idempotency: dynamodb.ITable
    """Powertools' idempotency records."""
    distribution_arn: str | None = None
    """The delivery CDN, once it exists (the delivery function is its origin, so it is built without it)."""
    rest_api_id: str | None = None
    """The REST API, once it exists (its route functions are built with it)."""


def arn_in_stack_of(consumer: IConstruct, resource: IConstruct) -> str:
    """The `Arn` attribute of `resource` as cdk-nag renders it in a statement of `consumer`'s stack: `<Id.Arn>` in
    the resource's own stack; in a nested stack, the parameter CDK passes it in, which CDK names
    `reference-to-<unique id of the resource><attribute>` (tests/infra/test_nag.py fails if that ever changes)."""
    element = cast(CfnElement, resource.node.default_child)
    if Stack.of(consumer).node.path == Stack.of(element).node.path:
        return f"<{Stack.of(element).resolve(element.logical_id)}.Arn>"
    return f"<referenceto{Names.node_unique_id(element.node)}Arn>"


@dataclass(frozen=True)
class Access:
    table: tuple[str, ...] = ()
    """Actions on the table's items."""
    queries: tuple[schema.Index, ...] = ()
    """The global secondary indexes the function queries (`dynamodb:Query` on those, not on the table)."""
    leading_keys: tuple[str, ...] = ()
    """`dynamodb:LeadingKeys` patterns every table and index statement is limited to; required with either."""
    export_items: tuple[str, ...] = ()
    """Actions on export items (`EXPORT_KEYS`) only, in a statement of their own."""
    objects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """S3 object action -> the key prefixes it applies to."""
    list_prefixes: tuple[str, ...] = ()
    """`s3:ListBucket`, for keys under these prefixes only."""
    put_events: bool = False
    """`events:PutEvents` on the stack's bus: the event publisher's alone."""
    read_cursor_secret: bool = False
    """`secretsmanager:GetSecretValue` on the secret that signs list cursors."""
    read_delivery_secret: bool = False
    """`secretsmanager:GetSecretValue` on the secret delivery URLs are signed with (assets carry URLs)."""
    invalidate: bool = False
    """`cloudfront:CreateInvalidation` on the delivery distribution: the publisher's alone."""
    send_jobs: bool = False
    """`sqs:SendMessage` on the folder-jobs queue."""
    send_exports: bool = False
    """`sqs:SendMessage` on the exports queue."""
    idempotent: bool = False
    """Powertools' idempotency: read, write and delete its records (`Idempotency-Key` on a POST)."""
    flush_authorizers: bool = False
    """`apigateway:DELETE` on the stage's authorizer cache (FlushStageAuthorizersCache): revoking a key."""

    def __post_init__(self) -> None:
        if (self.table or self.queries) and not self.leading_keys:
            raise ValueError("table or index access needs leading_keys (ASSET_KEYS, FOLDER_KEYS or API_KEY_KEYS)")

    def statements(self, targets: Targets) -> list[iam.PolicyStatement]:
        statements = []
        keys = {"ForAllValues:StringLike": {LEADING_KEYS: list(self.leading_keys)}}
        if self.table:
            statements.append(
                iam.PolicyStatement(actions=list(self.table), resources=[targets.table.table_arn], conditions=keys)
            )
        if self.export_items:
            statements.append(
                iam.PolicyStatement(
                    actions=list(self.export_items),
                    resources=[targets.table.table_arn],
                    conditions={"ForAllValues:StringLike": {LEADING_KEYS: [EXPORT_KEYS]}},
                )
            )
        if self.queries:
            arns = [f"{targets.table.table_arn}/index/{index.name}" for index in self.queries]
            statements.append(iam.PolicyStatement(actions=["dynamodb:Query"], resources=arns, conditions=keys))
        for action, prefixes in self.objects.items():
            arns = [targets.bucket.arn_for_objects(f"{prefix}*") for prefix in prefixes]
            statements.append(iam.PolicyStatement(actions=[action], resources=arns))
        if self.list_prefixes:
            statements.append(
                iam.PolicyStatement(
                    actions=["s3:ListBucket"],
                    resources=[targets.bucket.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{prefix}*" for prefix in self.list_prefixes]}},
                )
            )
        if self.put_events:
            statements.append(iam.PolicyStatement(actions=["events:PutEvents"], resources=[targets.bus.event_bus_arn]))
        if self.read_cursor_secret:
            statements.append(
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"], resources=[targets.cursor_secret.secret_arn]
                )
            )
        if self.read_delivery_secret:
            statements.append(
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"], resources=[targets.delivery_secret.secret_arn]
                )
            )
        if self.invalidate:
            if targets.distribution_arn is None:
                raise ValueError("invalidate needs the distribution in targets")
            statements.append(
                iam.PolicyStatement(actions=["cloudfront:CreateInvalidation"], resources=[targets.distribution_arn])
            )
        if self.idempotent:
            statements.append(
                iam.PolicyStatement(
                    actions=["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
                    resources=[targets.idempotency.table_arn],
                )
            )
        if self.flush_authorizers:
            if targets.rest_api_id is None:
                raise ValueError("flush_authorizers needs the REST API in targets")
            statements.append(
                iam.PolicyStatement(
                    actions=["apigateway:DELETE"], resources=[authorizer_cache_arn(targets.rest_api_id)]
                )
            )
        if self.send_jobs:
            statements.append(iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[targets.jobs.queue_arn]))
        if self.send_exports:
            statements.append(iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[targets.exports.queue_arn]))
        return statements

    def acknowledge(self, role: iam.IRole, targets: Targets) -> None:
        """Acknowledge the key-prefix wildcards of the statements that cdk-nag reports (IAM5)."""
        prefixes = sorted({prefix for prefixes in self.objects.values() for prefix in prefixes})
        if not prefixes:
            return
        bucket = arn_in_stack_of(role, targets.bucket)
        for prefix in prefixes:
            Validations.of(role).acknowledge(
                Acknowledgment(
                    id=f"AwsSolutions-IAM5[Resource::{bucket}/{prefix}*]",
                    reason=f"Object actions are limited to the {prefix} key prefix: keys ({prefix}<tenant>/<asset id>) "
                    "are only known per request, so the prefix is the narrowest resource.",
                )
            )


def authorizer_cache_arn(rest_api_id: str) -> str:
    """The stage's authorizer cache, the resource of FlushStageAuthorizersCache (`DELETE` on its path)."""
    return (
        f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}::/restapis/{rest_api_id}/stages/{names.STAGE}/cache/authorizers"
    )


MAKE_CURRENT = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
"""Making a file current (the processor, a version restore): the asset's compare-and-set with its counters, the
version items beside it (PutItem), the new name's search words in and out (BatchWriteItem, a count left at zero
removed), `duplicate_of` read from `by_hash` (BatchGetItem)."""

EDIT = ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem")

PURGE = Access(
    table=(
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    ),
    leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
    objects={"s3:DeleteObject": EVERY_FILE},
    list_prefixes=EVERY_FILE,
)
"""Trash an asset and purge it: see `delete_asset` below. A purge takes the asset out of its shares (their
member items: Query; the shares: BatchGetItem, UpdateItem), revoking one left empty (its token too)."""

ROUTE_ACCESS: dict[str, Access] = {
    # The presigned POST is signed with the function's role, so the role itself needs s3:PutObject, and
    # only under uploads/: no form it signs, tampered or not, can write anywhere else.
    # The by_hash index answers "does the tenant already hold these bytes?".
    # Over SINGLE_UPLOAD_BYTES the upload is multipart: started (CreateMultipartUpload is s3:PutObject) and its
    # parts presigned (UploadPart, s3:PutObject too) by the same role, under uploads/ only; its item put.
    "create_upload": Access(
        table=(
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
        ),
        queries=(schema.BY_HASH,),
        leading_keys=(ASSET_KEYS,),
        objects={"s3:PutObject": (UPLOADS,)},
        read_delivery_secret=True,
    ),
    # A link: its folder and the folders above read, then the record put in one transaction with the counters
    # and its folder's count (UpdateItem), its members and words in (BatchWriteItem). No file, no secret: a link
    # carries no delivery URL.
    "create_asset": Access(
        table=("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
        leading_keys=(ASSET_KEYS,),
    ),
    # The listing indexes are KEYS_ONLY: a page's records are read with BatchGetItem. Tag members, search
    # words and counters are items of the table (Query, BatchGetItem), a folder's count a GetItem. The cursor
    # secret signs and checks page cursors.
    "list_assets": Access(
        table=("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
        queries=(*schema.SORTS.values(), schema.BY_FOLDER, schema.BY_KIND, schema.BY_STATUS, schema.BY_TYPE),
        leading_keys=(ASSET_KEYS,),
        read_cursor_secret=True,
        read_delivery_secret=True,
    ),
    # Every route that shows a ready asset signs its delivery URLs (read_delivery_secret).
    "get_asset": Access(table=("dynamodb:GetItem",), leading_keys=(ASSET_KEYS,), read_delivery_secret=True),
    # Counters: one Query of the tenant's counter items and one of its tag counts.
    "list_filters": Access(table=("dynamodb:Query",), leading_keys=(ASSET_KEYS,)),
    "list_tags": Access(table=("dynamodb:Query",), leading_keys=(ASSET_KEYS,), read_cursor_secret=True),
    # Compare-and-set: read `updated_at`, then update on condition it is unchanged, in one transaction with
    # the counters (UpdateItem); tag members and words in and out (BatchWriteItem), a tag count left at zero
    # removed (DeleteItem).
    "update_asset": Access(table=EDIT, leading_keys=(ASSET_KEYS,), read_delivery_secret=True),
    "replace_asset": Access(table=EDIT, leading_keys=(ASSET_KEYS,), read_delivery_secret=True),
    # The copy's files are server-side copies (GetObject on the source, PutObject on the target); if one
    # fails, the files already copied are listed and removed. Its version 1 item is put with it.
    "copy_asset": Access(
        table=("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
        leading_keys=(ASSET_KEYS,),
        objects={
            "s3:GetObject": (ORIGINALS, RENDITIONS),
            "s3:PutObject": (ORIGINALS, RENDITIONS),
            "s3:DeleteObject": EVERY_FILE,
        },
        list_prefixes=EVERY_FILE,
        read_delivery_secret=True,
    ),
    # To the trash: one transaction (the record's Update, the counters'), its trash member in and its members
    # out (BatchWriteItem), a tag count left at zero removed (DeleteItem). A purge (pending, `permanent=true`)
    # takes every file (every version's upload, sealed revision and renditions: listed, then deleted), the
    # versions' items (Query, BatchWriteItem), then the record (Delete) with its purge marker (Put) in one
    # transaction.
    "delete_asset": PURGE,
    "list_trash": Access(
        table=("dynamodb:Query", "dynamodb:BatchGetItem"), leading_keys=(ASSET_KEYS,), read_cursor_secret=True
    ),
    # Back in every index and count (Update in one transaction with the counters and its folder's count; members
    # in, the trash member out), in its folder if that still exists (GetItem on the folders above it).
    "restore_asset": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
        leading_keys=(ASSET_KEYS,),
        read_delivery_secret=True,
    ),
    "purge_asset": PURGE,
    "get_delivery": Access(read_delivery_secret=True),
    # A comment is written or deleted in one transaction with a check that its asset is there, out of the trash.
    "create_comment": Access(table=("dynamodb:PutItem", "dynamodb:ConditionCheckItem"), leading_keys=(ASSET_KEYS,)),
    "list_comments": Access(
        table=("dynamodb:GetItem", "dynamodb:Query"), leading_keys=(ASSET_KEYS,), read_cursor_secret=True
    ),
    "delete_comment": Access(table=("dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"), leading_keys=(ASSET_KEYS,)),
    # A multipart upload: its item read, its parts presigned (s3:PutObject, under uploads/ only).
    "sign_upload_parts": Access(
        table=("dynamodb:GetItem",), leading_keys=(ASSET_KEYS,), objects={"s3:PutObject": (UPLOADS,)}
    ),
    # Its parts listed and checked (ListParts), then completed (CompleteMultipartUpload is s3:PutObject), the item
    # marked completed, the asset read.
    "complete_upload": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS,),
        objects={"s3:ListMultipartUploadParts": (UPLOADS,), "s3:PutObject": (UPLOADS,)},
        read_delivery_secret=True,
    ),
    # Aborted, then the pending asset purged (as delete_asset does) or the pending version deleted (as
    # delete_version does), then its item.
    "abort_upload": replace(
        PURGE,
        table=(*PURGE.table, "dynamodb:ConditionCheckItem"),
        objects={**PURGE.objects, "s3:AbortMultipartUpload": (UPLOADS,)},
    ),
    # The presigned GET is signed with the function's role; the download is counted on the asset (UpdateItem).
    "download_asset": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS,),
        objects={"s3:GetObject": (ORIGINALS,)},
    ),
    "download_rendition": Access(
        table=("dynamodb:GetItem",), leading_keys=(ASSET_KEYS,), objects={"s3:GetObject": (RENDITIONS,)}
    ),
    # A new version: its number on the asset (UpdateItem) and its item (PutItem) in one transaction; the
    # presigned POST is signed with the function's role, so it may put objects under uploads/ only.
    "create_version": Access(
        table=("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS,),
        objects={"s3:PutObject": (UPLOADS,)},
        read_delivery_secret=True,
    ),
    "list_versions": Access(
        table=("dynamodb:GetItem", "dynamodb:Query"), leading_keys=(ASSET_KEYS,), read_cursor_secret=True
    ),
    "download_version": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS,),
        objects={"s3:GetObject": (ORIGINALS,)},
    ),
    # A restore: a new version (as above), its files copied server-side from the old one's, then made current
    # as the processor does it (see PROCESSOR_ACCESS); the copies are removed if that fails.
    "restore_version": Access(
        table=MAKE_CURRENT,
        queries=(schema.BY_HASH,),
        leading_keys=(ASSET_KEYS,),
        objects={
            "s3:GetObject": (ORIGINALS, RENDITIONS),
            "s3:PutObject": (ORIGINALS, RENDITIONS),
            "s3:DeleteObject": (ORIGINALS, RENDITIONS),
        },
        read_delivery_secret=True,
    ),
    # The item's Delete, on condition (ConditionCheck) that the asset does not serve it, then its files.
    "delete_version": Access(
        table=("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"),
        leading_keys=(ASSET_KEYS,),
        objects={"s3:DeleteObject": (UPLOADS, ORIGINALS, RENDITIONS)},
    ),
    # A folder write is one transaction: the folder, its entry under the parent, and checks that the parent
    # (and, for a move, every ancestor of the new parent) is unchanged; the reads walk the parents.
    "create_folder": Access(
        table=("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"), leading_keys=FOLDER_KEYS
    ),
    "list_folders": Access(
        table=("dynamodb:GetItem", "dynamodb:Query"), leading_keys=FOLDER_KEYS, read_cursor_secret=True
    ),
    "get_folder": Access(table=("dynamodb:GetItem",), leading_keys=FOLDER_KEYS),
    "update_folder": Access(
        table=(
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        ),
        leading_keys=FOLDER_KEYS,
        send_jobs=True,
    ),
    # Conditional on the folder's own counts being zero; the parent's child_count goes down with it. A
    # recursive delete flags the folder (UpdateItem) and queues the job.
    "delete_folder": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
        leading_keys=FOLDER_KEYS,
        send_jobs=True,
    ),
    # Shares (functions/adapters/shares.py): the share and its token item are written in one transaction with a
    # check that a shared folder is there, after the member items (BatchWriteItem); the assets named are read
    # first (BatchGetItem), the folder too (GetItem).
    "create_share": Access(
        table=(
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:PutItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
        ),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
    ),
    # The tenant's shares (Query); an asset's: the members in its partition and its folders' (Query), then the
    # shares (BatchGetItem).
    "list_shares": Access(
        table=("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
        leading_keys=(ASSET_KEYS,),
        read_cursor_secret=True,
    ),
    "list_asset_shares": Access(
        table=("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
        leading_keys=(ASSET_KEYS,),
        read_cursor_secret=True,
    ),
    "get_share": Access(table=("dynamodb:GetItem",), leading_keys=(ASSET_KEYS,)),
    # A compare-and-set; a new expiry moves the token's TTL with the share's, in one transaction.
    "update_share": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"), leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS)
    ),
    "delete_share": Access(
        table=("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
    ),
    # The public URL: the token item, then the share (GetItem). An `access` is checked with the cursor secret.
    # Its contents: the shared assets (BatchGetItem) or the folder's subtree as `list_assets` reads it (its
    # folder: GetItem; members and counters: Query; `by_status`), with their delivery URLs.
    "view_share": Access(
        table=("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
        queries=(schema.BY_STATUS,),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
        read_cursor_secret=True,
        read_delivery_secret=True,
    ),
    # A wrong password counts on the share (UpdateItem); the right one gives an `access` signed with the cursor
    # secret.
    "unlock_share": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
        read_cursor_secret=True,
    ),
    # The download counts on the share and on the asset (UpdateItem); the presigned GET is signed with the role.
    "download_shared": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
        objects={"s3:GetObject": (ORIGINALS,)},
        read_cursor_secret=True,
    ),
    # The export item (PutItem) and its first round queued; a folder export reads the folder (GetItem).
    "create_export": Access(
        table=("dynamodb:GetItem",), leading_keys=FOLDER_KEYS, export_items=("dynamodb:PutItem",), send_exports=True
    ),
    # The export item, and once ready a presigned GET of its zip (signed with the function's role).
    "get_export": Access(export_items=("dynamodb:GetItem",), objects={"s3:GetObject": (EXPORTS,)}),
    # A share's "download all": the share as its URL reads it (token, share; `access` with the cursor secret),
    # the download counted on the share (UpdateItem), then an export as create_export makes one (its folder read).
    "export_shared": Access(
        table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
        export_items=("dynamodb:PutItem",),
        send_exports=True,
        read_cursor_secret=True,
    ),
    # The share's own export, and once ready a presigned GET of its zip.
    "get_shared_export": Access(
        table=("dynamodb:GetItem",),
        leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
        export_items=("dynamodb:GetItem",),
        objects={"s3:GetObject": (EXPORTS,)},
        read_cursor_secret=True,
    ),
    # Keys (functions/adapters/keys.py): the tenant's item read (its tier and usage identifier), then the key's
    # item and its listing item put in one transaction.
    "create_key": Access(table=("dynamodb:GetItem", "dynamodb:PutItem"), leading_keys=(API_KEY_KEYS, KEY_LISTING_KEYS)),
    # The tenant's listing items (Query), then the keys' own items for `last_used_at` (BatchGetItem).
    "list_keys": Access(
        table=("dynamodb:Query", "dynamodb:BatchGetItem"),
        leading_keys=(API_KEY_KEYS, KEY_LISTING_KEYS),
        read_cursor_secret=True,
    ),
    # The listing item read (the tenant's key: another tenant's id is not in its partition), both items deleted in
    # one transaction, then the stage's authorizer cache flushed.
    "delete_key": Access(
        table=("dynamodb:GetItem", "dynamodb:DeleteItem"),
        leading_keys=(API_KEY_KEYS, KEY_LISTING_KEYS),
        flush_authorizers=True,
    ),
}
"""Keyed by `Route.name`. A route without an entry fails the synth."""

AUTHORIZER_ACCESS = Access(table=("dynamodb:GetItem", "dynamodb:UpdateItem"), leading_keys=(API_KEY_KEYS,))
"""The keys' own items only: read, and `last_used_at` written (a conditional UpdateItem, at most once a minute per
key). The authorizer cannot read an asset or a tenant's key listing, and no asset function can read a key."""

PROCESSOR_ACCESS = Access(
    table=MAKE_CURRENT,
    queries=(schema.BY_HASH,),
    leading_keys=(ASSET_KEYS,),
    objects={
        "s3:GetObject": (UPLOADS, ORIGINALS),
        "s3:PutObject": (ORIGINALS, RENDITIONS),
        "s3:DeleteObject": (UPLOADS, ORIGINALS, RENDITIONS),
    },
    list_prefixes=(UPLOADS,),
)
"""Consuming the upload queue is granted by the event source mapping. The processor seals an upload by a
server-side copy to `originals/` (CopyObject needs GetObject on the source and PutObject on the target),
reads that sealed copy, writes renditions, then deletes the upload and the revisions its other attempts
sealed. ListBucket makes S3 answer 404, not 403, for an upload already gone, so that event ends quietly. A
new version becoming current changes the asset's file name, so its search words (members in and out with
BatchWriteItem, a count left at zero removed); the version's item is put beside the record (PutItem). The
by_hash index finds `duplicate_of`."""


JOBS_ACCESS = Access(
    table=(
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    ),
    queries=(schema.BY_FOLDER,),
    leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
    objects={"s3:DeleteObject": EVERY_FILE},
    list_prefixes=EVERY_FILE,
    send_jobs=True,
)
"""The folder-jobs worker walks a subtree (a folder's child entries: Query on the table; its assets: `by_folder`
and BatchGetItem), re-indexes assets (UpdateItem, BatchWriteItem of members) or sends them to the trash as the
API does (a pending one purged: its files, then the record with its marker), flags and deletes folders, and
sends a job that ran out of time again; a purged pending asset leaves its shares (PURGE). Consuming the queue is
granted by the event source mapping."""


EXPORT_WORKER_ACCESS = Access(
    table=("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"),
    queries=(*schema.SORTS.values(), schema.BY_FOLDER, schema.BY_KIND, schema.BY_STATUS, schema.BY_TYPE),
    leading_keys=(ASSET_KEYS,),
    export_items=("dynamodb:GetItem", "dynamodb:UpdateItem"),
    objects={
        "s3:GetObject": (ORIGINALS, EXPORTS),
        "s3:PutObject": (EXPORTS,),
        "s3:DeleteObject": (EXPORTS,),
        "s3:AbortMultipartUpload": (EXPORTS,),
    },
    list_prefixes=(ORIGINALS, EXPORTS),
    send_exports=True,
)
"""The export worker reads what goes in as the listing does (records by BatchGetItem, a folder's assets from
`by_folder`, child folders, tag members, words and counters from the table, a query's index), writes nothing but
its export's item (status and progress), streams the originals (GetObject) into the zip's multipart upload under
`exports/` (CreateMultipartUpload, UploadPart and CompleteMultipartUpload are s3:PutObject), keeps and reads its
state there, aborts the upload of a failed export, and sends a round that ran out of time again. ListBucket makes
S3 answer 404, not 403, for a state not kept yet or an original purged meanwhile. Consuming the queue is granted
by the event source mapping."""


PUBLISHER_ACCESS = Access(put_events=True, invalidate=True)
"""The table's stream in (granted by the event source mapping), events out: it reads nothing else, and no
other function can put an event on the bus, so every event is one a committed change made. It invalidates the
CDN's copies of an asset whose delivery changed."""

DELIVERY_ACCESS = Access(
    table=("dynamodb:GetItem",),
    leading_keys=(ASSET_KEYS,),
    objects={"s3:GetObject": (ORIGINALS, RENDITIONS, TRANSFORMS), "s3:PutObject": (TRANSFORMS,)},
    list_prefixes=(TRANSFORMS,),
    read_delivery_secret=True,
)
"""The delivery function reads the asset's record and its files (and presigns a GET of a large one with its
role), and stores a transform result too large to return under `transforms/` (ListBucket: a result not stored
yet is a 404, not a 403)."""

EXPIRY_ACCESS = Access(
    table=(
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    ),
    leading_keys=(ASSET_KEYS, SHARE_TOKEN_KEYS),
    objects={"s3:DeleteObject": EVERY_FILE},
    list_prefixes=EVERY_FILE,
)
"""Taking a record TTL removed out of its counts: one transaction (a marker Put, counter and folder Updates),
then its members out (BatchWriteItem) and a tag count left at zero (DeleteItem); purging a trashed record TTL
removed: every file, its versions' items (Query, BatchWriteItem), its shares as a purge does (PURGE), then its
purge marker (PutItem) and its trash member out. Reading the table's stream is
granted by the event source mapping."""


def route_access(routes: Iterable[Route]) -> dict[str, Access]:
    """The access of each route, failing loudly when the route table and `ROUTE_ACCESS` disagree."""
    routes = list(routes)
    wanted = [route.name for route in routes]
    missing = [name for name in wanted if name not in ROUTE_ACCESS]
    unused = sorted(set(ROUTE_ACCESS) - set(wanted))
    if missing or unused:
        raise ValueError(
            f"infra/permissions.py ROUTE_ACCESS must have exactly one entry per route: "
            f"missing {missing}, not a route {unused}"
        )
    keyed = {route.name for route in routes if route.idempotent}
    # every POST honours `Idempotency-Key` (functions/idempotent.py) but a public one (a key belongs to a tenant)
    # and one whose answer shows a secret
    return {name: replace(ROUTE_ACCESS[name], idempotent=name in keyed) for name in wanted}
