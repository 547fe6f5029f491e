"""Graviton: every function of the stack on arm64, CDK's own handlers included, and layers built for it."""

from __future__ import annotations

import json

from aws_cdk import App, Aspects, CfnResource, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Template

from infra.architecture import OnArchitecture


def test_every_function_of_every_template_runs_on_arm64(synth):
    """Every template of the assembly, nested stacks' included."""
    templates = [json.loads(path.read_text()) for path in synth.outdir.glob("*.template.json")]
    functions = {
        lid: resource
        for template in templates
        for lid, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Function"
    }
    assert len(functions) > len(synth.functions())  # CDK's bucket notifications handler is one of them
    for lid, resource in functions.items():
        assert resource["Properties"]["Architectures"] == ["arm64"], lid


def test_the_aspect_leaves_a_function_that_chose_its_architecture_alone():
    app = App()
    stack = Stack(app, "Architectures")
    lambda_.Function(
        stack,
        "Chosen",
        runtime=lambda_.Runtime.PYTHON_3_13,
        architecture=lambda_.Architecture.X86_64,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context): pass"),
    )
    CfnResource(stack, "Unset", type="AWS::Lambda::Function", properties={"Handler": "index.handler"})
    Aspects.of(app).add(OnArchitecture())
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert resources["Unset"]["Properties"]["Architectures"] == ["arm64"]
    (chosen,) = [r for lid, r in resources.items() if lid.startswith("Chosen") and r["Type"] == "AWS::Lambda::Function"]
    assert chosen["Properties"]["Architectures"] == ["x86_64"]
