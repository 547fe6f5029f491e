"""DynamoDB item values and transactions: numbers kept within DynamoDB's range, typed items, and a
transaction that retries when it meets another on the same items."""

from __future__ import annotations

import math
import random
import time
from datetime import datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from functions import schema
from functions.adapters.aws_errors import error_code, translated
from functions.errors import TransientError

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

SMALLEST_NUMBER = 1e-130
LARGEST_NUMBER = 9.99e125
"""DynamoDB's number range: a magnitude under the smallest is stored as 0, over the largest as null."""
LARGEST_INTEGER = 10**38
"""Whole numbers read back as `int` below this (DynamoDB's 38 digits); beyond, as the float they were written as."""


def stored_value(value: Any) -> Any:
    """A value as stored: timestamps in their fixed-width form (`schema.TIMESTAMP_FORMAT`)."""
    return value.strftime(schema.TIMESTAMP_FORMAT) if isinstance(value, datetime) else value


def _to_dynamo(value: Any) -> Any:
    """Floats become Decimals within DynamoDB's range: NaN and infinity (a hostile EXIF's 0/0) and magnitudes
    over `LARGEST_NUMBER` become None, magnitudes under `SMALLEST_NUMBER` become 0."""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > LARGEST_NUMBER:
            return None
        return Decimal(str(value)) if abs(value) >= SMALLEST_NUMBER else Decimal(0)
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        whole = value == value.to_integral_value() and abs(value) < LARGEST_INTEGER
        return int(value) if whole else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


def serialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(_to_dynamo(v)) for k, v in item.items() if v is not None}


def deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _from_dynamo(_deserializer.deserialize(v)) for k, v in item.items()}


def serialize_value(value: Any) -> dict[str, Any]:
    """One attribute value, typed."""
    return _serializer.serialize(_to_dynamo(value))


TRANSACTION_ATTEMPTS = 4
"""Tries of a transaction that meets another on the same items (a busy tenant's counters) before a 503."""


def set_or_remove(changes: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An update that sets each attribute of `changes` to its value, or removes it for None: the expression, its
    attribute names (`#a0`...) and its values (`:v0`...)."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    sets, removes = [], []
    for i, (attribute, value) in enumerate(changes.items()):
        names[f"#a{i}"] = attribute
        if value is None:
            removes.append(f"#a{i}")
        else:
            values[f":v{i}"] = serialize_value(value)
            sets.append(f"#a{i} = :v{i}")
    expression = " ".join(
        part for part in (sets and "SET " + ", ".join(sets), removes and "REMOVE " + ", ".join(removes)) if part
    )
    return expression, names, values


def transact(client: Any, items: list[dict[str, Any]]) -> int | None:
    """Run a transaction. None when it committed; else the index of the first item whose condition failed.
    A conflict with another transaction on the same items is retried after a short random pause, then
    transient (503, retry)."""
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            with translated():
                client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if "TransactionConflict" not in reasons:
                return next((i for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"), len(items))
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 (jitter, not a secret)
        else:
            return None
    raise TransientError("a concurrent transaction on the same items")
