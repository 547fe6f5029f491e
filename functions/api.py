"""The HTTP layer shared by every API handler: resolver, auth context, scopes and error mapping."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.logging import correlation_paths

from functions import snapstart, tracing
from functions.adapters import clients
from functions.errors import (
    AUTHENTICATE_HEADERS,
    DomainError,
    Forbidden,
    InvalidInput,
    InvalidJson,
    TransientError,
    Unauthorized,
    UnsupportedMediaType,
    error_body,
)
from functions.models.common import DownloadLink, ErrorBody
from functions.routes import CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, Route
from functions.services.revisions import etag
from functions.settings import get_settings

logger = Logger(service="assets")

AssetIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Asset identifier.")]
UploadIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Multipart upload identifier.")]
VersionNumberPath = Annotated[int, Path(ge=1, le=999_999, description="Version number.")]
CommentIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Comment identifier.")]
FolderIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Folder identifier.")]
ShareIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Share identifier.")]
TokenPath = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]{20,64}$", description="The share URL's token (anyone who has it may visit).")
]
AccessQuery = Annotated[
    str | None,
    Query(max_length=512, description="What `POST /v1/shared/{token}/unlock` answered, for a password share."),
]
KeyIdPath = Annotated[str, Path(pattern=r"^key_[0-9a-f]{32}$", description="The API key's id (`key_...`).")]
ExportIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Export identifier.")]
WebhookIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Webhook identifier.")]
DeliveryIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Webhook delivery identifier.")]
CursorQuery = Annotated[
    str | None,
    Query(
        max_length=512,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="`next_cursor` of the previous page, unchanged: cursors are signed and bound to the "
        "tenant and the other query parameters; any other value is a 400.",
    ),
]
NO_FOLDER = "No such folder for this tenant (`not_found`)."
NO_WEBHOOK = "No such webhook for this tenant (`not_found`)."
NOT_A_FILE = "Or the asset is a link or an external video, which has no file (`not_a_file`)."
IfMatch = Annotated[
    list[str] | None,
    Header(
        description="The `ETag` (revision) you last read: the write happens only if it is still current, else 412. "
        "`*` matches any revision; several entity tags may be listed, comma-separated.",
    ),
]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Any unique string of yours (a UUID): sent again with the same request within 24 hours, the first "
        "answer comes back and nothing is done twice; with another request, 409 `idempotency_conflict`. Applied "
        "before the operation runs (`functions/idempotent.py`).",
    ),
]


def entity_tags(if_match: list[str] | None) -> str | None:
    """`If-Match` as sent: the resolver splits a header's value at its commas."""
    return ", ".join(if_match) if if_match is not None else None


ETAG = {"ETag": {"description": "The revision, quoted: send it back in `If-Match`.", "schema": {"type": "string"}}}

MAX_JSON_DEPTH = 32
"""Request bodies nest three levels at most; anything deeper is refused before it is parsed for real."""
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

_ERROR_DESCRIPTIONS = {
    400: "Invalid input (`invalid_request`, `invalid_json`); `field` names the first offending field.",
    401: "Missing or unknown API key (`unauthorized`).",
    403: "The API key lacks the scope this operation needs (`forbidden`).",
    404: "No such asset for this tenant (`not_found`).",
    409: "The asset is not in a state that allows this (`conflict`).",
    412: "`If-Match` names a revision that is no longer current (`precondition_failed`): read it again.",
    413: "The declared size is over the upload limit (`too_large`).",
    415: "The body is not `application/json` (`unsupported_media_type`).",
    429: "Over the tenant's rate limit (`throttled`) or daily quota (`quota_exceeded`), or the stage's: retry after "
    "`Retry-After` seconds.",
    500: "An internal error (`internal_error`); a defect, reported to the operators.",
    503: "A dependency was busy (`unavailable`); retry shortly.",
}
IDEMPOTENCY_CONFLICT = (
    "The `Idempotency-Key` was used with another request, or its first request is still running "
    "(`idempotency_conflict`, `field: Idempotency-Key`)."
)
_ALWAYS = (400, 401, 403, 429, 500, 503)
"""What any route can answer: bad input, authentication, the stage's throttle, and a failure of ours or AWS's."""


