"""The optional WAF web ACL (context `waf`): absent by default, and with `-c waf=true` three rules in front of the
API stage, cdk-nag clean without the APIG3 acknowledgment."""

from __future__ import annotations

import json

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template
from cdk_nag import AwsSolutionsChecks

from functions.models.uploads import CompleteRequest
from functions.schema import MAX_PARTS
from infra import names, waf
from infra.app import CDK_JSON, build
from tests.infra.conftest import render

RATE_LIMIT = 1234
WAF_BODY_LIMIT = 8 * 1024
"""What the common rule set's SizeRestrictions_BODY blocks above."""


@pytest.fixture(scope="module")
def with_waf():
    app, stack = build({names.BUNDLING_STACKS_CONTEXT: [], "waf": "true", "waf_rate_limit": str(RATE_LIMIT)})
    return app, stack, Template.from_stack(stack).to_json()


def test_off_by_default_in_cdk_json(synth):
    assert json.loads(CDK_JSON.read_text())["context"][names.WAF_CONTEXT] is False
    assert synth.stack.web_acl is None
    assert not synth.of_type("AWS::WAFv2::WebACL")
    assert not synth.of_type("AWS::WAFv2::WebACLAssociation")


def test_the_web_acl_has_the_rate_rule_and_the_two_managed_groups(with_waf):
    _, _, cfn = with_waf
    (acl,) = [r["Properties"] for r in cfn["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL"]
    assert acl["Scope"] == "REGIONAL"
    assert acl["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    assert [rule["Name"] for rule in sorted(acl["Rules"], key=lambda rule: rule["Priority"])] == [
        "RatePerIp",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ]
    assert rules["RatePerIp"]["Statement"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "Limit": RATE_LIMIT,
        "EvaluationWindowSec": 300,
    }
    throttled = rules["RatePerIp"]["Action"]["Block"]["CustomResponse"]
    assert throttled["ResponseCode"] == 429
    assert throttled["ResponseHeaders"] == [
        {"Name": "Retry-After", "Value": "300"},
        {"Name": "Access-Control-Expose-Headers", "Value": "Retry-After"},
        {"Name": "Access-Control-Allow-Origin", "Value": "*"},  # the stack's default origins: a script reads the 429
    ]
    body = acl["CustomResponseBodies"][throttled["CustomResponseBodyKey"]]
    assert body["ContentType"] == "APPLICATION_JSON"
    assert json.loads(body["Content"]) == {
        "error": "throttled",
        "message": "too many requests from this address; retry after Retry-After seconds",
        "field": None,
    }
    for name in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"):
        group = rules[name]["Statement"]["ManagedRuleGroupStatement"]
        assert (group["VendorName"], group["Name"]) == ("AWS", name)
        assert rules[name]["OverrideAction"] == {"None": {}}
    for visibility in [acl["VisibilityConfig"], *(rule["VisibilityConfig"] for rule in acl["Rules"])]:
        assert visibility["CloudWatchMetricsEnabled"] is True
        assert visibility["SampledRequestsEnabled"] is True


def test_large_bodies_the_api_takes_are_only_counted(with_waf):
    """A multipart completion of every part is valid and far over the rule's 8 KB."""
    body = {"parts": [{"number": n, "etag": '"' + "f" * 32 + '"'} for n in range(1, MAX_PARTS + 1)]}
    CompleteRequest.model_validate(body)
    assert len(json.dumps(body, separators=(",", ":"))) > WAF_BODY_LIMIT
    _, _, cfn = with_waf
    (acl,) = [r["Properties"] for r in cfn["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL"]
    (common,) = [rule for rule in acl["Rules"] if rule["Name"] == "AWSManagedRulesCommonRuleSet"]
    overrides = common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    assert overrides == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]


def test_the_web_acl_is_associated_with_the_api_stage(with_waf):
    _, stack, cfn = with_waf
    resources = cfn["Resources"]
    (association,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::WAFv2::WebACLAssociation"]
    (acl_id,) = [lid for lid, r in resources.items() if r["Type"] == "AWS::WAFv2::WebACL"]
    (stage_id,) = [lid for lid, r in resources.items() if r["Type"] == "AWS::ApiGateway::Stage"]
    rest_api_id = stack.resolve(stack.api.rest_api.node.default_child.logical_id)
    assert association["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert render(association["ResourceArn"]).endswith(f"::/restapis/<{rest_api_id}>/stages/<{stage_id}>")


def test_nag_clean_with_the_web_acl_and_no_apig3_acknowledgment(with_waf):
    app, stack, _ = with_waf
    assert stack.web_acl is not None  # so APIG3 was not acknowledged: cdk-nag saw the association
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in AwsSolutionsChecks().validate_scope(app).violations
        for resource in violation.violating_resources
    ]
    assert findings == []


@pytest.mark.parametrize(
    ("value", "on"), [(True, True), ("true", True), ("True", True), (False, False), ("false", False), (None, False)]
)
def test_the_flag_reads_cdk_json_and_the_command_line(value, on):
    app = App(context={} if value is None else {names.WAF_CONTEXT: value})
    assert waf.waf_enabled(app) is on


def test_the_rate_limit_has_a_default():
    assert waf.rate_limit(App()) == waf.DEFAULT_RATE_LIMIT
    assert waf.rate_limit(App(context={names.WAF_RATE_LIMIT_CONTEXT: "500"})) == 500


def test_the_429_names_one_allowed_origin_and_none_of_a_list_since_its_headers_are_static():
    def origin(origins: tuple[str, ...]) -> list[str]:
        return [h.value for h in waf.throttled_headers(origins) if h.name == "Access-Control-Allow-Origin"]

    assert origin(("https://app.example.com",)) == ["https://app.example.com"]
    assert origin(("https://app.example.com", "https://admin.example.com")) == []


def test_a_request_a_managed_rule_blocks_gets_the_error_body_with_cors(synth):
    (response,) = [
        r["Properties"]
        for r in synth.of_type("AWS::ApiGateway::GatewayResponse").values()
        if r["Properties"]["ResponseType"] == "WAF_FILTERED"
    ]
    assert response["StatusCode"] == "403"
    assert json.loads(response["ResponseTemplates"]["application/json"])["error"] == "forbidden"
    assert response["ResponseParameters"] == {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
