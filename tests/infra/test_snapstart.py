"""SnapStart on the route functions: where the region has it, on a published version the API invokes through the
alias `live`; `-c snapstart=false` takes all of it away."""

from __future__ import annotations

import json

import pytest
from aws_cdk.region_info import RegionInfo

from functions.routes import ROUTES
from infra import names
from infra.route_functions import SNAPSTART_REGIONS
from tests.infra.conftest import synthesize

NOT_YET = ("ap-east-2", "ap-southeast-6")
"""Commercial regions the SnapStart page names as without it: Taipei and New Zealand."""


def _route_functions(synth) -> dict[str, str]:
    return {handler: lid for handler, lid in synth.functions().items() if handler in _route_handlers()}


def _route_handlers() -> set[str]:
    return {f"{route.module}.handler" for route in ROUTES}


def _route_uris(synth) -> list:
    """The integration URI of every route method (the Lambda proxy integrations)."""
    integrations = [m["Properties"].get("Integration", {}) for m in synth.of_type("AWS::ApiGateway::Method").values()]
    return [integration["Uri"] for integration in integrations if integration.get("Type") == "AWS_PROXY"]


def _equals_regions(condition: dict) -> set[str]:
    """The regions a tree of `Fn::Or` over `Fn::Equals [Ref AWS::Region, name]` accepts."""
    if "Fn::Or" in condition:
        return set().union(*(_equals_regions(branch) for branch in condition["Fn::Or"]))
    left, right = condition["Fn::Equals"]
    assert left == {"Ref": "AWS::Region"}
    return {right}


def test_route_functions_snapshot_their_published_versions_where_the_region_has_it(synth):
    for handler, lid in synth.functions().items():
        snap = synth.resources[lid]["Properties"].get("SnapStart")
        if handler in _route_handlers():
            on = {"ApplyOn": "PublishedVersions"}
            assert snap == {"Fn::If": [names.SNAPSTART_CONDITION, on, {"Ref": "AWS::NoValue"}]}, handler
        else:
            assert snap is None, handler


def test_the_region_condition_lists_the_regions_the_docs_name(synth):
    nested = [template for path, template in synth.templates.items() if path != synth.stack.node.path]
    assert nested
    for template in nested:
        (condition,) = template["Conditions"].values()
        assert _equals_regions(condition) == set(SNAPSTART_REGIONS)
    commercial = {region.name for region in RegionInfo.regions if region.partition == "aws"}
    assert set(SNAPSTART_REGIONS) <= commercial  # no typo: every name is a region CDK knows
    assert commercial - set(SNAPSTART_REGIONS) >= set(NOT_YET)
    assert len(SNAPSTART_REGIONS) == len(set(SNAPSTART_REGIONS))


def test_the_api_invokes_the_alias_live_of_the_current_version(synth):
    aliases = synth.of_type("AWS::Lambda::Alias")
    versions = synth.of_type("AWS::Lambda::Version")
    integrated = [synth.resources_behind(uri) for uri in _route_uris(synth)]
    assert len(integrated) == len(ROUTES)
    for alias_id, function_id in integrated:
        alias = aliases[alias_id]["Properties"]
        assert alias["Name"] == names.LIVE
        version_id = alias["FunctionVersion"]["Fn::GetAtt"][0]
        assert versions[version_id]["Properties"]["FunctionName"] == {"Ref": function_id}
        # replaced by the next deploy's version, then deleted: SnapStart bills each version's snapshot
        assert versions[version_id]["DeletionPolicy"] == "Delete"
    assert {function for _, function in integrated} == set(_route_functions(synth).values())
    permissions = [p["Properties"] for p in synth.of_type("AWS::Lambda::Permission").values()]
    invoked = {json.dumps(p["FunctionName"]) for p in permissions if p["Principal"] == "apigateway.amazonaws.com"}
    for alias_id, _ in integrated:
        assert json.dumps({"Ref": alias_id}) in invoked  # the alias, not the function nor $LATEST
    assert not any(json.dumps({"Fn::GetAtt": [f, "Arn"]}) in invoked for _, f in integrated)


@pytest.fixture(scope="module")
def without() -> object:
    return synthesize({names.SNAPSTART_CONTEXT: "false"})


def test_the_flag_off_takes_snapstart_versions_and_aliases_away(without):
    assert not without.of_type("AWS::Lambda::Version")
    assert not without.of_type("AWS::Lambda::Alias")
    assert all("SnapStart" not in r["Properties"] for r in without.of_type("AWS::Lambda::Function").values())
    assert all("Conditions" not in template for template in without.templates.values())
    functions = set(_route_functions(without).values())
    assert {without.function_behind(uri) for uri in _route_uris(without)} == functions