def _error_response(status: int, description: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description or _ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"model": ErrorBody}},
    }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {"description": "`Bearer`: send an API key.", "schema": {"type": "string"}}
        }
    if status == 429:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
        }
    return response


def responses(
    route: Route, success: dict[int, dict[str, Any]], *errors: int, described: dict[int, str] | None = None
) -> dict[int, dict[str, Any]]:
    """Every status the route can answer, and only those: its successes, the errors every route shares,
    415 for a route with a body, `errors`, and the statuses of `described`, with the description given there."""
    described = described or {}
    if route.idempotent:
        own = described.get(409)
        described = {**described, 409: f"{own} Or: {IDEMPOTENCY_CONFLICT}" if own else IDEMPOTENCY_CONFLICT}
    always = [status for status in _ALWAYS if not (route.public and status == 401)]
    statuses = {*always, *errors, *described, *((415,) if route.method in BODY_METHODS else ())}
    return {**success, **{status: _error_response(status, described.get(status)) for status in sorted(statuses)}}


ASSET_LINKS = {
    name: {"operationId": name, "parameters": {"asset_id": "$response.body#/asset/id"}}
    for name in (
        "get_asset",
        "update_asset",
        "delete_asset",
        "download_asset",
        "download_rendition",
        "create_version",
        "list_versions",
    )
}
"""OpenAPI links from a created upload to the operations on its asset (clients and schemathesis follow them)."""

COPY_LINKS = {
    name: {"operationId": name, "parameters": {"asset_id": "$response.body#/id"}}
    for name in ("get_asset", "update_asset", "delete_asset", "list_versions")
}
"""OpenAPI links from an answer that is an asset (a copy, a link) to the operations on it."""

VERSION_LINKS = {
    name: {
        "operationId": name,
        "parameters": {"asset_id": "$response.body#/asset/id", "number": "$response.body#/version/number"},
    }
    for name in ("download_version", "restore_version", "delete_version")
}
"""OpenAPI links from a new version to the operations on it."""

FOLDER_LINKS = {
    name: {"operationId": name, "parameters": {"folder_id": "$response.body#/id"}}
    for name in ("get_folder", "update_folder")
}
"""OpenAPI links from a created folder to the operations on it."""

NO_CONTENT = {204: {"description": "Done; no body.", "content": {}}}


RedirectQuery = Annotated[
    bool,
    Query(
        description="`false`: answer 200 `{url, expires_at}` instead of the 302, for a browser's script (a browser "
        "drops `Authorization` and sends `Origin: null` when it follows a cross-origin redirect)."
    ),
]


def redirect_response(description: str) -> dict[int, dict[str, Any]]:
    return {
        200: {
            "description": "With `redirect=false`: the presigned URL and when it expires.",
            "content": {"application/json": {"model": DownloadLink}},
        },
        302: {
            "description": description,
            "headers": {
                "Location": {
                    "description": "A presigned URL, valid for `DOWNLOAD_URL_TTL_SECONDS`.",
                    "schema": {"type": "string", "format": "uri"},
                }
            },
            "content": {},
        },
    }


@dataclass(frozen=True)
class Principal:
    tenant: str
    scopes: frozenset[str]
    label: str | None = None
    """The API key's label (a comment's `author`); None for a key made without one."""


def principal(router: APIGatewayRouter) -> Principal:
    """The tenant and scopes the authorizer resolved. Never anything the client sent."""
    context = router.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    tenant = context.get("tenant")
    if not tenant:
        raise Unauthorized("a valid API key is required")
    scopes = frozenset(str(context.get("scopes", "")).split())
    return Principal(tenant=tenant, scopes=scopes, label=str(context.get("label") or "") or None)


def tenant(router: APIGatewayRouter) -> str:
    return principal(router).tenant


