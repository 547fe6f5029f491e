"""What every resource's models share: identifier types, timestamps, base classes and the error body."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, SerializerFunctionWrapHandler, model_serializer

from functions.schema import TIMESTAMP_FORMAT

AssetId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Asset identifier (32 lowercase hex characters).")
]
FolderId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Folder identifier (32 lowercase hex characters).")
]
TENANT_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
TenantId = Annotated[str, Field(pattern=TENANT_PATTERN, description="Tenant identifier, resolved from the API key.")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="Hex SHA-256 of a file's bytes, lowercase.")]
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda value: value.strftime(TIMESTAMP_FORMAT), return_type=str, when_used="json"),
    Field(description="ISO 8601, UTC, microseconds."),
]
"""One fixed-width form, so a stored timestamp compares exactly as written."""


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def rfc_3339(value: object) -> object:
    """Only a date-time with its offset: pydantic alone would also take `0.5` (as epoch seconds)."""
    if value is not None and not (isinstance(value, str) and RFC_3339.match(value)):
        raise ValueError("expected a date-time with its offset, e.g. 2026-01-31T09:00:00Z")
    return value


def time_ordered_id(moment: datetime) -> str:
    """32 hex characters that sort as they were made: microseconds since 1970, then randomness."""
    return f"{(moment - EPOCH) // timedelta(microseconds=1):014x}{secrets.token_hex(9)}"


def whole(value: Any) -> Any:
    """JSON Schema's `integer` includes `2.0`; strict validation would refuse it. Booleans and strings stay refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Revision = Annotated[
    str,
    Field(
        description="Changes on every write (it follows `updated_at`, which only moves forward); sent as the "
        "`ETag` header. Send it back in `If-Match` to write only if nobody wrote since: otherwise 412."
    ),
]


def revision_of(updated_at: datetime) -> str:
    """The revision of an item last written at `updated_at`: its microseconds since 1970, in hex."""
    return format((updated_at - EPOCH) // timedelta(microseconds=1), "x")


class Model(BaseModel):
    """Schemas are built on first use, not at import: a handler pays only for the models it touches."""

    model_config = ConfigDict(defer_build=True)


class Sparse(Model):
    """Fields that do not apply are left out of the JSON rather than sent as null."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler):
        """No return annotation on purpose: with one, the JSON schema would lose the fields."""
        return {key: value for key, value in handler(self).items() if value is not None}


class Input(Model):
    """Request bodies: unknown fields refused, and no coercion (`"size": "100"` or `true` is not a number)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True, defer_build=True)


class DownloadLink(Model):
    """A presigned URL, for clients that must not follow a redirect (a browser drops `Authorization` and sends
    `Origin: null` on a cross-origin redirect)."""

    url: Annotated[str, Field(description="Presigned GET of the file, with its name in `Content-Disposition`.")]
    expires_at: Annotated[Timestamp, Field(description="When the URL stops working.")]


class ErrorBody(Model):
    error: Annotated[str, Field(description="Stable machine-readable code.")]
    message: Annotated[str, Field(description="Human-readable explanation.")]
    field: Annotated[str | None, Field(description="The first offending input field, when there is one.")] = None
