"""A local API Gateway: each HTTP request becomes the REST proxy event the cloud sends.

It runs the same TOKEN authorizer and the same handlers, answers unknown routes and failed
authorization with the same error bodies as the deployed gateway responses, throttles each tenant
as its tier's usage plan does (`local.limits`, the tiers of `cdk.json`: 429 with `Retry-After`), and
serves Swagger UI at `/docs` from the committed OpenAPI document.
"""

from __future__ import annotations

import base64
import json
import logging
import time
import uuid
from pathlib import Path
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from functions.errors import GATEWAY_HEADERS, GATEWAY_RESPONSES, METHOD_NOT_ALLOWED, error_body
from functions.routes import (
    CORS_ALLOW_HEADERS,
    ROUTES,
    UPLOAD_ROUTE,
    Route,
    allowed_methods,
    allowed_origin,
    gateway_error_origin,
)
from functions.settings import get_settings
from infra import tiers
from local.lambda_runtime import Functions
from local.limits import Limits

OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi.json"
AUTHORIZER = "functions.authorize"
DELIVERY = "functions.deliver"
CDN_PATH = "/cdn"
"""Where the gateway serves the delivery function, as the CDN does on AWS (`DELIVERY_URL` points here)."""
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Headers": ",".join(CORS_ALLOW_HEADERS),
    "Access-Control-Allow-Methods": ",".join([*sorted({route.method for route in ROUTES}), "OPTIONS"]),
}
log = logging.getLogger("local.gateway")
TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")


def _origin_header(origin: str | None) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin} if origin else {}


def _gateway_error(request: Request, kind: str, headers: dict[str, str] | None = None) -> Response:
    """An answer of the gateway's own, with the `Access-Control-Allow-Origin` API Gateway gives it (and `headers`
    over its static ones: the exact `Retry-After`)."""
    status, code, message = GATEWAY_RESPONSES[kind]
    origin = gateway_error_origin(get_settings().cors_origins, request.headers.get("Origin"))
    headers = {**_origin_header(origin), **GATEWAY_HEADERS.get(kind, {}), **(headers or {})}
    return Response(json.dumps(error_body(code, message)), status, headers, content_type="application/json")


def _method_not_allowed(request: Request, route: Route) -> Response:
    origin = allowed_origin(get_settings().cors_origins, request.headers.get("Origin"))
    status, code, message = METHOD_NOT_ALLOWED
    body = json.dumps(error_body(code, message))
    headers = {"Allow": ",".join(allowed_methods(route.path)), **_origin_header(origin)}
    return Response(body, status, headers, content_type="application/json")


def _preflight(request: Request) -> Response:
    """A disallowed origin gets no `Access-Control-Allow-Origin`, so the browser refuses the request."""
    origin = allowed_origin(get_settings().cors_origins, request.headers.get("Origin"))
    return Response(status=204, headers={**PREFLIGHT_HEADERS, **_origin_header(origin)})


