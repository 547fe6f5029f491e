"""The HTML a share's URL shows to people: its files, a password form, or why it is closed.

Rendered with Jinja2 (autoescaped). The page runs no script but its own (the password form's, and "download all"'s,
which asks for the zip and polls it), allowed by its hash in the Content-Security-Policy; it loads images only (the
thumbnails' delivery URLs), and sends no referrer, so the token in its URL does not leak to them."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import Response

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TITLE = "Shared files"
HTML = {"schema": {"type": "string"}}
"""The page in an OpenAPI response's content."""


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), keep_trailing_newline=True
    )


@cache
def _script() -> str:
    return (TEMPLATES / "share.js").read_text()


def _policy() -> str:
    digest = base64.b64encode(hashlib.sha256(_script().encode()).digest()).decode()
    return (
        f"default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )


def also_html(responses: dict[int, dict[str, Any]], *statuses: int) -> dict[int, dict[str, Any]]:
    """The OpenAPI responses, with the page for people as another content of these error statuses."""
    for status in statuses:
        responses[status]["content"] = {**responses[status]["content"], "text/html": HTML}
    return responses


def wants_html(headers: dict[str, str]) -> bool:
    """People's browsers ask for `text/html`; a program asks for `application/json` (and gets JSON)."""
    accept = next((value for name, value in headers.items() if name.lower() == "accept"), "") or ""
    return "application/json" not in accept or "text/html" in accept


def render(status: int, **values: Any) -> Response[str]:
    body = _environment().get_template("share.html").render(title=TITLE, **values)
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=body,
        headers={
            "Content-Security-Policy": _policy(),
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
