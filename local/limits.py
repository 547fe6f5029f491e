"""API Gateway's usage plans for the local gateway: the tiers of `cdk.json`, per tenant (its usage identifier).

Each tenant has a token bucket for the authorized routes (`rate` per second, `burst` at most) and one of its own
for `POST /v1/uploads` (`uploads_rate`, `uploads_burst`), as a usage plan's per-method throttle replaces its
plan-wide one for that method; and, with `quota_per_day`, a count of its requests in the UTC day. A refusal says
which gateway response API Gateway would answer and after how many seconds to retry.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from infra.tiers import Tier


@dataclass
class TokenBucket:
    rate: float
    capacity: int
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """One token, if there is one (0.0); else the seconds until there is, taking nothing."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass(frozen=True)
class Refusal:
    kind: str
    """The gateway response: `THROTTLED` or `QUOTA_EXCEEDED`."""
    retry_after: int
    """Whole seconds, at least 1 (`Retry-After`)."""


class Limits:
    def __init__(
        self,
        tiers: dict[str, Tier],
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.tiers = tiers
        self._clock = clock
        self._today = today
        self._buckets: dict[tuple[str, str, bool], TokenBucket] = {}
        """By tenant, tier (a tenant moved to another tier starts afresh there) and route group."""
        self._counts: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()

    def admit(self, identity: str, tier_name: str, uploads: bool) -> Refusal | None:
        """Count one request of the tenant `identity` (its usage identifier) in `tier_name`; None when it may go on.
        A tier that is not in `cdk.json` is a `KeyError`: API Gateway would find the key in no usage plan."""
        tier = self.tiers[tier_name]
        moment = self._today()
        day = moment.date().isoformat()
        with self._lock:
            counted_day, count = self._counts.get(identity, (day, 0))
            count = count if counted_day == day else 0
            if tier.quota_per_day is not None and count >= tier.quota_per_day:
                midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
                return Refusal("QUOTA_EXCEEDED", max(1, math.ceil((midnight - moment).total_seconds())))
            now = self._clock()
            rate, burst = (tier.uploads_rate, tier.uploads_burst) if uploads else (tier.rate, tier.burst)
            bucket = self._buckets.setdefault((identity, tier_name, uploads), TokenBucket(rate, burst, burst, now))
            wait = bucket.take(now)
            if wait:
                return Refusal("THROTTLED", max(1, math.ceil(wait)))
            self._counts[identity] = (day, count + 1)
            return None
