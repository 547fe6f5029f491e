"""The app: outputs, context switches and the CORS origin."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack

from infra import names
from infra.app import build
from infra.stack import cors_origins
from tests.infra.conftest import NO_BUNDLING


def test_outputs(synth):
    outputs = synth.template.find_outputs("*")
    storage, bus = synth.stack.storage, synth.stack.events.bus
    assert "execute-api" in str(outputs[names.API_URL_OUTPUT]["Value"])
    assert outputs[names.BUCKET_NAME_OUTPUT]["Value"] == {"Ref": synth.logical_id(storage.bucket)}
    assert outputs[names.TABLE_NAME_OUTPUT]["Value"] == {"Ref": synth.logical_id(storage.table)}
    assert outputs[names.EVENT_BUS_NAME_OUTPUT]["Value"] == {"Ref": synth.logical_id(bus)}
    assert outputs[names.CURSOR_KEY_OUTPUT]["Value"] == {"Ref": synth.logical_id(synth.stack.cursors.secret)}


def test_event_bus_is_named_after_the_stack(synth):
    synth.template.has_resource_properties("AWS::Events::EventBus", {"Name": f"{names.STACK}-assets"})


def test_cdk_json_feature_flags_apply_outside_the_cli(synth):
    assert synth.app.node.try_get_context("@aws-cdk/aws-iam:minimizePolicies") is True


def test_skip_bundling_context_turns_bundling_off():
    """`cdk synth -c skip_bundling=true`: the CLI refuses `-c aws:cdk:bundling-stacks=[]` (reserved prefix)."""
    app, stack = build({names.SKIP_BUNDLING_CONTEXT: "true"})
    assert app.node.try_get_context(names.BUNDLING_STACKS_CONTEXT) == []
    assert stack.bundling_required is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ["*"]),
        (["https://app.example.com"], ["https://app.example.com"]),
        ("https://a.example.com, https://b.example.com", ["https://a.example.com", "https://b.example.com"]),
    ],
)
def test_cors_origins_context(value, expected):
    context = {} if value is None else {names.CORS_ORIGINS_CONTEXT: value}
    assert cors_origins(Stack(App(context=context), "S")) == expected


def test_several_origins_configure_the_api_the_bucket_and_the_functions():
    """The API's preflight and 405s answer only an allowed `Origin`, the gateway's own errors echo it (they hold
    no data), the bucket's rule lists them all and the functions are told the same list."""
    from aws_cdk.assertions import Template

    origins = ["https://app.example.com", "https://admin.example.com"]
    _, stack = build({**NO_BUNDLING, names.CORS_ORIGINS_CONTEXT: origins})
    cfn = Template.from_stack(stack).to_json()
    resources = [r for r in cfn["Resources"].values()]

    def of_type(kind):
        return [r["Properties"] for r in resources if r["Type"] == kind]

    (bucket,) = [p for p in of_type("AWS::S3::Bucket") if "CorsConfiguration" in p]
    assert bucket["CorsConfiguration"]["CorsRules"][0]["AllowedOrigins"] == origins
    environments = [p["Environment"]["Variables"] for p in of_type("AWS::Lambda::Function") if "Environment" in p]
    assert {env["CORS_ALLOW_ORIGIN"] for env in environments} == {",".join(origins)}
    for response in of_type("AWS::ApiGateway::GatewayResponse"):
        origin = response["ResponseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
        assert origin == "method.request.header.Origin"
    templates = {
        method["HttpMethod"]: method["Integration"]["IntegrationResponses"][0]["ResponseTemplates"]["application/json"]
        for method in of_type("AWS::ApiGateway::Method")
        if method["HttpMethod"] in ("OPTIONS", "ANY")
    }
    for verb in ("OPTIONS", "ANY"):  # the header holds the first origin, the template answers the others
        assert f'$origin == "{origins[1]}"' in templates[verb], verb
        assert "responseOverride.header.Access-Control-Allow-Origin = $origin" in templates[verb], verb
