"""The REST API: one method per route, each behind the TOKEN authorizer, and our error body everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aws_cdk.assertions import Match

from functions.routes import ROUTES
from infra import api as api_module
from infra import names
from tests.infra.conftest import render

NOT_ROUTES = ("OPTIONS", "ANY")
"""Methods API Gateway answers by itself: the CORS preflight and the 405 for undeclared methods."""


def _paths(synth) -> dict[str, str]:
    """Logical id of each API Gateway resource (and of the root, by the API's logical id) -> its full path."""
    resources = synth.of_type("AWS::ApiGateway::Resource")
    api = next(iter(synth.of_type("AWS::ApiGateway::RestApi")))

    def path(lid: str) -> str:
        if lid == api:
            return ""
        properties = resources[lid]["Properties"]
        parent = properties["ParentId"]
        return f"{path(parent['Ref'] if 'Ref' in parent else parent['Fn::GetAtt'][0])}/{properties['PathPart']}"

    return {lid: path(lid) or "/" for lid in [*resources, api]}


def _methods(synth) -> dict[tuple[str, str], dict]:
    """(HTTP method, path) -> the method's properties."""
    paths = _paths(synth)
    found = {}
    for method in synth.of_type("AWS::ApiGateway::Method").values():
        properties = method["Properties"]
        resource = properties["ResourceId"]
        lid = resource["Ref"] if "Ref" in resource else resource["Fn::GetAtt"][0]
        found[(properties["HttpMethod"], paths[lid])] = properties
    return found


def test_one_method_per_route_with_its_own_function(synth):
    handlers = {lid: handler for handler, lid in synth.functions().items()}
    routed = {
        key: handlers[synth.function_behind(properties["Integration"]["Uri"])]
        for key, properties in _methods(synth).items()
        if key[0] not in NOT_ROUTES
    }
    assert routed == {(route.method, route.path): f"{route.module}.handler" for route in ROUTES}


def test_every_route_method_needs_the_authorizer_but_a_share_s_public_url(synth):
    (authorizer,) = synth.of_type("AWS::ApiGateway::Authorizer")
    methods = {key: properties for key, properties in _methods(synth).items() if key[0] not in NOT_ROUTES}
    assert len(methods) == len(ROUTES)
    public = {(route.method, route.path) for route in ROUTES if route.public}
    assert public == {
        ("GET", "/v1/shared/{token}"),
        ("POST", "/v1/shared/{token}/unlock"),
        ("GET", "/v1/shared/{token}/assets/{asset_id}/download"),
        ("POST", "/v1/shared/{token}/exports"),
        ("GET", "/v1/shared/{token}/exports/{export_id}"),
    }
    for key, properties in methods.items():
        assert "RequestValidatorId" in properties
        if key in public:
            assert properties["AuthorizationType"] == "NONE"
            assert "AuthorizerId" not in properties
            assert properties.get("ApiKeyRequired", False) is False  # no key: the stage's throttle alone
        else:
            assert properties["AuthorizationType"] == "CUSTOM"
            assert properties["AuthorizerId"] == {"Ref": authorizer}
            assert properties["ApiKeyRequired"] is True  # the tenant's usage plan throttles it


def test_preflight_needs_no_authorization_and_allows_our_headers(synth):
    preflights = [properties for (verb, _), properties in _methods(synth).items() if verb == "OPTIONS"]
    assert len(preflights) == len(synth.of_type("AWS::ApiGateway::Resource")) + 1
    for properties in preflights:
        assert properties["AuthorizationType"] == "NONE"
        headers = properties["Integration"]["IntegrationResponses"][0]["ResponseParameters"]
        allowed = "'Authorization,Content-Type,If-Match,Idempotency-Key'"  # the conditional and idempotent writes
        assert headers["method.response.header.Access-Control-Allow-Headers"] == allowed
        assert headers["method.response.header.Access-Control-Allow-Origin"] == "'*'"


def test_undeclared_methods_get_405_with_allow_from_a_mock(synth):
    refusals = {path: properties for (verb, path), properties in _methods(synth).items() if verb == "ANY"}

    assert set(refusals) == {route.path for route in ROUTES}
    for path, properties in refusals.items():
        integration = properties["Integration"]
        (answer,) = integration["IntegrationResponses"]
        declared = sorted(route.method for route in ROUTES if route.path == path)
        assert (properties["AuthorizationType"], integration["Type"]) == ("NONE", "MOCK")
        assert json.loads(integration["RequestTemplates"]["application/json"]) == {"statusCode": 405}
        assert integration["PassthroughBehavior"] == "NEVER"
        assert answer["StatusCode"] == "405"
        assert answer["ResponseParameters"]["method.response.header.Allow"] == f"'{','.join([*declared, 'OPTIONS'])}'"
        assert json.loads(answer["ResponseTemplates"]["application/json"])["error"] == "method_not_allowed"
        assert set(properties["MethodResponses"][0]["ResponseParameters"]) == set(answer["ResponseParameters"])


def test_token_authorizer(synth):
    authorizer = synth.template.find_resources("AWS::ApiGateway::Authorizer")
    (properties,) = [r["Properties"] for r in authorizer.values()]
    assert properties["Type"] == "TOKEN"
    assert properties["IdentitySource"] == "method.request.header.Authorization"
    assert properties["AuthorizerResultTtlInSeconds"] == 60  # a revoked or expired key is refused within a minute
    assert synth.function_behind(properties["AuthorizerUri"]) == synth.functions()["functions.authorize.handler"]
    pattern = re.compile(properties["IdentityValidationExpression"])
    assert pattern.match("Bearer dam_abc-DEF_123")
    assert pattern.match("bearer dam_abc")
    assert not pattern.match("Basic dXNlcjpwYXNz")
    assert not pattern.match("Bearer ")


def _gateway_responses(synth) -> dict[str, dict]:
    return {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in synth.of_type("AWS::ApiGateway::GatewayResponse").values()
    }


def test_gateway_errors_carry_our_body_and_status(synth):
    responses = _gateway_responses(synth)
    expected = {
        "UNAUTHORIZED": ("401", "unauthorized"),
        "ACCESS_DENIED": ("403", "forbidden"),
        "INVALID_API_KEY": ("403", "forbidden"),
        "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
        "THROTTLED": ("429", "throttled"),
        "QUOTA_EXCEEDED": ("429", "quota_exceeded"),
    }
    for kind, (status, code) in expected.items():
        assert responses[kind]["StatusCode"] == status, kind
        body = json.loads(responses[kind]["ResponseTemplates"]["application/json"])
        assert body["error"] == code, kind
        assert set(body) == {"error", "message", "field"}, kind
        assert body["field"] is None, kind
    unknown_route = json.loads(responses["MISSING_AUTHENTICATION_TOKEN"]["ResponseTemplates"]["application/json"])
    assert unknown_route == {"error": "not_found", "message": "no such route", "field": None}


def test_default_gateway_errors_keep_their_status_and_hide_details(synth):
    responses = _gateway_responses(synth)
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        assert "StatusCode" not in responses[kind], kind
        assert "$context" not in responses[kind]["ResponseTemplates"]["application/json"], kind
    assert json.loads(responses["DEFAULT_5XX"]["ResponseTemplates"]["application/json"])["error"] == "internal_error"


def test_gateway_errors_answer_cors_401_names_the_scheme_and_429_says_when_to_retry(synth):
    cors = {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
    exposed = {"gatewayresponse.header.Access-Control-Expose-Headers": "'Retry-After'"}  # readable by a script
    extra = {
        "UNAUTHORIZED": {"gatewayresponse.header.WWW-Authenticate": "'Bearer'"},
        "THROTTLED": {"gatewayresponse.header.Retry-After": "'1'", **exposed},
        "QUOTA_EXCEEDED": {"gatewayresponse.header.Retry-After": "'3600'", **exposed},
    }
    for kind, properties in _gateway_responses(synth).items():
        assert properties["ResponseParameters"] == {**cors, **extra.get(kind, {})}, kind


def test_stage_logs_without_request_data(synth):
    synth.template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "StageName": names.STAGE,
            "AccessLogSetting": {"DestinationArn": Match.any_value(), "Format": Match.string_like_regexp("tenant")},
            "MethodSettings": [
                Match.object_like(
                    {"HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": "ERROR", "DataTraceEnabled": False}
                )
            ],
        },
    )


