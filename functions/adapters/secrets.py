"""Secrets Manager access through powertools' parameters utility, which caches values per container."""

from __future__ import annotations

from typing import Any

from functions.adapters import clients
from functions.errors import TransientError

MAX_AGE_SECONDS = 300
"""A rotated value reaches every container within five minutes."""


class Secrets:
    def __init__(self, client: Any = None):
        self._client = client
        self._provider: Any = None

    def value(self, name: str) -> str:
        from aws_lambda_powertools.utilities.parameters import GetParameterError, SecretsProvider

        if self._provider is None:
            self._provider = SecretsProvider(boto3_client=self._client or clients.get("secretsmanager"))
        try:
            return self._provider.get(name, max_age=MAX_AGE_SECONDS)
        except GetParameterError as error:  # the provider wraps every failure, throttling included
            raise TransientError(f"secret {name} could not be read") from error
