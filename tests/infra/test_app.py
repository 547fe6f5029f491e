"""The app: outputs, context switches and the CORS origin."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack

from infra import names
from infra.app import build
from infra.stack import api_origin, cors_origins


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


def test_api_takes_one_origin():
    assert api_origin(["https://app.example.com"]) == "https://app.example.com"
    with pytest.raises(ValueError, match="exactly one origin"):
        api_origin(["https://a.example.com", "https://b.example.com"])