def test_stage_traces_every_request(synth):
    synth.template.has_resource_properties("AWS::ApiGateway::Stage", {"TracingEnabled": True})


def test_stage_is_throttled(synth):
    synth.template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "MethodSettings": [
                Match.object_like(
                    {
                        "ThrottlingRateLimit": api_module.STAGE_RATE_LIMIT,
                        "ThrottlingBurstLimit": api_module.STAGE_BURST_LIMIT,
                    }
                )
            ]
        },
    )


def test_each_route_function_is_invoked_for_its_own_method_and_path_on_the_stage(synth):
    """Not on any stage, method or path of the API (least privilege), nor through a Ref to the stage (the stage
    depends on every method, which depends on the route functions' nested stacks: a cycle)."""
    api = next(iter(synth.of_type("AWS::ApiGateway::RestApi")))
    permissions = {
        synth.function_behind(p["Properties"]["FunctionName"]): p["Properties"]
        for p in synth.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    }
    handlers = synth.functions()
    for route in ROUTES:
        permission = permissions[handlers[f"{route.module}.handler"]]
        path = re.sub(r"\{\w+\}", "*", route.path)
        assert render(permission["SourceArn"]) == (
            f"arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<{api}>/{names.STAGE}/{route.method}{path}"
        ), route.name


