"""API key models: what a keys admin asks for, sees once, lists, and what is stored (only the key's hash)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from functions.models.common import Input, Model, TenantId, Timestamp
from functions.models.delivery import When
from functions.routes import SCOPES

KeyId = Annotated[
    str,
    Field(pattern=r"^key_[0-9a-f]{32}$", description="The key's public identifier (`key_` and 32 hex characters)."),
]
Scope = Literal[SCOPES]  # type: ignore[valid-type]  # the route table's scopes, as an enum


def _distinct(scopes: list[str]) -> list[str]:
    if len(set(scopes)) != len(scopes):
        raise ValueError("each scope may appear once")
    return scopes


Scopes = Annotated[
    list[Scope],
    Field(
        min_length=1,
        max_length=len(SCOPES),
        json_schema_extra={"uniqueItems": True},
        description="What the key may do: scopes the calling key holds itself.",
    ),
    AfterValidator(_distinct),
]
Label = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=r"\S",
        description="A name for people (who uses it); the `author` of the comments made with it.",
    ),
]


class KeyRequest(Input):
    scopes: Scopes
    label: Label
    expires_at: Annotated[
        When | None, Field(description="In the future; from then on the key is refused. Null: it never expires.")
    ] = None


class ApiKey(Model):
    """A key as listed: never the key itself, nor its hash."""

    id: KeyId
    prefix: Annotated[str, Field(description="The key's first characters, to recognise it.")]
    label: str | None = None
    scopes: list[str]
    created_at: Timestamp
    last_used_at: Annotated[
        Timestamp | None, Field(description="When a request last used it, to the minute; null: never used.")
    ] = None
    expires_at: Annotated[Timestamp | None, Field(description="When it stops working; null: never.")] = None


class KeyCreated(ApiKey):
    key: Annotated[
        str, Field(description="The API key, for `Authorization: Bearer`: shown only now (only its hash is kept).")
    ]


class ApiKeyRecord(ApiKey):
    """The stored key: its listing item (`KEYS#{tenant}`) and, with the authorizer's fields, its hash's item."""

    tenant: TenantId
    key_hash: Annotated[str, Field(description="Hex SHA-256 of the key.")]
    tier: Annotated[str, Field(description="The tenant's tier when the key was made (`cdk.json` `tiers`).")]
    usage_key: Annotated[str, Field(description="The tenant's API Gateway API key value: its usage identifier.")]

    def public(self) -> ApiKey:
        return ApiKey.model_validate(self.model_dump(include=set(ApiKey.model_fields)))


class KeyPage(Model):
    items: Annotated[list[ApiKey], Field(description="The newest first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]
