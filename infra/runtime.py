"""How every function of the `functions` package runs: code asset, runtime, role and log group."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from aws_cdk import Acknowledgment, Duration, Size, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import names
from infra.permissions import Access, Targets

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.ARM_64
"""Graviton, for every function: every wheel of both layers exists for aarch64 (`infra.layer.PLATFORMS`)."""
PYTHON_VERSION = RUNTIME.name.removeprefix("python")
LOG_RETENTION = logs.RetentionDays.ONE_MONTH

TRACE_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
"""What active tracing needs, as CDK grants it: on `*`, X-Ray's actions have no resource-level permissions."""
NO_TRACE_RESOURCE = Acknowledgment(
    id="AwsSolutions-IAM5[Resource::*]",
    reason="xray:PutTraceSegments and xray:PutTelemetryRecords, for active tracing: X-Ray's actions support no "
    "resource-level permissions, so `*` is the only resource they take. The statement holds those two actions only.",
)

CODE_EXCLUDES = ("*", ".*", "!functions", "!functions/**", "__pycache__", "*.pyc")
"""Glob patterns on the repository root (the last match wins): only the `functions` package is shipped."""


def function_code() -> lambda_.Code:
    return lambda_.Code.from_asset(str(ROOT), exclude=list(CODE_EXCLUDES))


def handler(module: str) -> str:
    """The entry point of `functions/<module>.py` (`module` dotted below `functions`)."""
    return f"functions.{module}.handler"


@dataclass(frozen=True)
class FunctionBasis:
    """What every function shares: one code asset, the dependency layers, the settings and the grant targets."""

    code: lambda_.Code
    layers: tuple[lambda_.ILayerVersion, ...]
    environment: Mapping[str, str]
    targets: Targets


class PythonFunction(Construct):
    """A function with its own log group and a role that has no managed policy.

    The role may write to its log group, send its traces to X-Ray (active tracing) and do exactly what `access`
    allows, nothing else (no `AWSLambdaBasicExecutionRole`, whose `logs:*` actions apply to every log group).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        module: str,
        basis: FunctionBasis,
        access: Access,
        memory_mib: int = 256,
        timeout_seconds: int = 10,
        ephemeral_storage_mib: int | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.log_group = logs.LogGroup(self, names.FUNCTION_LOGS, retention=LOG_RETENTION)
        writes_logs = iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[self.log_group.log_group_arn]
        )
        sends_traces = iam.PolicyStatement(actions=list(TRACE_ACTIONS), resources=["*"])
        # inline in the role: no AWS::IAM::Policy of its own, so a function costs CloudFormation one resource less
        # (a stack holds at most 500); grants added later (event sources) still go to a policy of their own
        self.role = iam.Role(
            self,
            names.FUNCTION_ROLE,
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            inline_policies={
                names.FUNCTION_POLICY: iam.PolicyDocument(
                    statements=[writes_logs, sends_traces, *access.statements(basis.targets)]
                )
            },
        )
        access.acknowledge(self.role, basis.targets)
        Validations.of(self.role).acknowledge(NO_TRACE_RESOURCE)
        self.function = lambda_.Function(
            self,
            names.FUNCTION,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=basis.code,
            handler=handler(module),
            layers=list(basis.layers),
            environment=dict(basis.environment),
            memory_size=memory_mib,
            timeout=Duration.seconds(timeout_seconds),
            ephemeral_storage_size=Size.mebibytes(ephemeral_storage_mib) if ephemeral_storage_mib else None,
            role=self.role,
            log_group=self.log_group,
        )
        # Active tracing set on the resource itself: the `tracing` property would grant TRACES again, in a policy
        # resource of its own per function.
        cast(
            lambda_.CfnFunction, self.function.node.default_child
        ).tracing_config = lambda_.CfnFunction.TracingConfigProperty(mode="Active")
        Validations.of(self).acknowledge(
            Acknowledgment(
                id="AwsSolutions-L1",
                reason=f"{RUNTIME.name} is pinned on purpose: the dependencies layer is built for its wheels "
                "(pydantic-core, Pillow), so runtime and layer move to a newer Python together.",
            )
        )