def base_url(router: APIGatewayRouter) -> str:
    """The API's URL as the caller reached it (scheme, host and stage or base path), for the links it hands out."""
    event = router.current_event
    headers = {name.lower(): value for name, value in (event.headers or {}).items()}
    full = (event.raw_event.get("requestContext") or {}).get("path") or event.path
    prefix = full.removesuffix(event.path) if full.endswith(event.path) else ""
    return f"{headers.get('x-forwarded-proto', 'http')}://{headers.get('host', 'localhost')}{prefix}"


def tagged(body: Any, status: int = 200) -> Response:
    """A JSON answer carrying the item's revision as its `ETag`."""
    return Response(
        status_code=status, content_type="application/json", body=body, headers={"ETag": etag(body.revision)}
    )


def redirect(url: str) -> Response[None]:
    """302 to a presigned URL, which must never be cached past its short life."""
    return Response(status_code=302, headers={"Location": url, "Cache-Control": "no-store"})


def download(link: DownloadLink, follow: bool) -> Response[Any]:
    """The 302 to a presigned URL, or (`redirect=false`) the URL itself as JSON; neither is cached."""
    if follow:
        return redirect(link.url)
    return Response(status_code=200, content_type="application/json", body=link, headers={"Cache-Control": "no-store"})


def operation(
    router: APIGatewayRouter, route: Route, *, summary: str, responses: dict[int, dict[str, Any]], description: str = ""
) -> Callable:
    """Register a handler for its route: path, method, operation id and tag all come from the route table."""
    return router.route(
        route.rule,
        route.method,
        summary=summary,
        description=description or None,
        operation_id=route.name,
        responses=responses,
        tags=[route.resource],
    )


def _error(
    status: int, code: str, message: str, field: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(error_body(code, message, field)),
        headers=(AUTHENTICATE_HEADERS if status == HTTPStatus.UNAUTHORIZED else {}) | (headers or {}),
    )


