"""Just enough of the Lambda runtime to invoke handlers locally: a context object and a per-module lock."""

from __future__ import annotations

import importlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from functions import schema

TIMEOUTS = {
    "functions.process_upload": schema.PROCESSOR_TIMEOUT_SECONDS,
    "functions.run_folder_job": schema.JOB_TIMEOUT_SECONDS,
    "functions.run_export": schema.EXPORT_TIMEOUT_SECONDS,
}
"""The stack's function timeouts (infra) where they differ from the API's 30 s: what a context reports."""


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 256
    timeout_seconds: int = 30
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self.started)) * 1000))


class Functions:
    """Runs handlers like Lambda containers: one event at a time per function.

    In Lambda every function imports in its own process; here they share one, and threads importing
    modules with circular imports (powertools has some) at the same time can see them half-initialised.
    So modules are imported under one lock, and `load` imports them all before any request arrives.
    """

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def load(self, *modules: str) -> None:
        with self._guard:
            for module in modules:
                importlib.import_module(module)

    def invoke(self, module: str, event: dict[str, Any]) -> Any:
        with self._guard:
            lock = self._locks.setdefault(module, threading.Lock())
            handler: Callable[[dict, Any], Any] = importlib.import_module(module).handler
        with lock:
            context = LambdaContext(function_name=module.rsplit(".", 1)[-1], timeout_seconds=TIMEOUTS.get(module, 30))
            return handler(event, context)
