"""Domain errors, and the one place that maps them to HTTP status codes and the error body."""

from __future__ import annotations

from http import HTTPStatus
from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """An error a client can act on. `code` is stable and documented; `message` is for humans."""

    status = HTTPStatus.BAD_REQUEST
    code = "bad_request"
    headers: dict[str, str] = {}
    """Sent with the error body (a 429's `Retry-After`)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status = HTTPStatus.BAD_REQUEST
    code = "invalid_request"


class Unauthorized(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "unauthorized"


class Forbidden(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "forbidden"


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "conflict"


class NotAFile(Conflict):
    """A file operation (download, rendition, version, transform) on a link or an external video."""

    code = "not_a_file"


class IdempotencyConflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "idempotency_conflict"

    def __init__(self, message: str):
        super().__init__(message, field="Idempotency-Key")


class Gone(DomainError):
    status = HTTPStatus.GONE
    code = "gone"


class PasswordRequired(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "password_required"


class TooManyAttempts(DomainError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class PreconditionFailed(DomainError):
    status = HTTPStatus.PRECONDITION_FAILED
    code = "precondition_failed"


class TooLarge(DomainError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "too_large"


class InvalidJson(DomainError):
    status = HTTPStatus.BAD_REQUEST
    code = "invalid_json"


class UnsupportedMediaType(DomainError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"


def found(value: T | None, message: str) -> T:
    """`value`, or a 404 with `message` when it is None (no such item for this tenant)."""
    if value is None:
        raise NotFound(message)
    return value


class TransientError(Exception):
    """A dependency failed in a way that may succeed on retry (throttling, 5xx, network)."""


def error_body(code: str, message: str, field: str | None = None) -> dict[str, str | None]:
    return {"error": code, "message": message, "field": field}


AUTHENTICATE_HEADERS = {"WWW-Authenticate": "Bearer"}
"""Sent with every 401 (RFC 9110): the scheme a client must use."""

GATEWAY_RESPONSES: dict[str, tuple[int, str, str]] = {
    "UNAUTHORIZED": (401, "unauthorized", "a valid API key is required"),
    "ACCESS_DENIED": (403, "forbidden", "this API key may not do this"),
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", "no such route"),
    "THROTTLED": (429, "throttled", "too many requests for this tenant's tier; retry after Retry-After seconds"),
    "QUOTA_EXCEEDED": (429, "quota_exceeded", "this tenant's daily request quota is used up; retry later"),
    "INVALID_API_KEY": (403, "forbidden", "this API key's tenant has no usage plan; ask an operator to make it again"),
    "WAF_FILTERED": (403, "forbidden", "the web application firewall refused this request"),
    "DEFAULT_4XX": (400, "bad_request", "the request could not be handled"),
    "DEFAULT_5XX": (500, "internal_error", "an internal error occurred"),
}
"""What API Gateway itself answers (status, code, message), as the stack's gateway responses and the local gateway."""
METHOD_NOT_ALLOWED = (
    405,
    "method_not_allowed",
    "this path does not take this method; the Allow header lists those it does",
)
"""A method the route table has no entry for, on a path it has: answered without authorization or a function."""
THROTTLED_RETRY_SECONDS = 1
"""A tier's bucket gains a request in at most a second (every rate is at least 1/s)."""
QUOTA_RETRY_SECONDS = 3600
"""A daily quota resets at midnight UTC; a gateway response's headers are static, so API Gateway says an hour."""
EXPOSE_RETRY_AFTER = {"Access-Control-Expose-Headers": "Retry-After"}
"""A browser's script may read a cross-origin answer's `Retry-After` only when the answer says so."""
GATEWAY_HEADERS: dict[str, dict[str, str]] = {
    "UNAUTHORIZED": AUTHENTICATE_HEADERS,
    "THROTTLED": {"Retry-After": str(THROTTLED_RETRY_SECONDS), **EXPOSE_RETRY_AFTER},
    "QUOTA_EXCEEDED": {"Retry-After": str(QUOTA_RETRY_SECONDS), **EXPOSE_RETRY_AFTER},
}
"""Extra headers of those gateway responses (the local gateway puts its exact `Retry-After` instead)."""