def _multi(items: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in items:
        result.setdefault(key, []).append(value)
    return result


def _body(request: Request) -> tuple[str | None, bool]:
    """The body as API Gateway passes it: text as is, anything else (or text that is not UTF-8) in base64."""
    raw = request.get_data()
    if not raw:
        return None, False
    if (request.mimetype or "application/json").startswith(TEXT_TYPES):
        try:
            return raw.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(raw).decode(), True


class Gateway:
    def __init__(self, functions: Functions | None = None, limits: Limits | None = None):
        self.functions = functions or Functions()
        self.limits = limits or Limits(tiers.from_cdk_json())
        self.urls = Map([Rule(route.rule, methods=[route.method], endpoint=route) for route in ROUTES])

    def __call__(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        response = self.dispatch(request)
        log.info("%s %s -> %s", request.method, request.full_path.rstrip("?"), response.status_code)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path in ("/docs", "/docs/"):
            return Response(self._swagger_html(), content_type="text/html")
        if request.path == "/openapi.json":
            return Response(OPENAPI_FILE.read_bytes(), content_type="application/json")
        if request.path.startswith(f"{CDN_PATH}/"):
            return self._response(self.functions.invoke(DELIVERY, self._function_url_event(request)))
        adapter = self.urls.bind("localhost")
        exact = [route for route in ROUTES if route.path == request.path]
        if exact and request.method not in {route.method for route in exact}:
            # API Gateway picks the resource by path first: `PUT /v1/assets/filters` is that resource's 405,
            # though `/v1/assets/{asset_id}` takes PUT
            if request.method == "OPTIONS":
                return _preflight(request)
            return _method_not_allowed(request, exact[0])
        try:
            route, params = adapter.match(request.path, method=request.method)
        except MethodNotAllowed as error:
            if request.method == "OPTIONS":
                return _preflight(request)
            route, _ = adapter.match(request.path, method=error.valid_methods[0])
            return _method_not_allowed(request, route)
        except NotFound:
            return _gateway_error(request, "MISSING_AUTHENTICATION_TOKEN")
        if request.method != route.method:  # werkzeug lets HEAD through to GET; API Gateway does not
            return _method_not_allowed(request, route)
        context: dict[str, Any] = {}
        if not route.public:
            context, refusal = self._admit(request, route)
            if refusal is not None:
                return refusal
        result = self.functions.invoke(route.module, self._event(request, route, params, context))
        return self._response(result)

    def _admit(self, request: Request, route: Route) -> tuple[dict[str, Any], Response | None]:
        """As API Gateway does for a method that needs a key: the authorizer, then the usage plan of the tenant's
        tier. What the authorizer resolved, or the gateway's refusal."""
        context, usage = self._authorize(request, route)
        if context is None:
            return {}, _gateway_error(request, "UNAUTHORIZED")
        if usage is None or context.get("tier") not in self.limits.tiers:  # in no usage plan
            return {}, _gateway_error(request, "INVALID_API_KEY")
        refused = self.limits.admit(usage, context["tier"], route.name == UPLOAD_ROUTE)
        if refused is not None:
            return {}, _gateway_error(request, refused.kind, {"Retry-After": str(refused.retry_after)})
        return context, None

    def _authorize(self, request: Request, route: Route) -> tuple[dict[str, Any] | None, str | None]:
        """What the authorizer resolved (None: refused) and the usage identifier it returned."""
        header = request.headers.get("Authorization")
        if not header:
            return None, None
        arn = f"arn:aws:execute-api:us-east-1:000000000000:local/local/{route.method}{request.path}"
        event = {"type": "TOKEN", "authorizationToken": header, "methodArn": arn}
        try:
            policy = self.functions.invoke(AUTHORIZER, event)
        except Exception as error:
            if str(error) == "Unauthorized":
                return None, None
            raise
        statements = policy["policyDocument"]["Statement"]
        if not any(s["Effect"] == "Allow" for s in statements):
            return None, None
        return {**policy.get("context", {}), "principalId": policy["principalId"]}, policy.get("usageIdentifierKey")

    def _event(self, request: Request, route: Route, params: dict, authorizer: dict) -> dict[str, Any]:
        body, is_base64 = _body(request)
        query = _multi(request.args.items(multi=True))
        headers = _multi(request.headers.items())
        return {
            "resource": route.path,
            "path": request.path,
            "httpMethod": request.method,
            "headers": {k: v[-1] for k, v in headers.items()},
            "multiValueHeaders": headers,
            "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
            "multiValueQueryStringParameters": query or None,
            "pathParameters": params or None,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": route.path,
                "httpMethod": request.method,
                "path": request.path,  # the local URLs have no stage prefix
                "stage": "local",
                "requestId": str(uuid.uuid4()),
                "requestTimeEpoch": int(time.time() * 1000),
                "accountId": "000000000000",
                "apiId": "local",
                "identity": {"sourceIp": request.remote_addr or "127.0.0.1"},
                "authorizer": authorizer,
            },
            "body": body,
            "isBase64Encoded": is_base64,
        }

    @staticmethod
    def _function_url_event(request: Request) -> dict[str, Any]:
        """The Lambda function URL event (payload 2.0) CloudFront's request becomes, the `/cdn` prefix removed."""
        path = request.path.removeprefix(CDN_PATH)
        query = request.query_string.decode()
        return {
            "version": "2.0",
            "rawPath": path,
            "rawQueryString": query,
            "headers": {name.lower(): value for name, value in request.headers.items()},
            "queryStringParameters": dict(request.args.items()) or None,
            "requestContext": {
                "http": {"method": request.method, "path": path, "sourceIp": request.remote_addr or "127.0.0.1"},
                "requestId": str(uuid.uuid4()),
                "timeEpoch": int(time.time() * 1000),
            },
            "isBase64Encoded": False,
        }

    @staticmethod
    def _response(result: dict[str, Any]) -> Response:
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        response = Response(data, status=result["statusCode"])
        for key, value in (result.get("headers") or {}).items():
            response.headers[key] = value
        for key, values in (result.get("multiValueHeaders") or {}).items():
            response.headers.remove(key)
            for value in values:
                response.headers.add(key, value)
        return response

    @staticmethod
    def _swagger_html() -> str:
        from aws_lambda_powertools.event_handler.openapi import swagger_ui
        from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

        assets = Path(swagger_ui.__file__).parent
        return generate_swagger_html(
            OPENAPI_FILE.read_text(),
            (assets / "swagger-ui-bundle.min.js").read_text(),
            (assets / "swagger-ui.min.css").read_text(),
            "",
            None,
            persist_authorization=True,
        )
