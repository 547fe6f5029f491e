"""Webhook models: endpoints a tenant registers, and the deliveries of events to them (Standard Webhooks)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field

from functions.models.common import Input, Model, TenantId, Timestamp

WebhookId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="Webhook identifier (32 lowercase hex characters, time-ordered).")
]
DeliveryId = Annotated[
    str,
    Field(pattern=r"^[0-9a-f]{32}$", description="Delivery identifier (32 lowercase hex characters, time-ordered)."),
]
EVERY_EVENT = "*"
MAX_URL_LENGTH = 2048
Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        description="Where events are POSTed: `https`, no user name or password, a public host name or address, "
        "port 443 or 1024 and above.",
    ),
]
EventTypes = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=64)]],
    Field(
        min_length=1,
        max_length=64,
        description="Event types of the catalog (`docs/events/`) to receive, or `*` for every one.",
    ),
]
Description = Annotated[str, Field(max_length=500, description="A note of yours.")]
DELIVERY_RETENTION = timedelta(days=30)
"""How long a delivery and its attempts are kept (DynamoDB TTL)."""
RESPONSE_KEPT_CHARACTERS = 1024
"""The start of an endpoint's answer kept with each attempt."""


class WebhookRequest(Input):
    url: Url
    events: EventTypes
    description: Description | None = None


class WebhookUpdate(Input):
    """Only the fields sent change; `null` removes the description."""

    url: Url = None  # type: ignore[assignment]  # absent, never null
    events: EventTypes = None  # type: ignore[assignment]
    enabled: Annotated[
        bool, Field(description="False: no event is sent; true again: events from now on (failures forgotten).")
    ] = None  # type: ignore[assignment]
    description: Description | None = None


DisabledReason = Literal["failing", "request"]


class Webhook(Model):
    id: WebhookId
    url: str
    events: list[str]
    description: str | None = None
    enabled: bool = True
    disabled_reason: Annotated[
        DisabledReason | None,
        Field(
            description="Why it is disabled: `failing` (every attempt failed for 5 days) or `request` (PATCH); "
            "null when enabled."
        ),
    ] = None
    failing_since: Annotated[
        Timestamp | None,
        Field(description="The first failed attempt since the last success; null when the last attempt succeeded."),
    ] = None
    created_at: Timestamp
    updated_at: Timestamp


class WebhookCreated(Webhook):
    secret: Annotated[
        str,
        Field(
            description="`whsec_` and the base64 of the signing key: verify each delivery's `webhook-signature` with "
            "it. Shown only now (and by rotate-secret)."
        ),
    ]


class WebhookRecord(Webhook):
    tenant: TenantId
    secret: str
    previous_secret: Annotated[
        str | None, Field(description="The secret before the last rotation, still signing until `previous_until`.")
    ] = None
    previous_until: Timestamp | None = None
    test_id: Annotated[
        str | None, Field(description="The last test asked for: its change sends `webhook.test` (services.events).")
    ] = None

    def public(self) -> Webhook:
        return Webhook.model_validate(self.model_dump(include=set(Webhook.model_fields)))

    def secrets(self, moment: datetime) -> list[str]:
        """The secrets a delivery is signed with at `moment`: the current one, and the previous one for a day."""
        previous = self.previous_secret if self.previous_until and moment < self.previous_until else None
        return [self.secret, *([previous] if previous else [])]

    def wants(self, event_type: str) -> bool:
        return self.enabled and (EVERY_EVENT in self.events or event_type in self.events)


class WebhookPage(Model):
    items: Annotated[list[Webhook], Field(description="The newest first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class Attempt(Model):
    at: Timestamp
    status_code: Annotated[int | None, Field(description="The endpoint's HTTP status; null when none came.")] = None
    duration_ms: int
    error: Annotated[
        str | None, Field(description="Why it failed: a status, a timeout, a refused address...; null on success.")
    ] = None
    response: Annotated[str | None, Field(description="The start of the endpoint's answer (1,024 characters).")] = None


DeliveryStatus = Literal["pending", "succeeded", "failed"]


class Delivery(Model):
    id: DeliveryId
    webhook_id: WebhookId
    event_id: Annotated[str, Field(description="The event's id: the `webhook-id` header of every attempt.")]
    event_type: str
    status: Annotated[
        DeliveryStatus,
        Field(description="`pending` (an attempt is due), `succeeded` (a 2xx), `failed` (given up, or not retried)."),
    ]
    attempts: Annotated[list[Attempt], Field(description="The newest first.")]
    next_attempt_at: Annotated[
        Timestamp | None, Field(description="When the next attempt is due; null once ended.")
    ] = None
    created_at: Timestamp


class DeliveryRecord(Delivery):
    tenant: TenantId
    payload: Annotated[str, Field(description="The body sent, the same bytes on every attempt.")]
    retries: Annotated[bool, Field(description="False for a test or a retry asked for: one attempt, no schedule.")] = (
        True
    )

    def public(self) -> Delivery:
        """As the API shows it: the newest attempt first (they are stored in the order made)."""
        shown = self.model_dump(include=set(Delivery.model_fields))
        return Delivery.model_validate({**shown, "attempts": shown["attempts"][::-1]})

    @property
    def ttl(self) -> int:
        return int((self.created_at + DELIVERY_RETENTION).timestamp())


class DeliveryPage(Model):
    items: Annotated[list[Delivery], Field(description="The newest first.")]
    next_cursor: Annotated[str | None, Field(description="Pass as `cursor` for the next page; null at the end.")]


class WebhookTested(Model):
    event_id: Annotated[
        str, Field(description="The `webhook.test` event's id: its delivery appears in the endpoint's deliveries.")
    ]


class WebhookEventDetail(Model):
    """`detail` of `webhook.disabled`."""

    id: Annotated[str, Field(description="The change's own id, the same on every delivery of it.")]
    tenant: TenantId
    webhook: Webhook


class WebhookTestDetail(Model):
    """`detail` of `webhook.test`: sent to the one endpoint it names."""

    id: Annotated[str, Field(description="The test's own id, as `POST /v1/webhooks/{id}/test` answered it.")]
    tenant: TenantId
    webhook_id: WebhookId
