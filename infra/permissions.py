"""Least privilege: what every function may do, as exact IAM actions on exact resources, in one table.

Object actions are limited to key prefixes (`originals/*`, `renditions/*`); listing is limited by an
`s3:prefix` condition; queries reach the indexes only. No wildcard action anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from functions import schema
from functions.routes import Route

ORIGINALS = schema.ORIGINALS_PREFIX
RENDITIONS = schema.DERIVED_PREFIX


@dataclass(frozen=True)
class Targets:
    """The resources the grants point at."""

    table: dynamodb.ITable
    bucket: s3.IBucket
    bus: events.IEventBus


@dataclass(frozen=True)
class Access:
    table: tuple[str, ...] = ()
    """Actions on the table's items."""
    indexes: tuple[str, ...] = ()
    """Actions on the table's global secondary indexes (and not on the table)."""
    objects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """S3 object action -> the key prefixes it applies to."""
    list_prefix: str | None = None
    """`s3:ListBucket`, for keys under this prefix only."""
    put_events: bool = False

    def statements(self, targets: Targets) -> list[iam.PolicyStatement]:
        statements = []
        if self.table:
            statements.append(iam.PolicyStatement(actions=list(self.table), resources=[targets.table.table_arn]))
        if self.indexes:
            arns = [f"{targets.table.table_arn}/index/{index.name}" for index in schema.INDEXES]
            statements.append(iam.PolicyStatement(actions=list(self.indexes), resources=arns))
        for action, prefixes in self.objects.items():
            arns = [targets.bucket.arn_for_objects(f"{prefix}*") for prefix in prefixes]
            statements.append(iam.PolicyStatement(actions=[action], resources=arns))
        if self.list_prefix is not None:
            statements.append(
                iam.PolicyStatement(
                    actions=["s3:ListBucket"],
                    resources=[targets.bucket.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": f"{self.list_prefix}*"}},
                )
            )
        if self.put_events:
            statements.append(iam.PolicyStatement(actions=["events:PutEvents"], resources=[targets.bus.event_bus_arn]))
        return statements

    def grant(self, role: iam.IRole, targets: Targets) -> None:
        """Add the statements to the role, and acknowledge the key-prefix wildcards cdk-nag reports (IAM5)."""
        for statement in self.statements(targets):
            role.add_to_principal_policy(statement)
        prefixes = sorted({prefix for prefixes in self.objects.values() for prefix in prefixes})
        if not prefixes:
            return
        bucket = Stack.of(role).resolve(cast(CfnElement, targets.bucket.node.default_child).logical_id)
        for prefix in prefixes:
            Validations.of(role).acknowledge(
                Acknowledgment(
                    id=f"AwsSolutions-IAM5[Resource::<{bucket}.Arn>/{prefix}*]",
                    reason=f"Object actions are limited to the {prefix} key prefix: keys ({prefix}<tenant>/<asset id>) "
                    "are only known per request, so the prefix is the narrowest resource.",
                )
            )


ROUTE_ACCESS: dict[str, Access] = {
    # The presigned POST is signed with the function's role, so the role itself needs s3:PutObject.
    # The by_hash index answers "does the tenant already hold these bytes?".
    "create_upload": Access(
        table=("dynamodb:PutItem",), indexes=("dynamodb:Query",), objects={"s3:PutObject": (ORIGINALS,)}
    ),
    "list_assets": Access(indexes=("dynamodb:Query",)),
    "get_asset": Access(table=("dynamodb:GetItem",)),
    "update_asset": Access(table=("dynamodb:UpdateItem",), put_events=True),
    "delete_asset": Access(
        table=("dynamodb:GetItem", "dynamodb:DeleteItem"),
        objects={"s3:DeleteObject": (ORIGINALS, RENDITIONS)},
        list_prefix=RENDITIONS,
        put_events=True,
    ),
    # The presigned GET is signed with the function's role.
    "download_asset": Access(table=("dynamodb:GetItem",), objects={"s3:GetObject": (ORIGINALS,)}),
    "download_rendition": Access(table=("dynamodb:GetItem",), objects={"s3:GetObject": (RENDITIONS,)}),
}
"""Keyed by `Route.name`. A route without an entry fails the synth."""

AUTHORIZER_ACCESS = Access(table=("dynamodb:GetItem",))

PROCESSOR_ACCESS = Access(
    table=("dynamodb:GetItem", "dynamodb:UpdateItem"),
    indexes=("dynamodb:Query",),
    objects={"s3:GetObject": (ORIGINALS,), "s3:PutObject": (RENDITIONS,), "s3:DeleteObject": (RENDITIONS,)},
    list_prefix=ORIGINALS,
    put_events=True,
)
"""Consuming the upload queue is granted by the event source mapping. DeleteObject removes the renditions
of an asset deleted while it was processed. ListBucket (on `originals/` only)
makes S3 answer 404, not 403, for an original deleted before it was processed, so that event ends quietly."""


def route_access(routes: Iterable[Route]) -> dict[str, Access]:
    """The access of each route, failing loudly when the route table and `ROUTE_ACCESS` disagree."""
    wanted = [route.name for route in routes]
    missing = [name for name in wanted if name not in ROUTE_ACCESS]
    unused = sorted(set(ROUTE_ACCESS) - set(wanted))
    if missing or unused:
        raise ValueError(
            f"infra/permissions.py ROUTE_ACCESS must have exactly one entry per route: "
            f"missing {missing}, not a route {unused}"
        )
    return {name: ROUTE_ACCESS[name] for name in wanted}