def _depth(value: Any) -> int:
    """How deeply a parsed JSON value nests, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def check_body(event: dict[str, Any]) -> None:
    """What the validator can't say cleanly: the body must be JSON (415), UTF-8 and not absurdly deep (400).

    Runs before the resolver, whose own parsing would turn these into 500s or into form parsing. A body
    that passes reaches the resolver as plain `application/json`, whatever case or parameters it was
    sent with (the resolver only knows the lowercase form)."""
    body = event.get("body")
    if not body or event.get("httpMethod") not in BODY_METHODS:
        return
    headers = event.get("headers") or {}
    sent = next((str(value) for key, value in headers.items() if key.lower() == "content-type"), "")
    if sent.split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaType("send the body as application/json", field="body")
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode()
        parsed = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeError, RecursionError):
        raise InvalidJson("the request body is not valid UTF-8 JSON", field="body") from None
    if _depth(parsed) > MAX_JSON_DEPTH:
        raise InvalidJson(f"the request body nests deeper than {MAX_JSON_DEPTH} levels", field="body")
    for name, value in (("headers", "application/json"), ("multiValueHeaders", ["application/json"])):
        sent_headers = event.get(name)
        if sent_headers is not None:
            for key in [key for key in sent_headers if key.lower() == "content-type"]:
                del sent_headers[key]
            sent_headers["Content-Type"] = value


def check_query(route: Route, event: dict[str, Any]) -> None:
    """A query parameter the route does not define is a mistake worth hearing about, not something to ignore."""
    sent = {**(event.get("queryStringParameters") or {}), **(event.get("multiValueQueryStringParameters") or {})}
    unknown = sorted(name for name in sent if name not in route.query)
    if unknown:
        known = ", ".join(route.query) or "none"
        raise InvalidInput(f"unknown query parameter {unknown[0][:64]!r}; this route takes: {known}", field=unknown[0])


HEADER_NAMES = {"if-match": "If-Match", "idempotency-key": "Idempotency-Key"}
_BRANCHES = {"int", "float", "bool", "str", "none"}


def _validation_field(errors: list[dict[str, Any]]) -> str:
    """The dotted path of the first offending field. A value that fits no member of a union fails once per
    member, each error's path ending in the member's name (`custom.n.int`): that name is not a field."""
    loc = tuple(errors[0].get("loc", ()))
    siblings = [e for e in errors if tuple(e.get("loc", ()))[:-1] == loc[:-1]] if loc else []
    last = str(loc[-1]) if loc else ""
    if len(siblings) > 1 and ("-" in last or "[" in last or last in _BRANCHES):
        loc = loc[:-1]
    names = [str(part) for part in loc if isinstance(part, str) and part != "[key]"]
    # the location goes, not a field of the same name (an export's `query`)
    names = names[1:] if len(names) > 1 and names[0] in ("body", "query", "path", "header") else names
    if loc and loc[0] == "header":  # the resolver reads headers lowercased; name them as documented
        names = [HEADER_NAMES.get(name, name) for name in names]
    return ".".join(names) or "body"


def cors() -> CORSConfig:
    first, *others = get_settings().cors_origins
    return CORSConfig(
        allow_origin=first,
        extra_origins=others,
        allow_headers=list(CORS_ALLOW_HEADERS),
        expose_headers=list(CORS_EXPOSE_HEADERS),
    )


def resolver(route: Route, router: APIGatewayRouter) -> APIGatewayRestResolver:
    """A resolver serving one route, with scope check and the error body for every failure."""
    app = APIGatewayRestResolver(enable_validation=True, cors=cors())

    def require_scope(app: APIGatewayRestResolver, next_middleware: Callable) -> Response:
        if not route.public and route.scope not in principal(router).scopes:
            raise Forbidden(f"this API key lacks the {route.scope} scope")
        return next_middleware(app)

    app.use([require_scope])

    @app.exception_handler(DomainError)
    def domain_error(error: DomainError) -> Response:
        return _error(error.status, error.code, error.message, error.field, error.headers)

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        first = (error.errors() or [{}])[0]
        field = _validation_field(error.errors() or [{}])
        if first.get("type") == "json_invalid":
            return _error(HTTPStatus.BAD_REQUEST, "invalid_json", "the request body is not valid JSON", "body")
        reason = "has characters that are not allowed" if first.get("type") == "string_pattern_mismatch" else None
        message = f"{field}: {reason or first.get('msg', 'invalid value')}"
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


def _refusal(event: dict[str, Any], error: DomainError) -> dict[str, Any]:
    """The proxy response for a request refused before the resolver saw it, with the same CORS headers."""
    headers = {key.lower(): value for key, value in (event.get("headers") or {}).items()}
    return {
        "statusCode": int(error.status),
        "headers": {"Content-Type": "application/json", **cors().to_dict(headers.get("origin"))},
        "body": json.dumps(error_body(error.code, error.message, error.field)),
        "isBase64Encoded": False,
    }


API_CLIENTS = ("dynamodb", "s3", "secretsmanager", "sqs")
"""The AWS services route functions call (events come from the table's stream, not from the API)."""


def lambda_handler(route: Route, router: APIGatewayRouter) -> Callable[[dict, Any], dict]:
    """The Lambda entry point for one route. The resolver (and a POST's idempotency guard) is built on the first
    invocation, or with SnapStart before the snapshot (`functions.snapstart`), with the adapters' clients."""
    apps: list[APIGatewayRestResolver] = []
    guards: list[Callable[[dict, Any, Callable[[], dict]], dict]] = []

    def app() -> APIGatewayRestResolver:
        if not apps:
            apps.append(resolver(route, router))
        return apps[0]

    def guard() -> Callable[[dict, Any, Callable[[], dict]], dict]:
        if not guards:
            from functions import idempotent  # only the POST routes load the idempotency utility

            guards.append(idempotent.guard(route.name))
        return guards[0]

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
    def handler(event: dict, context: Any) -> dict:
        try:
            check_query(route, event)
            check_body(event)
            if not route.idempotent:  # a key belongs to a tenant: public routes have none
                return app().resolve(event, context)
            return guard()(event, context, lambda: app().resolve(event, context))
        except DomainError as refused:
            return _refusal(event, refused)

    def prime() -> None:
        from functions.services.deps import get_deps

        app()
        if route.idempotent:
            guard()
        get_deps()
        for service in API_CLIENTS:
            clients.get(service)
        tracing.load()

    snapstart.before_snapshot(prime)
    return tracing.traced(handler)
