"""The OpenAPI document is the contract: schemathesis against the local stack over real HTTP.

Every operation gets a bounded number of generated requests (valid and invalid), the CLI's coverage
phase adds the boundary values and undeclared methods, and a stateful run follows the document's links
from a created upload to the operations on its asset, so real asset ids are exercised, not only 404s.
Any 5xx, a response that violates its schema, or a status the document does not list fails the test:
every built-in check runs, with the settings and hooks of `schemathesis.toml` that a run by hand uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Flaky

from local.openapi import OPENAPI_FILE
from tests import files
from tests.e2e.conftest import LocalStack
from tests.e2e.test_upload_flow import create_and_upload, wait_until_processed

EXAMPLES_PER_OPERATION = 40
STATEFUL_SCENARIOS = 40
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


def test_stateful_sequences_keep_the_contract(api_schema) -> None:
    """Which rules a scenario can take depends on what the server answered before, so Hypothesis may call a
    later scenario's choices inconsistent (`Flaky`) and stop: schemathesis' own runner ends the phase there
    too. A check that failed before that is still a failure: every failure is recorded as it happens."""
    answered: Counter[tuple[str, int]] = Counter()
    failures: list[BaseException] = []

    class Machine(api_schema.as_state_machine()):
        def after_call(self, response, case) -> None:
            answered[(case.operation.label, response.status_code)] += 1
            super().after_call(response, case)

        def validate_response(self, response, case, **kwargs) -> None:
            try:
                super().validate_response(response, case, **kwargs)
            except BaseException as failure:
                failures.append(failure)
                raise

    stateful = {**COMMON, "phases": [Phase.generate]}
    try:
        Machine.run(settings=settings(max_examples=STATEFUL_SCENARIOS, stateful_step_count=6, **stateful))
    except Flaky:
        assert not failures, failures[0]
    # the links were followed: operations on assets and folders answered for real ones, not only 404s
    assert answered[("POST /v1/uploads", 201)] > 0
    assert answered[("GET /v1/assets/{asset_id}", 200)] > 0
    assert answered[("PATCH /v1/assets/{asset_id}", 200)] > 0
    assert answered[("DELETE /v1/assets/{asset_id}", 204)] > 0
    assert answered[("POST /v1/folders", 201)] > 0
    assert answered[("GET /v1/folders/{folder_id}", 200)] > 0
    assert answered[("PATCH /v1/folders/{folder_id}", 200)] > 0


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
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            str(OPENAPI_FILE),
            "--url",
            local_stack.url,
            "--phases",
            "coverage",
            "--seed",
            "1",
            "--header",
            f"Authorization: {local_stack.headers()['Authorization']}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert re.search(r"(\d+) generated, \1 passed", result.stdout), result.stdout[-2000:]
