"""The REST API: one method per entry of `functions.routes.ROUTES`, behind a TOKEN authorizer, each integrated with
its own function (in the nested stack of its resource, `infra.route_functions`)."""

from __future__ import annotations

import json
from dataclasses import replace

from aws_cdk import Acknowledgment, Aws, Duration, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from functions.errors import GATEWAY_HEADERS, GATEWAY_RESPONSES, METHOD_NOT_ALLOWED, error_body
from functions.routes import CORS_ALLOW_HEADERS, ROUTES, UPLOAD_ROUTE, allowed_methods
from infra import names, tiers
from infra.permissions import AUTHORIZER_ACCESS, route_access
from infra.route_functions import RouteFunctions
from infra.runtime import LOG_RETENTION, FunctionBasis, PythonFunction

BEARER = r"^[Bb][Ee][Aa][Rr][Ee][Rr] \S+$"
"""`Authorization: Bearer <key>`, scheme case-insensitive as `functions.authorize.bearer_token` reads it."""
AUTHORIZER_CACHE = Duration.seconds(60)
"""How long API Gateway keeps an authorizer's answer per key: a revoked or expired key is refused within it, even
when the flush on revoke fails."""
STAGE_RATE_LIMIT = 200
"""Requests per second for the whole stage (API Gateway answers 429 past it; the account default is 10,000): the
public share routes, which have no API key, have this limit alone; every tenant's tier (usage plan) applies within
it."""
STAGE_BURST_LIMIT = 400
CORS_HEADERS = list(CORS_ALLOW_HEADERS)
KEEP_STATUS = ("DEFAULT_4XX", "DEFAULT_5XX")
"""Gateway responses that keep API Gateway's own status (413, 415, 504...) and only get our body."""

NOT_COGNITO = Acknowledgment(
    id="AwsSolutions-COG4",
    reason="Authorized by the TOKEN Lambda authorizer: clients are services holding API keys (hashed in the table, "
    "scoped per tenant), not Cognito users. (cdk-nag exempts the CORS preflight methods itself.)",
)

METHOD_NOT_ALLOWED_ACKS = [
    Acknowledgment(
        id=rule,
        reason="The ANY method answers a fixed 405 from a mock integration: it invokes nothing and reads nothing, "
        "so there is nothing to authorize. Every route method has the TOKEN authorizer.",
    )
    for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4")
]

PUBLIC_ACKS = [
    Acknowledgment(
        id=rule,
        reason="A share's public URL: people without an API key open it by design. Its secret is the token in the "
        "path (192 random bits, stored hashed), checked by the function; a password share's password is checked "
        "there too, with wrong guesses throttled per share.",
    )
    for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4")
]

ACCESS_LOG_FORMAT = apigw.AccessLogFormat.custom(
    json.dumps(
        {
            "requestId": apigw.AccessLogField.context_request_id(),
            "ip": apigw.AccessLogField.context_identity_source_ip(),
            "requestTime": apigw.AccessLogField.context_request_time(),
            "httpMethod": apigw.AccessLogField.context_http_method(),
            "resourcePath": apigw.AccessLogField.context_resource_path(),
            "status": apigw.AccessLogField.context_status(),
            "protocol": apigw.AccessLogField.context_protocol(),
            "responseLength": apigw.AccessLogField.context_response_length(),
            "responseLatency": apigw.AccessLogField.context_response_latency(),
            "tenant": apigw.AccessLogField.context_authorizer_principal_id(),
            "error": apigw.AccessLogField.context_error_message(),
        }
    )
)


def proxy_to(function: lambda_.IFunction) -> apigw.Integration:
    """A Lambda proxy integration without the permission `LambdaIntegration` adds: that one's source ARN names the
    deployment stage (a Ref to the stage, which depends on every method, which depends on the function's nested
    stack). `RouteFunctions` grants the invoke itself, for the method's own path and the literal stage name."""
    return apigw.Integration(
        type=apigw.IntegrationType.AWS_PROXY,
        integration_http_method="POST",
        uri=f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}:lambda:path/2015-03-31/functions/"
        f"{function.function_arn}/invocations",
    )


