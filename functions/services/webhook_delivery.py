"""Sending events to webhook endpoints, per the Standard Webhooks specification (standardwebhooks.com).

Fan-out (`functions.fan_out_webhooks`): each event on the bus (an EventBridge rule copies them to a queue) is
matched with the tenant's endpoints (one Query) and becomes one delivery item per endpoint that wants it, each
queued for the delivery function. A delivery's id follows from the event and the endpoint, so the same event
fanned out twice makes one delivery.

Delivery (`functions.deliver_webhooks`): one POST of `{type, timestamp, data}` (`data`: the event's `detail`,
as on EventBridge) with `webhook-id` (the event's id, the same on every attempt), `webhook-timestamp` and
`webhook-signature` (`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, one per secret in use: after a
rotation the previous secret signs too, for a day). A 2xx ends it. A timeout, a connection error, a 5xx, a 408 or
a 429 is tried again on `SCHEDULE` (their `Retry-After` waits longer if it asks to, up to `RETRY_AFTER_CAP`); any
other answer (a 3xx is not followed) or a refused address ends it `failed`. A wait longer than SQS's 15-minute
delay is made of several: the message comes back early, finds its attempt not yet due and goes back for the
rest. An endpoint whose attempts have all failed for `DISABLE_AFTER` is disabled (`webhook.disabled` follows
from that change on the stream); any success forgets its failures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from functions.adapters.receivers import Unreachable
from functions.errors import InvalidInput
from functions.models.common import EPOCH
from functions.models.webhooks import RESPONSE_KEPT_CHARACTERS, Attempt, DeliveryRecord, WebhookRecord
from functions.services import webhook_urls
from functions.services.assets import now
from functions.services.deps import Deps

SCHEDULE = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
"""Seconds before each attempt (Standard Webhooks' schedule): at once, then after 5 s, 5 min, 30 min, 2 h, 5 h,
10 h and 10 h; about 28 hours in all."""
RETRY_AFTER_CAP = 10 * 3600
"""An endpoint's `Retry-After` is honoured up to this (the longest step of the schedule)."""
MAX_QUEUE_DELAY = 900
"""SQS's longest `DelaySeconds`."""
DISABLE_AFTER = timedelta(days=5)
RETRIED_STATUSES = frozenset({408, 429})
"""Besides 5xx: the 4xx that say "later", not "never"."""
SIGNATURE_VERSION = "v1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
TEST_EVENT = "webhook.test"
USER_AGENT = "assets-webhooks/1"

Clock = Callable[[], datetime]


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the secret's bytes (after `whsec_`)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def headers(secrets: list[str], message_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(secret, message_id, timestamp, body) for secret in secrets),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def payload(event_type: str, timestamp: str, detail: dict[str, Any]) -> str:
    """The body every attempt sends: `{type, timestamp, data}`, `data` the event's `detail` as it is on the bus."""
    return json.dumps({"type": event_type, "timestamp": timestamp, "data": detail}, separators=(",", ":"))


def delivery_id(moment: datetime, event_id: str, webhook_id: str) -> str:
    """Time-ordered (as `time_ordered_id`, by when the event reached the fan-out queue) and the same for the same
    event and endpoint."""
    digest = hashlib.sha256(f"{event_id}/{webhook_id}".encode()).hexdigest()
    return f"{(moment - EPOCH) // timedelta(microseconds=1):014x}{digest[:18]}"


def retry_after(value: str | None, moment: datetime) -> int | None:
    """Seconds a `Retry-After` (seconds, or an HTTP date) asks to wait; None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, math.ceil((when.astimezone(UTC) - moment).total_seconds())) if when.tzinfo else None


def next_delay(attempts_made: int, asked: int | None) -> int | None:
    """Seconds until the next attempt after `attempts_made` attempts of which the last may be retried, with the
    endpoint's `Retry-After` (`asked`); None once the schedule is spent."""
    if attempts_made >= len(SCHEDULE):
        return None
    return max(SCHEDULE[attempts_made], min(asked or 0, RETRY_AFTER_CAP))


@dataclass(frozen=True)
class Outcome:
    attempt: Attempt
    succeeded: bool
    retried: bool
    """Worth another attempt: no answer, a 5xx, a 408 or a 429."""
    asked: int | None = None
    """Seconds its `Retry-After` asked for."""


def message(delivery: DeliveryRecord) -> str:
    return json.dumps({"tenant": delivery.tenant, "webhook_id": delivery.webhook_id, "delivery_id": delivery.id})


def enqueue(deps: Deps, delivery: DeliveryRecord, wait_seconds: float = 0) -> None:
    deps.webhook_deliveries.send(message(delivery), delay_seconds=min(MAX_QUEUE_DELAY, math.ceil(wait_seconds)))


def fan_out(deps: Deps, event: dict[str, Any], queued_at: datetime) -> int:
    """One delivery per endpoint of the event's tenant that wants its type (a test: the endpoint it names), each
    queued; how many. `queued_at`: when the event reached the fan-out queue (the same on each receipt of it; the
    event's own `time` counts whole seconds only), which orders the deliveries."""
    detail = event.get("detail") or {}
    event_type = event.get("detail-type", "")
    tenant = detail.get("tenant")
    if not tenant or not detail.get("id"):
        return 0
    if event_type == TEST_EVENT:
        wanted = [w for w in deps.webhooks.every(tenant) if w.id == detail.get("webhook_id") and w.enabled]
    else:
        wanted = [w for w in deps.webhooks.every(tenant) if w.wants(event_type)]
    body = payload(event_type, event["time"], detail)
    for webhook in wanted:
        delivery = DeliveryRecord(
            id=delivery_id(queued_at, detail["id"], webhook.id),
            tenant=tenant,
            webhook_id=webhook.id,
            event_id=detail["id"],
            event_type=event_type,
            status="pending",
            attempts=[],
            next_attempt_at=now(),
            created_at=queued_at,
            payload=body,
            retries=event_type != TEST_EVENT,
        )
        if deps.webhooks.add_delivery(delivery) or _unsent(deps, delivery):
            enqueue(deps, delivery)
    return len(wanted)


def _unsent(deps: Deps, delivery: DeliveryRecord) -> bool:
    """The same event fanned out again finds its delivery made: queued again only if no attempt was made (the first
    fan-out may have failed to queue it)."""
    made = deps.webhooks.get_delivery(delivery.tenant, delivery.webhook_id, delivery.id)
    return made is not None and made.status == "pending" and not made.attempts


def deliver(deps: Deps, tenant: str, webhook_id: str, delivery_id: str, clock: Clock = now) -> None:
    """The delivery's attempt if one is due: recorded, the next one queued, the endpoint's health kept."""
    delivery = deps.webhooks.get_delivery(tenant, webhook_id, delivery_id)
    if delivery is None or delivery.status != "pending" or delivery.next_attempt_at is None:
        return
    moment = clock()
    if delivery.next_attempt_at > moment:  # a wait longer than SQS's longest delay: the rest of it
        enqueue(deps, delivery, (delivery.next_attempt_at - moment).total_seconds())
        return
    webhook = deps.webhooks.get(tenant, webhook_id)
    if webhook is None:  # deleted: its deliveries go with TTL
        return
    outcome = (
        attempt(deps, webhook, delivery, moment)
        if webhook.enabled
        else Outcome(Attempt(at=moment, duration_ms=0, error="not sent: the webhook is disabled"), False, False)
    )
    wait = next_delay(len(delivery.attempts) + 1, outcome.asked) if outcome.retried and delivery.retries else None
    status = "succeeded" if outcome.succeeded else "pending" if wait is not None else "failed"
    following = moment + timedelta(seconds=wait) if wait is not None else None
    if not deps.webhooks.record_attempt(
        delivery, outcome.attempt, {"status": status, "next_attempt_at": following}
    ):  # another copy of the message recorded this attempt: it goes on from there
        return
    if wait is not None:
        enqueue(deps, delivery, wait)
    if webhook.enabled:
        keep_health(deps, webhook, outcome.succeeded, moment)


def attempt(deps: Deps, webhook: WebhookRecord, delivery: DeliveryRecord, moment: datetime) -> Outcome:
    """One POST to the endpoint, the URL and every address of its host checked first."""
    started = time.monotonic()

    def spent() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = webhook_urls.target(webhook.url, local_receivers=bool(deps.settings.webhook_local_receivers))
        address = webhook_urls.checked_addresses(deps.receivers.addresses(target.host, target.port), target)
        timestamp = int(moment.timestamp())
        sent = headers(webhook.secrets(moment), delivery.event_id, timestamp, delivery.payload)
        answer = deps.receivers.post(address, target, delivery.payload.encode(), sent)
    except (InvalidInput, webhook_urls.Refused) as refused:
        return Outcome(Attempt(at=moment, duration_ms=spent(), error=f"refused: {refused}"), False, False)
    except Unreachable as failed:
        return Outcome(Attempt(at=moment, duration_ms=spent(), error=str(failed)), False, True)
    status = answer.status
    succeeded = 200 <= status < 300
    retried = status >= 500 or status in RETRIED_STATUSES
    error = None if succeeded else f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
    response = answer.body.decode("utf-8", "replace")[:RESPONSE_KEPT_CHARACTERS] or None
    return Outcome(
        Attempt(at=moment, status_code=status, duration_ms=spent(), error=error, response=response),
        succeeded,
        retried,
        retry_after(answer.retry_after, moment) if retried else None,
    )


def keep_health(deps: Deps, webhook: WebhookRecord, succeeded: bool, moment: datetime) -> None:
    """A success forgets the endpoint's failures; a failure starts counting them, or, `DISABLE_AFTER` after the
    first, disables it (each a conditional write: concurrent attempts agree)."""
    since = webhook.failing_since
    if succeeded:
        if since is not None:
            deps.webhooks.update(webhook, {"failing_since": None}, {"failing_since": since})
    elif since is None:
        deps.webhooks.update(webhook, {"failing_since": moment}, {"failing_since": None})
    elif moment - since >= DISABLE_AFTER:
        changed = max(moment, webhook.updated_at + timedelta(microseconds=1))
        deps.webhooks.update(
            webhook,
            {"enabled": False, "disabled_reason": "failing", "updated_at": changed},
            {"enabled": True, "failing_since": since},
        )
