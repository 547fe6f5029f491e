"""Turn botocore failures into domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from functions.errors import TransientError

_TRANSIENT_CODES = {
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ThrottlingException",
    "Throttling",
    "SlowDown",
    "InternalError",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionConflictException",
}


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


@contextmanager
def translated() -> Iterator[None]:
    """Raise `TransientError` for throttling, 5xx and network failures; let the rest through."""
    try:
        yield
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if error_code(error) in _TRANSIENT_CODES or status >= 500:
            raise TransientError(f"{error_code(error)} from AWS") from error
        raise
    except BotoCoreError as error:
        raise TransientError(type(error).__name__) from error
