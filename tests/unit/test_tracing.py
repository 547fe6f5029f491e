"""Tracing costs nothing where it is off: the X-Ray SDK is loaded at the first invocation with tracing on only."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest

from functions.routes import ROUTES
from functions.tracing import traced
from infra.runtime import ROOT

PROBE = r"""
import json, sys
from functions.tracing import traced
import {module}
loaded = ["aws_xray_sdk" in sys.modules]
entry = traced(lambda event, context: event["n"] + 1)
loaded.append("aws_xray_sdk" in sys.modules)
answer = entry({{"n": 41}}, None)
loaded.append("aws_xray_sdk" in sys.modules)
print(json.dumps({{"answer": answer, "loaded": loaded}}))
"""
"""Imports a handler module, wraps a function, calls it once: is the X-Ray SDK loaded after each step?"""


LOAD = """
import json, sys
from functions import tracing
tracing.load()
print(json.dumps("aws_xray_sdk" in sys.modules))
"""
"""What a SnapStart before-snapshot hook does (functions/api.py)."""


def _probe(module: str, **variables: str) -> dict:
    return _run(PROBE.format(module=module), **variables)


def _run(code: str, **variables: str) -> object:
    env = {key: value for key, value in os.environ.items() if key != "TRACING"}
    # outside Lambda the Tracer disables itself; this keeps it from looking for a daemon all the same
    env |= {"POWERTOOLS_TRACE_DISABLED": "true", **variables}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_off_by_default_the_x_ray_sdk_is_never_loaded():
    assert _probe(ROUTES[0].module) == {"answer": 42, "loaded": [False, False, False]}


def test_on_it_is_loaded_at_the_first_invocation_not_at_import():
    assert _probe(ROUTES[0].module, TRACING="true") == {"answer": 42, "loaded": [False, False, True]}


def test_load_brings_the_sdk_in_where_tracing_is_on_only():
    assert _run(LOAD) is False
    assert _run(LOAD, TRACING="true") is True


ENTRY = traced(print).__code__
"""The code of every entry point `traced` makes."""
OTHERS = sorted(
    path.stem for path in (ROOT / "functions").glob("*.py") if path.read_text().count("\ndef handler(") == 1
)
"""Every function that is not a route's: each module of `functions/` with a `handler` of its own."""


@pytest.mark.parametrize("module", [route.module for route in ROUTES] + [f"functions.{name}" for name in OTHERS])
def test_every_handler_is_traced(module):
    assert importlib.import_module(module).handler.__code__ is ENTRY
