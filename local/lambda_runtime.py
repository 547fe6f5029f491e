"""Just enough of the Lambda runtime to invoke handlers locally: a context object and a per-module lock."""

from __future__ import annotations

import importlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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
    """Loads handler modules on first use and, like a single Lambda container, runs one event at a time each."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def invoke(self, module: str, event: dict[str, Any]) -> Any:
        with self._guard:
            lock = self._locks.setdefault(module, threading.Lock())
        with lock:
            handler: Callable[[dict, Any], Any] = importlib.import_module(module).handler
            return handler(event, LambdaContext(function_name=module.rsplit(".", 1)[-1]))
