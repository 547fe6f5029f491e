"""`make openapi`: the OpenAPI 3.1 document, generated from the handlers' routes and models."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from functions.routes import ROUTES

UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
"""Powertools' own error schemas, which no operation of ours returns."""
OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi.json"


def document() -> str:
    """Every handler module's router, mounted on one resolver only to describe it.

    Without validation on this describing resolver, powertools adds no 422 response: the handlers never
    answer 422 (validation errors are 400s with the error body, `functions.api`)."""
    app = APIGatewayRestResolver()
    for route in ROUTES:
        app.include_router(importlib.import_module(route.module).router)
    schema = app.get_openapi_json_schema(
        title="Asset backend API",
        version="1.0.0",
        description="Upload, inspect, organise and download assets. Send `Authorization: Bearer <api key>` (every "
        "operation but a share's public URL, `/v1/shared/...`). "
        'Every error is `{"error", "message", "field"}`.',
        security_schemes={"bearer": HTTPBearer(description="An API key created with `make key`.")},
        security=[{"bearer": []}],
    )
    document = json.loads(schema)
    for unused in UNUSED_SCHEMAS:
        document["components"]["schemas"].pop(unused, None)
    for route in ROUTES:
        if route.public:  # anyone may call it: no key (an empty requirement overrides the global one)
            document["paths"][route.path][route.method.lower()]["security"] = []
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    text = document()
    if "--check" in sys.argv:
        sys.exit(0 if OPENAPI_FILE.read_text() == text else "openapi.json is stale: run `make openapi`")
    OPENAPI_FILE.write_text(text)
    print(f"wrote {OPENAPI_FILE}")
