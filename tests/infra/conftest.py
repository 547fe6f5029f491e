"""One synthesized stack for the whole infra suite, built like `app.py` builds it, without bundling (no network)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from infra import names

if TYPE_CHECKING:
    from aws_cdk import App
    from aws_cdk.assertions import Template

    from infra.stack import AssetBackendStack

# Before anything starts the jsii kernel (the first `aws_cdk` import, in the fixture or a test module).
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

NO_BUNDLING = {names.BUNDLING_STACKS_CONTEXT: []}



@dataclass(frozen=True)
class Synth:
    app: App
    stack: AssetBackendStack
    template: Template
    cfn: dict[str, Any]
    """The template as plain JSON, read once."""
    outdir: Path

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.cfn["Resources"]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {lid: r for lid, r in self.resources.items() if r["Type"] == kind}

    def logical_id(self, construct: Any) -> str:
        return self.stack.resolve(construct.node.default_child.logical_id)

    def functions(self) -> dict[str, str]:
        """Handler -> logical id, for the functions of the `functions` package."""
        pairs = [
            (r["Properties"]["Handler"], lid)
            for lid, r in self.of_type("AWS::Lambda::Function").items()
            if r["Properties"].get("Handler", "").startswith("functions.")
        ]
        assert len(dict(pairs)) == len(pairs), "two functions share a handler"
        return dict(pairs)

    def statements(self, role_id: str) -> list[dict[str, Any]]:
        """Every statement of the policies attached to a role (inline and AWS::IAM::Policy)."""
        role = self.resources[role_id]["Properties"]
        found = [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
        for policy in self.of_type("AWS::IAM::Policy").values():
            if {"Ref": role_id} in policy["Properties"]["Roles"]:
                found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
        return found

    def role_of(self, function_id: str) -> str:
        return self.resources[function_id]["Properties"]["Role"]["Fn::GetAtt"][0]

    @staticmethod
    def actions(statement: dict[str, Any]) -> list[str]:
        value = statement["Action"]
        return [value] if isinstance(value, str) else list(value)

    @staticmethod
    def arns(statement: dict[str, Any]) -> list[str]:
        """The statement's resources as readable strings: `<Logical.Arn>/originals/*`."""
        value = statement["Resource"]
        return [render(item) for item in (value if isinstance(value, list) else [value])]


def render(value: Any) -> str:
    """A CloudFormation value as text: `{"Fn::GetAtt": ["X", "Arn"]}` is `<X.Arn>`, joins are concatenated."""
    if isinstance(value, str):
        return value
    if "Fn::GetAtt" in value:
        return f"<{value['Fn::GetAtt'][0]}.{value['Fn::GetAtt'][1]}>"
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(render(part) for part in parts)
    raise ValueError(f"cannot render {value}")


@pytest.fixture(scope="session")
def synth() -> Synth:
    from aws_cdk.assertions import Template

    from infra.app import build

    app, stack = build(NO_BUNDLING)
    template = Template.from_stack(stack)
    return Synth(app=app, stack=stack, template=template, cfn=template.to_json(), outdir=Path(app.outdir))
