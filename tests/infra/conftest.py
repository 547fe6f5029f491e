"""One synthesized app for the whole infra suite, built like `app.py` builds it, without bundling (no network).

The route functions live in nested stacks (`infra.route_functions`). `Synth.resources` reads the main template and
every nested one as one: a nested template's parameters are replaced by the values the main stack passes in, and the
main stack's references to a nested stack's outputs by those outputs' values, so a test sees `<Table.Arn>` or a
function's `Fn::GetAtt` wherever its stack is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
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
    """The main stack's template."""
    cfn: dict[str, Any]
    """The main template as plain JSON, read once."""
    outdir: Path
    templates: dict[str, dict[str, Any]]
    """Every template as synthesized, by stack path: the main stack's and each nested stack's."""
    resources: dict[str, dict[str, Any]]
    """The resources of every template, nested stacks' references resolved (see the module's docstring)."""

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {lid: r for lid, r in self.resources.items() if r["Type"] == kind}

    def logical_id(self, construct: Any) -> str:
        from aws_cdk import Stack

        return Stack.of(construct).resolve(construct.node.default_child.logical_id)

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

    def function_behind(self, arn: Any) -> str:
        """The logical id of the function an ARN (or an integration URI holding one) invokes: the function itself
        (`Fn::GetAtt`), or the function of an alias (`Ref`, the alias `live` with SnapStart)."""
        text = json.dumps(arn)
        function = re.search(r'"Fn::GetAtt": \["(\w+)", "Arn"\]', text)
        if function:
            return function[1]
        (alias,) = self._refs(arn)
        assert self.resources[alias]["Type"] == "AWS::Lambda::Alias", alias
        return self.resources[alias]["Properties"]["FunctionName"]["Ref"]

    def resources_behind(self, arn: Any) -> tuple[str, str]:
        """The alias an ARN (or an integration URI holding one) names, and its function."""
        (alias,) = self._refs(arn)
        return alias, self.function_behind(arn)

    @staticmethod
    def _refs(value: Any) -> list[str]:
        """The logical ids `value` refers to with `Ref`, pseudo parameters left out."""
        return [ref for ref in re.findall(r'"Ref": "([\w:]+)"', json.dumps(value)) if not ref.startswith("AWS::")]

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


def substitute(value: Any, refs: Mapping[str, Any], attributes: Mapping[tuple[str, str], Any]) -> Any:
    """`value` with each `{"Ref": name}` of `refs` and each `{"Fn::GetAtt": [id, attribute]}` of `attributes`
    replaced."""
    if isinstance(value, list):
        return [substitute(item, refs, attributes) for item in value]
    if not isinstance(value, dict):
        return value
    if list(value) == ["Ref"] and value["Ref"] in refs:
        return refs[value["Ref"]]
    if list(value) == ["Fn::GetAtt"] and tuple(value["Fn::GetAtt"]) in attributes:
        return attributes[tuple(value["Fn::GetAtt"])]
    return {key: substitute(item, refs, attributes) for key, item in value.items()}


def flatten(stack: AssetBackendStack, main: dict[str, Any], outdir: Path) -> tuple[dict, dict]:
    """Every template by stack path, and the resources of all of them with the nested stacks' references resolved."""
    from aws_cdk import NestedStack

    templates = {stack.node.path: main}
    outputs: dict[tuple[str, str], Any] = {}
    resources: dict[str, dict[str, Any]] = {}
    for nested in (c for c in stack.node.find_all() if NestedStack.is_nested_stack(c)):
        template = json.loads((outdir / nested.template_file).read_text())
        templates[nested.node.path] = template
        parent_id = stack.resolve(nested.nested_stack_resource.logical_id)
        passed = main["Resources"][parent_id]["Properties"].get("Parameters", {})
        assert set(passed) == set(template.get("Parameters", {})), nested.node.path
        resolved = substitute(template["Resources"], passed, {})
        assert not set(resolved) & set(resources), f"a logical id repeats in {nested.node.path}"
        resources.update(resolved)
        for name, output in template.get("Outputs", {}).items():
            outputs[(parent_id, f"Outputs.{name}")] = substitute(output["Value"], passed, {})
    assert not set(main["Resources"]) & set(resources), "a nested stack repeats a logical id of the main stack"
    resources.update(substitute(main["Resources"], {}, outputs))
    return templates, resources


def synthesize(context: Mapping[str, Any]) -> Synth:
    from aws_cdk.assertions import Template

    from infra.app import build

    app, stack = build({**NO_BUNDLING, **context})
    template = Template.from_stack(stack)
    cfn = template.to_json()
    outdir = Path(app.outdir)
    templates, resources = flatten(stack, cfn, outdir)
    return Synth(
        app=app, stack=stack, template=template, cfn=cfn, outdir=outdir, templates=templates, resources=resources
    )


@pytest.fixture(scope="session")
def synth() -> Synth:
    return synthesize({})
