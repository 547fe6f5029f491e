"""An optional regional WAF web ACL in front of the API stage: context `waf` (`-c waf=true`), off by default.

Three rules, cheapest first: a rate-based rule per client IP (context `waf_rate_limit`, requests per 5 minutes),
then the AWS managed rule groups AWSManagedRulesCommonRuleSet (OWASP-style: XSS, LFI, bad paths, size limits)
and AWSManagedRulesKnownBadInputsRuleSet (Log4j, Java deserialization, localhost Host headers...). Every rule
and the ACL publish CloudWatch metrics and keep sampled requests.

The common rule set's `SizeRestrictions_BODY` blocks bodies over 8 KB, which the API accepts by design: the
multipart completion lists every part (over 8 KB from 136 parts, about 600 KB at its 10,000), and exports and
shares take up to 1,000 asset ids. That rule only counts; API Gateway's 10 MB payload limit and the request
models still bound bodies. WAF inspects the first 8 KB of a body either way.

A request a managed rule blocks gets API Gateway's 403 with the API's error body (gateway response
`WAF_FILTERED`); one over the rate gets WAF's own 429 with `Retry-After` and the error body. WAF's headers are
static, so that 429 carries `Access-Control-Allow-Origin` when the API allows `*` or one origin (as API Gateway's
own errors do); with a list of origins a browser's script cannot read it.
"""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from functions.errors import EXPOSE_RETRY_AFTER, GATEWAY_RESPONSES, error_body
from functions.routes import gateway_error_origin
from infra import names

DEFAULT_RATE_LIMIT = 3000
"""Requests per client IP in 5 minutes (10 a second on average): above one client's busy use (an upload is one
call per file, a few more for a multipart one), low enough to cut off a flood before it costs authorizer
invocations. Clients behind one NAT share an address: raise it with `-c waf_rate_limit=N`."""
RATE_WINDOW_SECONDS = 300
COMMON_RULES = "AWSManagedRulesCommonRuleSet"
KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet"
BODY_SIZE_RULE = "SizeRestrictions_BODY"
RATE_RULE = "RatePerIp"
THROTTLED_BODY = "throttled"
"""The key of the 429's body in the ACL's custom response bodies."""
THROTTLED_MESSAGE = "too many requests from this address; retry after Retry-After seconds"
"""Per IP, not per tenant: the tiers' limit (`functions.errors` THROTTLED) words its own."""

NO_WAF = Acknowledgment(
    id="AwsSolutions-APIG3",
    reason="The web ACL is off (context waf): every route but the public share links needs an API key, checked by "
    "the Lambda authorizer before any route function runs. Turn on with -c waf=true.",
)


def waf_enabled(scope: Construct) -> bool:
    """The `waf` context: `true` from cdk.json or `-c waf=true`."""
    return str(scope.node.try_get_context(names.WAF_CONTEXT)).lower() == "true"


def rate_limit(scope: Construct) -> int:
    value = scope.node.try_get_context(names.WAF_RATE_LIMIT_CONTEXT)
    return DEFAULT_RATE_LIMIT if value is None else int(value)


def visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def managed_rule(
    name: str, priority: int, overrides: list[wafv2.CfnWebACL.RuleActionOverrideProperty] | None = None
) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=name, rule_action_overrides=overrides
            )
        ),
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        visibility_config=visibility(name),
    )


class WebAcl(Construct):
    """The web ACL and its association with the API's stage."""

    def __init__(
        self, scope: Construct, id: str, *, stage: apigw.Stage, limit: int, cors_origins: tuple[str, ...]
    ) -> None:
        super().__init__(scope, id)
        status, code, _ = GATEWAY_RESPONSES["THROTTLED"]
        rate = wafv2.CfnWebACL.RuleProperty(
            name=RATE_RULE,
            priority=0,
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    aggregate_key_type="IP", limit=limit, evaluation_window_sec=RATE_WINDOW_SECONDS
                )
            ),
            action=wafv2.CfnWebACL.RuleActionProperty(
                block=wafv2.CfnWebACL.BlockActionProperty(
                    custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                        response_code=status,
                        custom_response_body_key=THROTTLED_BODY,
                        response_headers=throttled_headers(cors_origins),
                    )
                )
            ),
            visibility_config=visibility(RATE_RULE),
        )
        body_size_counts = wafv2.CfnWebACL.RuleActionOverrideProperty(
            name=BODY_SIZE_RULE, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
        )
        self.acl = wafv2.CfnWebACL(
            self,
            names.WEB_ACL,
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=visibility(names.WEB_ACL),
            custom_response_bodies={
                THROTTLED_BODY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=json.dumps(error_body(code, THROTTLED_MESSAGE))
                )
            },
            rules=[
                rate,
                managed_rule(COMMON_RULES, 1, [body_size_counts]),
                managed_rule(KNOWN_BAD_INPUTS, 2),
            ],
        )
        wafv2.CfnWebACLAssociation(
            self, names.WEB_ACL_ASSOCIATION, resource_arn=stage.stage_arn, web_acl_arn=self.acl.attr_arn
        )


def throttled_headers(cors_origins: tuple[str, ...]) -> list[wafv2.CfnWebACL.CustomHTTPHeaderProperty]:
    """`Retry-After` (a client that waits one window and sends nothing meanwhile is under the limit again), readable
    by a browser's script, for the origin API Gateway's own errors name when there is one."""
    origin = gateway_error_origin(cors_origins, None)
    headers = {
        "Retry-After": str(RATE_WINDOW_SECONDS),
        **EXPOSE_RETRY_AFTER,
        **({"Access-Control-Allow-Origin": origin} if origin else {}),
    }
    return [wafv2.CfnWebACL.CustomHTTPHeaderProperty(name=name, value=value) for name, value in headers.items()]


def protect(scope: Construct, rest_api: apigw.RestApi, cors_origins: tuple[str, ...]) -> WebAcl | None:
    """The web ACL in front of `rest_api`'s stage when the `waf` context is on; else cdk-nag's finding that
    there is none is acknowledged, with how to turn it on."""
    if not waf_enabled(scope):
        Validations.of(rest_api).acknowledge(NO_WAF)
        return None
    return WebAcl(scope, names.WAF, stage=rest_api.deployment_stage, limit=rate_limit(scope), cors_origins=cors_origins)
