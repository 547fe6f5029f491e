from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from functions.routes import ROUTES

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
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }
