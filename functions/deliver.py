"""The delivery function behind the CDN (a Lambda function URL; `make dev` serves it at `/cdn`).

`GET /{tenant}/{asset_id}[/{rendition}][?transform or preset][&exp=..&sig=..]`: the checks and the bytes are
services.delivery and services.serving; this turns the function URL event into their call and their answer
into a response the CDN caches for as long as it says.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger

from functions import schema
from functions.adapters.storage import content_disposition
from functions.errors import DomainError, error_body
from functions.routes import allowed_origin
from functions.services.deps import get_deps
from functions.services.serving import Delivered, deliver
from functions.tracing import traced

logger = Logger(service="assets")

BROWSER_SECONDS = 300
"""Browsers keep an answer at most this long; the CDN keeps it longer, and forgets it when the asset changes."""
ERROR_SECONDS = 60
"""How long an error is cached: a missing asset is not asked for again and again, and one that becomes
available is seen within a minute."""


def _cache_control(seconds: int) -> str:
    return f"public, max-age={min(seconds, BROWSER_SECONDS)}, s-maxage={seconds}" if seconds > 0 else "no-store"


def _cors(event: dict[str, Any]) -> dict[str, str]:
    """`*` or the one origin, always; with several, the caller's `Origin` when it is one of them (the CDN's cache
    key then holds `Origin`). The CDN forwards `Origin` only in that case, so the first two cannot depend on it."""
    origins = get_deps().settings.cors_origins
    if len(origins) == 1:
        return {"Access-Control-Allow-Origin": origins[0]}
    origin = allowed_origin(origins, (event.get("headers") or {}).get("origin"))
    return {"Vary": "Origin", **({"Access-Control-Allow-Origin": origin} if origin else {})}


def _answer(delivered: Delivered, head: bool) -> dict[str, Any]:
    headers = {
        **schema.DELIVERY_SAFE_HEADERS,
        "Content-Type": delivered.content_type,
        "Cache-Control": _cache_control(delivered.cache_seconds),
    }
    if delivered.filename:
        headers["Content-Disposition"] = content_disposition(delivered.filename, inline=True)
    if delivered.vary_accept:
        headers["Vary"] = "Accept"
    if delivered.location is not None:
        return {"statusCode": 302, "headers": {**headers, "Location": delivered.location}, "body": ""}
    data = delivered.data or b""
    return {
        "statusCode": 200,
        "headers": {**headers, "Content-Length": str(len(data))},
        "body": "" if head else base64.b64encode(data).decode(),
        "isBase64Encoded": not head,
    }


def _error(error: DomainError) -> dict[str, Any]:
    return {
        "statusCode": int(error.status),
        "headers": {"Content-Type": "application/json", "Cache-Control": _cache_control(ERROR_SECONDS)},
        "body": json.dumps(error_body(error.code, error.message, error.field)),
    }


@traced
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event.get("requestContext", {}).get("http", {}).get("method", "GET")
    cors = _cors(event)
    if method not in ("GET", "HEAD"):
        body = json.dumps(error_body("method_not_allowed", "delivery URLs answer GET and HEAD"))
        return {"statusCode": 405, "headers": {"Allow": "GET, HEAD", **cors}, "body": body}
    params = event.get("queryStringParameters") or {}
    accept = (event.get("headers") or {}).get("accept", "")
    try:
        answer = _answer(deliver(get_deps(), event["rawPath"], params, accept, datetime.now(UTC)), method == "HEAD")
    except DomainError as error:
        logger.info("refused", extra={"path": event["rawPath"], "status": int(error.status), "why": error.message})
        answer = _error(error)
    vary = ", ".join(v for v in (answer["headers"].get("Vary"), cors.pop("Vary", None)) if v)
    answer["headers"] = {**answer["headers"], **cors, **({"Vary": vary} if vary else {})}
    return answer
