"""Every function of the app on `infra.runtime.ARCHITECTURE`, CDK's own ones too.

Ours set it where they are made (`infra.runtime.PythonFunction`); CDK's singleton handlers (the bucket
notifications' custom resource) are plain `AWS::Lambda::Function` resources without one, which
CloudFormation runs on x86_64. They are inline Python with no native code, so they move too.
"""

from __future__ import annotations

import jsii
from aws_cdk import CfnResource, IAspect
from aws_cdk import aws_lambda as lambda_
from constructs import IConstruct

from infra.runtime import ARCHITECTURE

FUNCTION_TYPE = "AWS::Lambda::Function"


@jsii.implements(IAspect)
class OnArchitecture:
    """Sets `Architectures` on the functions that did not choose one (not on an `lambda_.Function`'s)."""

    def visit(self, node: IConstruct) -> None:
        if (
            isinstance(node, CfnResource)
            and not isinstance(node, lambda_.CfnFunction)
            and node.cfn_resource_type == FUNCTION_TYPE
        ):
            node.add_property_override("Architectures", [ARCHITECTURE.name])
