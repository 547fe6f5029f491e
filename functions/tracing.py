"""X-Ray subsegments through Powertools' Tracer, loaded only where tracing is on.

A `Tracer` loads the X-Ray SDK (powertools imports it lazily) and patches botocore, which a cold start would pay
for on every function. The stack turns it on (`TRACING=true`, next to active tracing on every function); `make dev`, the
tests and the benchmarks leave it off, and then nothing of it is imported. Even on, it is imported at the first
invocation (or before a SnapStart snapshot, `load`), never when a handler module is imported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from functions.settings import get_settings

Result = TypeVar("Result")


def capture(handler: Callable[[Any, Any], Result]) -> Callable[[Any, Any], Result]:
    """`handler` inside a Tracer's subsegment, with botocore's calls traced. Responses are not recorded: they
    hold presigned URLs and a new key or share's secret."""
    from aws_lambda_powertools import Tracer  # the X-Ray SDK with it: only here

    return Tracer().capture_lambda_handler(handler, capture_response=False)


def load() -> None:
    """Load the X-Ray SDK and patch botocore now where tracing is on (before a SnapStart snapshot); nothing else."""
    if get_settings().tracing:
        from aws_lambda_powertools import Tracer

        Tracer()


def traced(handler: Callable[[Any, Any], Result]) -> Callable[[Any, Any], Result]:
    """A Lambda entry point that runs `handler`, traced when the settings turn tracing on."""
    chosen: list[Callable[[Any, Any], Result]] = []

    @functools.wraps(handler)
    def entry(event: Any, context: Any) -> Result:
        if not chosen:
            chosen.append(capture(handler) if get_settings().tracing else handler)
        return chosen[0](event, context)

    return entry