def origin_override(origins: tuple[str, ...]) -> str:
    """A response template's preamble for several allowed origins, as CDK writes the preflight's: the header
    holds the first, and the template answers the caller's `Origin` instead when it is one of the others."""
    if len(origins) < 2:
        return ""
    condition = " || ".join(f'$origin == "{origin}"' for origin in origins[1:])
    return (
        '#set($origin = $input.params().header.get("Origin"))\n'
        '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end\n'
        f"#if({condition})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end\n"
    )


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        basis: FunctionBasis,
        cors_origins: tuple[str, ...],
        snapstart: bool,
    ) -> None:
        super().__init__(scope, id)
        access = route_access(ROUTES)
        access_log = logs.LogGroup(self, names.ACCESS_LOG, retention=LOG_RETENTION)
        self.rest_api = apigw.RestApi(
            self,
            names.REST_API,
            rest_api_name=names.rest_api_name(Stack.of(self).stack_name),
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # the authorizer names the tenant's API key (`usageIdentifierKey`): its tier's usage plan throttles it
            api_key_source_type=apigw.ApiKeySourceType.AUTHORIZER,
            # Stage logging needs the account's API Gateway CloudWatch role; this sets it for the region.
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=names.STAGE,
                access_log_destination=apigw.LogGroupLogDestination(access_log),
                access_log_format=ACCESS_LOG_FORMAT,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=STAGE_RATE_LIMIT,
                throttling_burst_limit=STAGE_BURST_LIMIT,
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(cors_origins),
                allow_headers=CORS_HEADERS,
                allow_methods=sorted({route.method for route in ROUTES}),
            ),
        )
        self._add_gateway_responses(cors_origins)
        authorizer_function = PythonFunction(
            self,
            names.AUTHORIZER_FUNCTION,
            module=names.AUTHORIZER_FUNCTION,
            basis=basis,
            access=AUTHORIZER_ACCESS,
        )
        self.authorizer = apigw.TokenAuthorizer(
            self,
            names.AUTHORIZER,
            handler=authorizer_function.function,
            identity_source=apigw.IdentitySource.header("Authorization"),
            validation_regex=BEARER,
            results_cache_ttl=AUTHORIZER_CACHE,
        )
        validator = self.rest_api.add_request_validator(
            names.REQUEST_VALIDATOR, validate_request_body=True, validate_request_parameters=True
        )
        # for the routes that flush the stage's authorizer cache (a key's revocation)
        flushing = replace(
            basis,
            environment={**basis.environment, "REST_API_ID": self.rest_api.rest_api_id, "API_STAGE": names.STAGE},
            targets=replace(basis.targets, rest_api_id=self.rest_api.rest_api_id),
        )
        targets: dict[str, lambda_.IFunction] = {}
        for resource in dict.fromkeys(route.resource for route in ROUTES):
            routes = [route for route in ROUTES if route.resource == resource]
            group = RouteFunctions(
                self,
                names.routes_stack(resource),
                routes=routes,
                basis=flushing if any(access[route.name].flush_authorizers for route in routes) else basis,
                access=access,
                rest_api_id=self.rest_api.rest_api_id,
                snapstart=snapstart,
            )
            targets.update(group.targets)
        methods: dict[str, apigw.Method] = {}
        for route in ROUTES:
            integration = proxy_to(targets[route.name])
            resource = self.rest_api.root.resource_for_path(route.path)
            if route.public:
                method = resource.add_method(
                    route.method,
                    integration,
                    authorization_type=apigw.AuthorizationType.NONE,
                    request_validator=validator,
                )
                Validations.of(method).acknowledge(*PUBLIC_ACKS)
                continue
            methods[route.name] = resource.add_method(
                route.method,
                integration,
                authorization_type=apigw.AuthorizationType.CUSTOM,
                authorizer=self.authorizer,
                request_validator=validator,
                api_key_required=True,
            )
            Validations.of(methods[route.name]).acknowledge(NOT_COGNITO)
        for path in sorted({route.path for route in ROUTES}):
            self._refuse_other_methods(path, cors_origins)
        self.usage_plans = self._add_usage_plans(methods[UPLOAD_ROUTE])
        self._acknowledge()

    def _add_usage_plans(self, uploads: apigw.Method) -> dict[str, apigw.UsagePlan]:
        """One usage plan per tier of the `tiers` context (`cdk.json`), named `<stack>-<tier>` (`make key --aws`
        finds it by that name), with its own throttle for `POST /v1/uploads` and its daily quota if it has one."""
        stack_name = Stack.of(self).stack_name
        plans = {}
        for tier in tiers.parse(self.node.get_context(tiers.TIERS_CONTEXT)).values():
            plans[tier.name] = self.rest_api.add_usage_plan(
                f"UsagePlan-{tier.name}",
                name=tiers.usage_plan_name(stack_name, tier.name),
                description=f"Tenants of the {tier.name} tier (cdk.json tiers)",
                throttle=apigw.ThrottleSettings(rate_limit=tier.rate, burst_limit=tier.burst),
                quota=apigw.QuotaSettings(limit=tier.quota_per_day, period=apigw.Period.DAY)
                if tier.quota_per_day
                else None,
                api_stages=[
                    apigw.UsagePlanPerApiStage(
                        api=self.rest_api,
                        stage=self.rest_api.deployment_stage,
                        throttle=[
                            apigw.ThrottlingPerMethod(
                                method=uploads,
                                throttle=apigw.ThrottleSettings(
                                    rate_limit=tier.uploads_rate, burst_limit=tier.uploads_burst
                                ),
                            )
                        ],
                    )
                ],
            )
        return plans

    def _refuse_other_methods(self, path: str, cors_origins: tuple[str, ...]) -> None:
        """`ANY` on a path answers 405 for the methods the table has no route for (explicit methods take
        precedence), from a mock integration: nothing is invoked and nothing is read, so it needs no key.
        With several origins, the template answers the caller's `Origin` when it is one of them, as CDK's own
        preflight does."""
        status, code, message = METHOD_NOT_ALLOWED
        headers = {
            "Allow": f"'{','.join(allowed_methods(path))}'",
            "Access-Control-Allow-Origin": f"'{cors_origins[0]}'",
        }
        method = self.rest_api.root.resource_for_path(path).add_method(
            "ANY",
            apigw.MockIntegration(
                request_templates={"application/json": json.dumps({"statusCode": status})},
                passthrough_behavior=apigw.PassthroughBehavior.NEVER,
                integration_responses=[
                    apigw.IntegrationResponse(
                        status_code=str(status),
                        response_templates={
                            "application/json": origin_override(cors_origins) + json.dumps(error_body(code, message))
                        },
                        response_parameters={
                            f"method.response.header.{name}": value for name, value in headers.items()
                        },
                    )
                ],
            ),
            authorization_type=apigw.AuthorizationType.NONE,
            method_responses=[
                apigw.MethodResponse(
                    status_code=str(status),
                    response_parameters={f"method.response.header.{name}": True for name in headers},
                )
            ],
        )
        Validations.of(method).acknowledge(*METHOD_NOT_ALLOWED_ACKS)

    def _add_gateway_responses(self, cors_origins: tuple[str, ...]) -> None:
        """What API Gateway answers by itself carries the same error body as the functions' errors, and the
        `Access-Control-Allow-Origin` of `functions.routes.gateway_error_origin`."""
        origin = "method.request.header.Origin" if len(cors_origins) > 1 else f"'{cors_origins[0]}'"
        for kind, (status, code, message) in GATEWAY_RESPONSES.items():
            self.rest_api.add_gateway_response(
                kind,
                type=apigw.ResponseType.of(kind),
                status_code=None if kind in KEEP_STATUS else str(status),
                response_headers={
                    "Access-Control-Allow-Origin": origin,
                    **{name: f"'{value}'" for name, value in GATEWAY_HEADERS.get(kind, {}).items()},
                },
                templates={"application/json": json.dumps(error_body(code, message))},
            )

    def _acknowledge(self) -> None:
        Validations.of(self.rest_api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="The account-level role API Gateway uses to write stage logs; this AWS managed policy is "
                "the documented one for it and grants nothing beyond CloudWatch Logs.",
            ),
        )
