"""The route functions, in nested stacks: one per resource of the route table (`uploads`, `assets`, `shares`...).

CloudFormation takes at most 500 resources in a template, and each route function is several (log group, role
with its inline policy, function, invoke permission; with SnapStart a published version and its alias too). The
API itself (resources, methods, stage) stays in the main stack; each nested stack holds the functions of one
resource's routes, so a new resource gets a stack of its own and a stack grows with its own routes only
(tests/infra/test_limits.py holds every template to 450).

SnapStart (on unless `-c snapstart=false`): Lambda initializes a published version once and resumes new
environments from its snapshot, primed by `functions.snapstart`. The stack is region-agnostic, so SnapStart is
set where a condition on the region holds, and the API invokes the alias `live` of the current version in any
region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import cast

from aws_cdk import ArnFormat, Aws, CfnCondition, Fn, NestedStack, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from functions.routes import Route
from infra import names
from infra.permissions import Access
from infra.runtime import RUNTIME, FunctionBasis, PythonFunction, function_code

SNAPSTART_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
)
"""Where Lambda SnapStart is available for Python (3.12 and later): "in all commercial Regions except Asia Pacific
(New Zealand) and Asia Pacific (Taipei)", so not ap-southeast-6 and ap-east-2, and not in China, GovCloud or the
European Sovereign Cloud (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html, "Supported Regions", as
it read for this change). A region missing here only goes without SnapStart; add it once the page lists it."""
SNAPSHOT_ON_PUBLISH = {"ApplyOn": "PublishedVersions"}


def arn_path(path: str) -> str:
    """A route's path as its execute-api ARN names it: each `{param}` is `*`."""
    return re.sub(r"\{[^}]*\}", "*", path)


class RouteFunctions(NestedStack):
    """The functions of some routes, each one invocable by the API's stage for its own method and path only."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        routes: Sequence[Route],
        basis: FunctionBasis,
        access: Mapping[str, Access],
        rest_api_id: str,
        snapstart: bool,
    ) -> None:
        super().__init__(scope, id, description=f"Route functions: {', '.join(route.name for route in routes)}")
        # a code asset belongs to one stack; every stack's copy has the same bytes, so the same S3 object
        basis = replace(basis, code=function_code())
        region = (
            CfnCondition(
                self,
                names.SNAPSTART_CONDITION,
                expression=Fn.condition_or(*(Fn.condition_equals(Aws.REGION, name) for name in SNAPSTART_REGIONS)),
            )
            if snapstart
            else None
        )
        self.targets: dict[str, lambda_.IFunction] = {}
        """Route name -> what its method integrates with: the function, or with SnapStart its alias `live`."""
        for route in routes:
            function = PythonFunction(
                self, route.name, module=f"{route.resource}.{route.name}", basis=basis, access=access[route.name]
            ).function
            target = live_alias(function, region) if region else function
            target.add_permission(
                names.INVOKE_PERMISSION,
                principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
                source_arn=self.format_arn(
                    service="execute-api",
                    resource=rest_api_id,
                    resource_name=f"{names.STAGE}/{route.method}{arn_path(route.path)}",
                    arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                ),
            )
            self.targets[route.name] = target


def live_alias(function: lambda_.Function, region: CfnCondition) -> lambda_.Alias:
    """SnapStart on `function` where `region` holds, and the alias `live` of its current version.

    SnapStart is set on the resource, inside `Fn::If`, where the `snap_start` property would set it everywhere.
    A snapshot is taken of a published version only (never of `$LATEST`), so every deploy that changes the function
    publishes one and moves the alias; the version it replaces is deleted, since SnapStart bills each version's
    cached snapshot."""
    if not RUNTIME.supports_snap_start:
        raise ValueError(f"{RUNTIME.name} has no SnapStart: deploy with -c {names.SNAPSTART_CONTEXT}=false")
    cast(lambda_.CfnFunction, function.node.default_child).add_property_override(
        "SnapStart", Fn.condition_if(region.logical_id, SNAPSHOT_ON_PUBLISH, Aws.NO_VALUE)
    )
    version = function.current_version
    version.apply_removal_policy(RemovalPolicy.DESTROY)
    return lambda_.Alias(function, names.LIVE_ALIAS, alias_name=names.LIVE, version=version)
