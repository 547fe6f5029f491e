"""The route functions, in nested stacks: one per resource of the route table (`uploads`, `assets`, `shares`...).

CloudFormation takes at most 500 resources in a template, and each route function is several (log group, role
with its inline policy, function, invoke permission). The API itself (resources, methods, stage) stays in the
main stack; each nested stack holds the functions of one resource's routes, so a new resource gets a stack of
its own and a stack grows with its own routes only (tests/infra/test_limits.py holds every template to 450).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from aws_cdk import ArnFormat, NestedStack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from functions.routes import Route
from infra import names
from infra.permissions import Access
from infra.runtime import FunctionBasis, PythonFunction, function_code


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
    ) -> None:
        super().__init__(scope, id, description=f"Route functions: {', '.join(route.name for route in routes)}")
        # a code asset belongs to one stack; every stack's copy has the same bytes, so the same S3 object
        basis = replace(basis, code=function_code())
        self.targets: dict[str, lambda_.IFunction] = {}
        """Route name -> what its method integrates with."""
        for route in routes:
            function = PythonFunction(
                self, route.name, module=f"{route.resource}.{route.name}", basis=basis, access=access[route.name]
            ).function
            function.add_permission(
                names.INVOKE_PERMISSION,
                principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
                source_arn=self.format_arn(
                    service="execute-api",
                    resource=rest_api_id,
                    resource_name=f"{names.STAGE}/{route.method}{arn_path(route.path)}",
                    arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                ),
            )
            self.targets[route.name] = function
