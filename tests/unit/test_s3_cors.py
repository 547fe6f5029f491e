"""The local S3 endpoint applies the bucket's CORS rules as S3 does (local/s3_cors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.test import Client

from functions import schema
from local.s3_cors import BucketCors, CorsRule, rule_for

APP = "https://app.example.com"
RULES = [
    CorsRule(
        methods=schema.BUCKET_CORS_METHODS,
        origins=(APP, "https://*.preview.example.com"),
        headers=("*",),
        exposed=schema.BUCKET_CORS_EXPOSED,
        max_age=600,
    )
]


def emulator(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Stands in for moto with its global CORS layer on: it echoes any origin."""
    start_response("200 OK", [("ETag", '"abc"'), ("Access-Control-Allow-Origin", environ.get("HTTP_ORIGIN", "*"))])
    return [b"bytes"]


def client(rules: list[CorsRule] | None = RULES) -> Client:
    return Client(BucketCors(emulator, lambda bucket: rules if bucket == "assets" else None))


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (APP, True),
        ("https://pr-12.preview.example.com", True),
        ("https://evil.example.com", False),
        ("https://app.example.com.evil.net", False),
        ("http://app.example.com", False),
    ],
)
def test_origins_match_exactly_or_by_their_one_wildcard(origin, allowed):
    assert (rule_for(RULES, origin, "GET") is not None) is allowed


def test_a_preflight_from_an_allowed_origin_names_the_rule():
    response = client().options(
        "/assets/originals/t/a/r",
        headers={
            "Origin": APP,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == APP
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"
    assert response.headers["Access-Control-Max-Age"] == "600"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example.com", "Access-Control-Request-Method": "PUT"},
        {"Origin": APP, "Access-Control-Request-Method": "DELETE"},
        {"Origin": APP},
        {"Access-Control-Request-Method": "PUT"},
    ],
)
def test_a_preflight_no_rule_allows_is_403_without_cors_headers(headers):
    response = client().options("/assets/key", headers=headers)
    assert response.status_code == 403
    assert b"AccessForbidden" in response.data
    assert not [name for name, _ in response.headers.items() if name.lower().startswith("access-control-")]


def test_a_rule_limits_request_headers():
    rules = [CorsRule(methods=("PUT",), origins=(APP,), headers=("content-type",))]
    asked = {"Origin": APP, "Access-Control-Request-Method": "PUT"}
    assert (
        client(rules)
        .options("/assets/k", headers={**asked, "Access-Control-Request-Headers": "Content-Type"})
        .status_code
        == 200
    )
    assert (
        client(rules).options("/assets/k", headers={**asked, "Access-Control-Request-Headers": "x-secret"}).status_code
        == 403
    )


def test_answers_carry_the_rules_headers_and_never_the_emulators():
    allowed = client().get("/assets/key", headers={"Origin": APP})
    assert allowed.headers["Access-Control-Allow-Origin"] == APP
    assert allowed.headers["Access-Control-Expose-Headers"] == "ETag, Content-Disposition"
    assert allowed.data == b"bytes"
    refused = client().get("/assets/key", headers={"Origin": "https://evil.example.com"})
    assert refused.status_code == 200  # S3 serves it; the browser keeps it from the page's script
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_a_rule_for_any_origin_answers_star():
    rules = [CorsRule(methods=("GET",), origins=("*",))]
    assert client(rules).get("/assets/key", headers={"Origin": APP}).headers["Access-Control-Allow-Origin"] == "*"


def test_requests_for_other_services_pass_untouched():
    queue = client().get("/000000000000/uploads", headers={"Origin": "https://evil.example.com"})
    assert queue.headers["Access-Control-Allow-Origin"] == "https://evil.example.com"