def test_route_functions_are_invoked_by_this_api_only(synth):
    """Besides the delivery function's URL, which CloudFront alone invokes (tests/infra/test_delivery.py)."""
    permissions = synth.of_type("AWS::Lambda::Permission").values()
    for properties in (p["Properties"] for p in permissions if "FunctionUrl" not in json.dumps(p["Properties"])):
        assert properties["Principal"] == "apigateway.amazonaws.com"
        assert "/test-invoke-stage/" not in json.dumps(properties["SourceArn"])


def test_the_authorizer_names_the_api_key_usage_plans_meter(synth):
    (api,) = synth.of_type("AWS::ApiGateway::RestApi").values()
    assert api["Properties"]["ApiKeySourceType"] == "AUTHORIZER"


def test_one_usage_plan_per_tier_with_its_own_throttle_for_uploads(synth):
    tiers = json.loads((Path(__file__).resolve().parents[2] / "cdk.json").read_text())["context"]["tiers"]
    plans = {
        p["Properties"]["UsagePlanName"]: p["Properties"] for p in synth.of_type("AWS::ApiGateway::UsagePlan").values()
    }
    assert set(plans) == {f"{names.STACK}-{tier}" for tier in tiers}
    (stage,) = synth.of_type("AWS::ApiGateway::Stage")
    (api,) = synth.of_type("AWS::ApiGateway::RestApi")
    for tier, numbers in tiers.items():
        plan = plans[f"{names.STACK}-{tier}"]
        assert plan["Throttle"] == {"RateLimit": numbers["rate"], "BurstLimit": numbers["burst"]}
        assert ("Quota" in plan) == (numbers["quota_per_day"] is not None)
        (on_stage,) = plan["ApiStages"]
        assert on_stage["ApiId"] == {"Ref": api}
        assert on_stage["Stage"] == {"Ref": stage}
        uploads = {"RateLimit": numbers["uploads_rate"], "BurstLimit": numbers["uploads_burst"]}
        assert on_stage["Throttle"] == {"/v1/uploads/POST": uploads}


def test_tiers_are_checked_and_a_daily_quota_is_kept():
    """`quota_per_day` is null in cdk.json; a number becomes the plan's daily quota."""
    from infra import tiers

    tier = {"rate": 10, "burst": 20, "uploads_rate": 1, "uploads_burst": 2, "quota_per_day": 5000}
    parsed = tiers.parse({"standard": tier})
    assert parsed["standard"].quota_per_day == 5000
    with pytest.raises(ValueError, match="at least 1"):
        tiers.parse({"standard": {**tier, "rate": 0.5}})
    with pytest.raises(ValueError, match="must include 'standard'"):
        tiers.parse({"gold": tier})
    with pytest.raises(ValueError, match="must have"):
        tiers.parse({"standard": {"rate": 10}})


def test_usage_plan_ids_are_outputs(synth):
    tiers = json.loads((Path(__file__).resolve().parents[2] / "cdk.json").read_text())["context"]["tiers"]
    outputs = synth.cfn["Outputs"]
    for tier in tiers:
        assert f"{names.USAGE_PLAN_OUTPUT}{tier.title()}" in outputs
