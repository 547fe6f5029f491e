from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from functions.routes import BY_NAME, ROUTES
from functions.settings import DEFAULT_MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_matches_the_handlers() -> None:
    """Generated in a fresh process: mounting the routers elsewhere would re-point them."""
    result = subprocess.run(
        [sys.executable, "-m", "local.openapi", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_openapi_lists_every_route_with_the_error_body() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    assert document["openapi"].startswith("3.1")
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert operations == {(r.method, r.path) for r in ROUTES}
    public = {route.name for route in ROUTES if route.public}
    for item in document["paths"].values():
        for operation in item.values():
            if operation["operationId"] in public:  # a share's URL: no key, so never a 401
                assert operation["security"] == []
                assert "401" not in operation["responses"]
                continue
            assert "security" not in operation  # the document's: the bearer key
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }


EXPECTED_STATUSES = {
    "create_upload": {200, 201, 409, 413, 415},
    "sign_upload_parts": {200, 404, 409, 415},
    "complete_upload": {200, 404, 409, 415},
    "abort_upload": {204, 404, 409},
    "list_assets": {200},
    "list_filters": {200},
    "list_tags": {200},
    "get_delivery": {200},
    "create_comment": {201, 404, 409, 415},
    "list_comments": {200, 404},
    "delete_comment": {204, 404},
    "create_export": {202, 404, 409, 415},
    "get_export": {200, 404},
    "get_asset": {200, 404},
    "update_asset": {200, 404, 409, 412, 415},
    "replace_asset": {200, 404, 409, 412, 415},
    "delete_asset": {204, 404, 412},
    "copy_asset": {201, 404, 409, 415},
    "create_asset": {201, 409, 415},
    "download_asset": {200, 302, 404, 409},
    "download_rendition": {200, 302, 404, 409},
    "create_version": {201, 404, 409, 413, 415},
    "list_versions": {200, 404},
    "download_version": {200, 302, 404, 409},
    "restore_version": {201, 404, 409, 415},
    "delete_version": {204, 404, 409},
    "create_folder": {201, 409, 415},
    "list_folders": {200, 404},
    "get_folder": {200, 404},
    "update_folder": {200, 404, 409, 412, 415},
    "delete_folder": {202, 204, 404, 409, 412},
    "list_trash": {200},
    "restore_asset": {200, 404, 409, 415},
    "purge_asset": {204, 404, 409},
    "create_share": {201, 404, 409, 415},
    "list_shares": {200, 404},
    "list_asset_shares": {200, 404},
    "get_share": {200, 404},
    "update_share": {200, 404, 409, 415},
    "delete_share": {204, 404},
    "view_share": {200, 404, 410},
    "unlock_share": {200, 404, 410, 415},
    "download_shared": {200, 302, 404, 409, 410},
    "export_shared": {202, 404, 410, 415},
    "get_shared_export": {200, 404, 410},
    "create_key": {201, 409, 415},
    "list_keys": {200},
    "delete_key": {204, 404},
}
"""Each operation's statuses beyond the ones every route can answer (a bad request, the gateway's and the runtime's)."""
EVERY_ROUTE = {400, 401, 403, 429, 500, 503}


def test_each_operation_documents_the_statuses_it_answers_and_only_those() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    operations = {
        operation["operationId"]: operation for item in document["paths"].values() for operation in item.values()
    }

    assert set(operations) == set(EXPECTED_STATUSES)
    for name, statuses in EXPECTED_STATUSES.items():
        responses = operations[name]["responses"]
        every = EVERY_ROUTE - ({401} if BY_NAME[name].public else set())
        assert {int(status) for status in responses} == statuses | every, name
        for status, response in responses.items():
            if status in ("204", "302"):
                assert not response.get("content"), (name, status)
            elif name == "view_share" and status in ("200", "403", "404", "410"):  # the page for people
                assert list(response["content"]) == ["application/json", "text/html"]
            else:
                assert list(response["content"]) == ["application/json"], (name, status)
        if "302" in responses:
            assert responses["302"]["headers"]["Location"]["schema"]["format"] == "uri"


def test_upload_size_documents_its_limit() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    size = document["components"]["schemas"]["UploadRequest"]["properties"]["size"]

    assert (size["type"], size["minimum"], size["maximum"]) == ("integer", 1, DEFAULT_MAX_UPLOAD_BYTES)


def test_the_route_table_knows_each_operations_query_parameters() -> None:
    """`Route.query` is what the API refuses others by: it must be exactly what the handler declares."""
    document = json.loads((ROOT / "openapi.json").read_text())
    for route in ROUTES:
        operation = document["paths"][route.path][route.method.lower()]
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert set(route.query) == declared, route.name
