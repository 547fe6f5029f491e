"""The HTTP layer shared by every API handler: resolver, auth context, scopes and error mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.logging import correlation_paths

from functions.errors import DomainError, Forbidden, TransientError, Unauthorized, error_body
from functions.models import ErrorBody
from functions.routes import Route
from functions.settings import get_settings

logger = Logger(service="assets")

AssetIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Asset identifier.")]

_ERROR_DESCRIPTIONS = {
    400: "Invalid input; `field` names the first offending field.",
    401: "Missing or unknown API key.",
    403: "The API key lacks the scope this operation needs.",
    404: "No such asset for this tenant.",
    409: "The asset is not in a state that allows this.",
    413: "The declared size is over the upload limit.",
}


def error_responses(*statuses: int) -> dict[int, dict[str, Any]]:
    """OpenAPI response entries for the error body."""
    return {
        status: {"description": _ERROR_DESCRIPTIONS[status], "content": {"application/json": {"model": ErrorBody}}}
        for status in (400, 401, 403, *statuses)
    }


@dataclass(frozen=True)
class Principal:
    tenant: str
    scopes: frozenset[str]


def principal(router: APIGatewayRouter) -> Principal:
    """The tenant and scopes the authorizer resolved. Never anything the client sent."""
    context = router.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    tenant = context.get("tenant")
    if not tenant:
        raise Unauthorized("a valid API key is required")
    return Principal(tenant=tenant, scopes=frozenset(str(context.get("scopes", "")).split()))


def tenant(router: APIGatewayRouter) -> str:
    return principal(router).tenant


def redirect(url: str) -> Response[None]:
    """302 to a presigned URL, which must never be cached past its short life."""
    return Response(status_code=302, headers={"Location": url, "Cache-Control": "no-store"})


def _error(status: int, code: str, message: str, field: str | None = None) -> Response:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps(error_body(code, message, field))
    )


def _validation_field(error: dict[str, Any]) -> str:
    names = [str(part) for part in error.get("loc", ()) if isinstance(part, str)]
    names = [n for n in names if n not in ("body", "query", "path", "header")] or names[:1]
    return ".".join(names) or "body"


def resolver(route: Route, router: APIGatewayRouter) -> APIGatewayRestResolver:
    """A resolver serving one route, with scope check and the error body for every failure."""
    settings = get_settings()
    app = APIGatewayRestResolver(
        enable_validation=True,
        cors=CORSConfig(allow_origin=settings.cors_allow_origin, allow_headers=["Authorization", "Content-Type"]),
    )

    def require_scope(app: APIGatewayRestResolver, next_middleware: Callable) -> Response:
        if route.scope not in principal(router).scopes:
            raise Forbidden(f"this API key lacks the {route.scope} scope")
        return next_middleware(app)

    app.use([require_scope])

    @app.exception_handler(DomainError)
    def domain_error(error: DomainError) -> Response:
        return _error(error.status, error.code, error.message, error.field)

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        first = (error.errors() or [{}])[0]
        field = _validation_field(first)
        if first.get("type") == "json_invalid":
            return _error(HTTPStatus.BAD_REQUEST, "invalid_json", "the request body is not valid JSON", "body")
        message = f"{field}: {first.get('msg', 'invalid value')}"
        return _error(HTTPStatus.BAD_REQUEST, "invalid_request", message, field)

    @app.not_found
    def not_found(_: NotFoundError) -> Response:
        return _error(HTTPStatus.NOT_FOUND, "not_found", "no such route")

    @app.exception_handler(TransientError)
    def unavailable(error: TransientError) -> Response:
        logger.warning("dependency unavailable", extra={"reason": str(error)})
        return _error(HTTPStatus.SERVICE_UNAVAILABLE, "unavailable", "a dependency is busy; retry shortly")

    @app.exception_handler(Exception)
    def internal(error: Exception) -> Response:
        logger.exception("unhandled error")
        return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "an internal error occurred")

    app.include_router(router)
    return app


def lambda_handler(route: Route, router: APIGatewayRouter) -> Callable[[dict, Any], dict]:
    """The Lambda entry point for one route; the resolver is built on the first invocation."""
    apps: list[APIGatewayRestResolver] = []

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
    def handler(event: dict, context: Any) -> dict:
        if not apps:
            apps.append(resolver(route, router))
        return apps[0].resolve(event, context)

    return handler
