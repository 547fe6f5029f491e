"""The bucket's CORS rules applied the way S3 applies them, in front of the local emulator.

moto's server answers CORS by itself: its global layer echoes any `Origin` on every answer, and with that
layer off (`MOTO_DISABLE_GLOBAL_CORS`) form POSTs lose their CORS headers. Either way a page from an origin the
stack does not allow could upload and read locally and fail on AWS. `BucketCors` answers preflights from the
bucket's own CORS configuration and puts on every other answer exactly the headers S3 would: the first rule
whose origin and method match wins, its exposed headers are listed, and with no match there is no header, so
the browser refuses.

Following the AWS docs "Elements of a CORS configuration" and "How does Amazon S3 evaluate the CORS
configuration on a bucket": an origin may hold one `*` wildcard, allowed headers too, and header names are
matched ignoring case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

FORBIDDEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS '
    b"request is not allowed. This is usually because the evalution of Origin, request method / "
    b"Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's "
    b"CORS spec.</Message></Error>"
)


@dataclass(frozen=True)
class CorsRule:
    """One `CORSRule` of a bucket's configuration."""

    methods: tuple[str, ...]
    origins: tuple[str, ...]
    headers: tuple[str, ...] = ()
    exposed: tuple[str, ...] = ()
    max_age: int | None = None

    def allows(self, origin: str, method: str, headers: Sequence[str] = ()) -> bool:
        return (
            method in self.methods
            and any(_matches(pattern, origin) for pattern in self.origins)
            and all(any(_matches(pattern.lower(), header.lower()) for pattern in self.headers) for header in headers)
        )

    def answer(self, origin: str) -> list[tuple[str, str]]:
        """The headers S3 puts on an answer to `origin` when this rule matched."""
        headers = [
            ("Access-Control-Allow-Origin", "*" if self.origins == ("*",) else origin),
            ("Access-Control-Allow-Methods", ", ".join(self.methods)),
            ("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
        ]
        if self.exposed:
            headers.append(("Access-Control-Expose-Headers", ", ".join(self.exposed)))
        return headers


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), value) is not None


def rule_for(rules: Sequence[CorsRule], origin: str, method: str, headers: Sequence[str] = ()) -> CorsRule | None:
    return next((rule for rule in rules if rule.allows(origin, method, headers)), None)


class BucketCors:
    """WSGI middleware: requests to a bucket (`/{bucket}` or `/{bucket}/{key}`) get S3's CORS handling.

    `rules_of(bucket)` returns the bucket's CORS rules, or None when no such bucket exists (the request is
    then for another service of the emulator and goes to `app` untouched)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], rules_of: Callable[[str], Sequence[CorsRule] | None]):
        self.app, self.rules_of = app, rules_of

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        bucket = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]
        rules = self.rules_of(bucket) if bucket and "HTTP_X_AMZ_TARGET" not in environ else None
        if rules is None:
            return self.app(environ, start_response)
        origin = environ.get("HTTP_ORIGIN")
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return self.preflight(environ, start_response, rules, origin)
        rule = rule_for(rules, origin, environ["REQUEST_METHOD"]) if origin else None

        def with_cors(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            kept = [(name, value) for name, value in headers if not name.lower().startswith("access-control-")]
            return start_response(status, kept + (rule.answer(origin) if rule and origin else []), *args)

        return self.app(environ, with_cors)

    @staticmethod
    def preflight(
        environ: dict[str, Any], start_response: Callable[..., Any], rules: Sequence[CorsRule], origin: str | None
    ) -> list[bytes]:
        method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "")
        requested = [h.strip() for h in environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "").split(",") if h.strip()]
        rule = rule_for(rules, origin, method, requested) if origin and method else None
        if rule is None or origin is None:
            start_response(
                "403 Forbidden", [("Content-Type", "application/xml"), ("Content-Length", str(len(FORBIDDEN)))]
            )
            return [FORBIDDEN]
        headers = rule.answer(origin)
        if requested:
            headers.append(("Access-Control-Allow-Headers", ", ".join(requested)))
        if rule.max_age is not None:
            headers.append(("Access-Control-Max-Age", str(rule.max_age)))
        start_response("200 OK", [*headers, ("Content-Length", "0")])
        return [b""]


def moto_rules(bucket: str) -> list[CorsRule] | None:
    """The CORS rules the emulator holds for `bucket` (moto's in-process backend), None if there is no bucket."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    found = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets.get(bucket)
    if found is None:
        return None
    return [
        CorsRule(
            methods=tuple(rule.allowed_methods or ()),
            origins=tuple(rule.allowed_origins or ()),
            headers=tuple(rule.allowed_headers or ()),
            exposed=tuple(rule.exposed_headers or ()),
            max_age=int(rule.max_age_seconds) if rule.max_age_seconds is not None else None,
        )
        for rule in found.cors
    ]
