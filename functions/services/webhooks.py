"""Webhook endpoints: registered per tenant, each with the event types it wants and its signing secret.

The secret (`whsec_` + base64 of 32 random bytes, the Standard Webhooks form) is shown when the endpoint is made
and when it is rotated, and never again; after a rotation the previous one still signs, beside the new one, for
`PREVIOUS_SECRET_HOURS`. A test and a retry asked for are changes of records too: the test's `test_id` on the
endpoint sends `webhook.test` from the stream (to that endpoint only), and a retry puts its delivery back to
`pending` and queues it. Sending is `services.webhook_delivery`; the URL rules are `services.webhook_urls`.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import timedelta
from typing import Any

from functions.errors import Conflict, InvalidInput, NotFound
from functions.models.common import time_ordered_id
from functions.models.events import BY_TYPE
from functions.models.webhooks import (
    EVERY_EVENT,
    Delivery,
    DeliveryPage,
    Webhook,
    WebhookCreated,
    WebhookPage,
    WebhookRecord,
    WebhookRequest,
    WebhookTested,
    WebhookUpdate,
)
from functions.services import cursors, webhook_urls
from functions.services.assets import WRITE_ATTEMPTS, after, now
from functions.services.deps import Deps
from functions.services.webhook_delivery import SECRET_PREFIX, enqueue

SECRET_BYTES = 32
PREVIOUS_SECRET_HOURS = 24


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _events(events: list[str]) -> list[str]:
    """The types asked for, each once, in order; a 400 naming `events` for one the catalog does not have."""
    unknown = next((name for name in events if name != EVERY_EVENT and name not in BY_TYPE), None)
    if unknown is not None:
        raise InvalidInput(
            f"events: {unknown[:64]!r} is not an event type; see docs/events/ (or `*` for every one)", field="events"
        )
    return list(dict.fromkeys(events))


def _url(deps: Deps, url: str) -> str:
    webhook_urls.target(url, local_receivers=bool(deps.settings.webhook_local_receivers))
    return url


def _existing(deps: Deps, tenant: str, webhook_id: str) -> WebhookRecord:
    webhook = deps.webhooks.get(tenant, webhook_id)
    if webhook is None:
        raise NotFound(f"webhook {webhook_id} not found")
    return webhook


def create_webhook(deps: Deps, tenant: str, request: WebhookRequest) -> WebhookCreated:
    moment = now()
    webhook = WebhookRecord(
        id=time_ordered_id(moment),
        tenant=tenant,
        url=_url(deps, request.url),
        events=_events(request.events),
        description=request.description,
        secret=new_secret(),
        created_at=moment,
        updated_at=moment,
    )
    deps.webhooks.add(webhook)
    return WebhookCreated(**webhook.public().model_dump(), secret=webhook.secret)


def get_webhook(deps: Deps, tenant: str, webhook_id: str) -> Webhook:
    return _existing(deps, tenant, webhook_id).public()


def list_webhooks(deps: Deps, tenant: str, limit: int, cursor: str | None) -> WebhookPage:
    scope = f"list_webhooks|{tenant}"
    found, last = deps.webhooks.page(tenant, limit, cursors.after(deps, scope, cursor))
    return WebhookPage(items=[webhook.public() for webhook in found], next_cursor=cursors.next_after(deps, scope, last))


def _changed(deps: Deps, tenant: str, webhook_id: str, changes_of: Any) -> WebhookRecord:
    """Compare-and-set on `updated_at`: `changes_of(current)` applied to the endpoint as it is."""
    for _ in range(WRITE_ATTEMPTS):
        webhook = _existing(deps, tenant, webhook_id)
        changes = changes_of(webhook) | {"updated_at": after(webhook.updated_at)}
        if deps.webhooks.update(webhook, changes, {"updated_at": webhook.updated_at}):
            return webhook.model_copy(update=changes)
    raise Conflict(f"webhook {webhook_id} is being changed by other requests; retry")


def update_webhook(deps: Deps, tenant: str, webhook_id: str, request: WebhookUpdate) -> Webhook:
    sent = request.model_fields_set
    changes: dict[str, Any] = {}
    if "url" in sent:
        changes["url"] = _url(deps, request.url)
    if "events" in sent:
        changes["events"] = _events(request.events)
    if "description" in sent:
        changes["description"] = request.description

    def changes_of(webhook: WebhookRecord) -> dict[str, Any]:
        if "enabled" not in sent or request.enabled == webhook.enabled:
            return changes
        if request.enabled:  # back on: its past failures are forgotten
            return changes | {"enabled": True, "disabled_reason": None, "failing_since": None}
        return changes | {"enabled": False, "disabled_reason": "request"}

    return _changed(deps, tenant, webhook_id, changes_of).public()


def delete_webhook(deps: Deps, tenant: str, webhook_id: str) -> None:
    """Its deliveries are no longer sent, or shown, and go with TTL."""
    if not deps.webhooks.remove(tenant, webhook_id):
        raise NotFound(f"webhook {webhook_id} not found")


def rotate_secret(deps: Deps, tenant: str, webhook_id: str) -> WebhookCreated:
    secret = new_secret()

    def changes_of(webhook: WebhookRecord) -> dict[str, Any]:
        until = now() + timedelta(hours=PREVIOUS_SECRET_HOURS)
        return {"secret": secret, "previous_secret": webhook.secret, "previous_until": until}

    webhook = _changed(deps, tenant, webhook_id, changes_of)
    return WebhookCreated(**webhook.public().model_dump(), secret=secret)


def send_test(deps: Deps, tenant: str, webhook_id: str) -> WebhookTested:
    """`webhook.test` to this endpoint alone, from the change of its `test_id` (an enabled endpoint only)."""
    test_id = uuid.uuid4().hex
    webhook = _existing(deps, tenant, webhook_id)
    if not webhook.enabled or not deps.webhooks.update(webhook, {"test_id": test_id}, {"enabled": True}):
        raise Conflict(f"webhook {webhook_id} is disabled: enable it to test it")
    return WebhookTested(event_id=test_id)


def list_deliveries(deps: Deps, tenant: str, webhook_id: str, limit: int, cursor: str | None) -> DeliveryPage:
    _existing(deps, tenant, webhook_id)
    scope = f"list_webhook_deliveries|{tenant}|{webhook_id}"
    found, last = deps.webhooks.deliveries(tenant, webhook_id, limit, cursors.after(deps, scope, cursor))
    return DeliveryPage(items=[d.public() for d in found], next_cursor=cursors.next_after(deps, scope, last))


def retry_delivery(deps: Deps, tenant: str, webhook_id: str, delivery_id: str) -> Delivery:
    """One more attempt of an ended delivery, now (no schedule after it); 409 while it is still pending."""
    webhook = _existing(deps, tenant, webhook_id)
    if not webhook.enabled:
        raise Conflict(f"webhook {webhook_id} is disabled: enable it to retry its deliveries")
    delivery = deps.webhooks.get_delivery(tenant, webhook_id, delivery_id)
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} not found")
    moment = now()
    if not deps.webhooks.restart(delivery, moment):
        raise Conflict(f"delivery {delivery_id} is still pending: its next attempt is scheduled")
    restarted = delivery.model_copy(update={"status": "pending", "next_attempt_at": moment, "retries": False})
    enqueue(deps, restarted)
    return restarted.public()
