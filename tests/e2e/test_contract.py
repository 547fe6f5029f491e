"""The OpenAPI document is the contract: schemathesis against the local stack over real HTTP.

Every operation gets a bounded number of generated requests (valid and invalid), the CLI's coverage
phase adds the boundary values and undeclared methods, and the CLI's stateful phase follows the
document's links from created uploads and folders to the operations on them, so real ids are exercised,
not only 404s.
Any 5xx, a response that violates its schema, or a status the document does not list fails the test:
every built-in check runs, with the settings and hooks of `schemathesis.toml` that a run by hand uses.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from functions.routes import ROUTES
from local.openapi import OPENAPI_FILE
from tests import files
from tests.e2e.conftest import LocalStack
from tests.e2e.test_upload_flow import create_and_upload, wait_until_processed

EXAMPLES_PER_OPERATION = 40
STATEFUL_SCENARIOS = 60
STATEFUL_SEEDS = tuple(range(1, 11))
"""Every run must pass; the links must reach a 2xx of each stateful operation over the runs. How far one run
reaches depends on what the server answered (ids, processing time), so a few more seeds are kept in reserve."""
ROOT = Path(__file__).resolve().parents[2]
COMMON = {"deadline": None, "derandomize": True, "database": None, "suppress_health_check": list(HealthCheck)}

OPERATIONS = [op.ok().label for op in schemathesis.openapi.from_path(OPENAPI_FILE).get_all_operations()]


@pytest.fixture(scope="module")
def api_schema(local_stack: LocalStack):
    loaded = schemathesis.openapi.from_path(OPENAPI_FILE)
    loaded.config.update(base_url=local_stack.url, headers=local_stack.headers())
    return loaded


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_operation_keeps_its_contract(api_schema, local_stack: LocalStack, label: str) -> None:
    """Hypothesis drives the operation's strategy directly (schemathesis' pytest plugin and pytest 9 disagree)."""
    operation = next(op.ok() for op in api_schema.get_all_operations() if op.ok().label == label)

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, phases=[Phase.explicit, Phase.generate], **COMMON)
    def run(case) -> None:
        case.call_and_validate(headers=local_stack.headers())

    run()


def test_stateful_sequences_keep_the_contract(local_stack: LocalStack, tmp_path: Path) -> None:
    """The CLI's stateful phase: it follows the document's links from created uploads and folders, and, like
    upstream, carries on when Hypothesis finds a scenario inconsistent (which rules exist depends on what the
    server answered). Its HAR report proves the links reached real assets and folders, not only 404s."""
    expected = {
        ("POST", "/v1/uploads", 201),
        ("GET", "/v1/assets/{asset_id}", 200),
        ("PATCH", "/v1/assets/{asset_id}", 200),
        ("DELETE", "/v1/assets/{asset_id}", 204),
        ("POST", "/v1/folders", 201),
        ("GET", "/v1/folders/{folder_id}", 200),
        ("PATCH", "/v1/folders/{folder_id}", 200),
    }
    answered: Counter[tuple[str, str, int]] = Counter()
    for seed in STATEFUL_SEEDS:  # every run must pass; the reach of the links is summed over the runs
        har = tmp_path / f"stateful-{seed}.har"
        run_cli(
            local_stack,
            "--phases",
            "stateful",
            "--max-examples",
            str(STATEFUL_SCENARIOS),
            "--seed",
            str(seed),
            "--report",
            "har",
            "--report-har-path",
            str(har),
        )
        answered.update(
            (entry["request"]["method"], _route_of(entry["request"]["url"]), entry["response"]["status"])
            for entry in json.loads(har.read_text())["log"]["entries"]
        )
        if expected <= set(answered):
            return
    assert expected <= set(answered), (expected - set(answered), answered)


def _route_of(url: str) -> str:
    path = urlsplit(url).path
    return next((route.path for route in ROUTES if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", route.path), path)), path)


def test_the_redirects_of_a_ready_asset_keep_the_contract(local_stack: LocalStack, api_schema) -> None:
    """The stateful run cannot upload bytes to S3, so a ready asset is made here for the 302s."""
    asset = create_and_upload(local_stack, files.jpeg(64, 48), "photo.jpg", "image/jpeg")
    assert wait_until_processed(local_stack, asset["id"])["status"] == "ready"
    for path, parameters in (
        ("/v1/assets/{asset_id}/download", {"asset_id": asset["id"]}),
        ("/v1/assets/{asset_id}/renditions/{name}", {"asset_id": asset["id"], "name": "small"}),
    ):
        case = api_schema[path]["GET"].Case(path_parameters=parameters)
        assert case.call_and_validate(headers=local_stack.headers(), allow_redirects=False).status_code == 302


def test_boundaries_and_undeclared_methods_keep_the_contract(local_stack: LocalStack) -> None:
    """The coverage phase exists only in the CLI: schema boundaries (a `size` one over the maximum...) and
    methods a path does not declare, each answered with a documented status."""
    run_cli(local_stack, "--phases", "coverage", "--seed", "1")


def run_cli(local_stack: LocalStack, *options: str) -> None:
    """`schemathesis run` against the local stack, with `schemathesis.toml` as a run by hand would read it."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            str(OPENAPI_FILE),
            "--url",
            local_stack.url,
            "--header",
            f"Authorization: {local_stack.headers()['Authorization']}",
            *options,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert re.search(r"(\d+) generated, \1 passed", result.stdout), result.stdout[-2000:]
