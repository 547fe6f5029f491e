"""The local gateway's usage plans: a token bucket per tenant, one of its own for uploads, a daily quota."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infra.tiers import Tier, from_cdk_json
from local.limits import Limits, Refusal

TIERS = {
    "standard": Tier("standard", rate=2, burst=3, uploads_rate=1, uploads_burst=1),
    "pro": Tier("pro", rate=10, burst=10, uploads_rate=5, uploads_burst=5),
    "metered": Tier("metered", rate=100, burst=100, uploads_rate=100, uploads_burst=100, quota_per_day=2),
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_burst_then_the_rate_then_a_refusal_that_says_when(clock: Clock) -> None:
    limits = Limits(TIERS, clock=clock)
    assert [limits.admit("acme", "standard", uploads=False) for _ in range(3)] == [None] * 3
    assert limits.admit("acme", "standard", uploads=False) == Refusal("THROTTLED", 1)
    clock.now += 0.5  # 2 per second: one request's worth
    assert limits.admit("acme", "standard", uploads=False) is None
    assert limits.admit("acme", "standard", uploads=False) == Refusal("THROTTLED", 1)


def test_the_wait_is_rounded_up_to_whole_seconds(clock: Clock) -> None:
    limits = Limits({"slow": Tier("slow", rate=0.4, burst=1, uploads_rate=1, uploads_burst=1)}, clock=clock)
    assert limits.admit("acme", "slow", uploads=False) is None
    clock.now += 0.5
    assert limits.admit("acme", "slow", uploads=False) == Refusal("THROTTLED", 2)  # 0.8 of a token to go: 2 s


def test_uploads_have_a_bucket_of_their_own(clock: Clock) -> None:
    limits = Limits(TIERS, clock=clock)
    assert limits.admit("acme", "standard", uploads=True) is None
    assert limits.admit("acme", "standard", uploads=True) == Refusal("THROTTLED", 1)
    assert limits.admit("acme", "standard", uploads=False) is None  # the other routes still answer
    clock.now += 1
    assert limits.admit("acme", "standard", uploads=True) is None


def test_each_tenant_has_its_own_buckets(clock: Clock) -> None:
    limits = Limits(TIERS, clock=clock)
    for _ in range(3):
        limits.admit("acme", "standard", uploads=False)
    assert limits.admit("acme", "standard", uploads=False) is not None
    assert limits.admit("globex", "standard", uploads=False) is None


def test_a_tenant_moved_to_another_tier_meets_that_tier_s_limits(clock: Clock) -> None:
    limits = Limits(TIERS, clock=clock)
    for _ in range(3):
        limits.admit("acme", "standard", uploads=False)
    assert limits.admit("acme", "standard", uploads=False) is not None
    assert [limits.admit("acme", "pro", uploads=False) for _ in range(10)] == [None] * 10


def test_a_daily_quota_until_midnight_utc(clock: Clock) -> None:
    day = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    today = [day]
    limits = Limits(TIERS, clock=clock, today=lambda: today[0])
    assert [limits.admit("acme", "metered", uploads=False) for _ in range(2)] == [None, None]
    assert limits.admit("acme", "metered", uploads=False) == Refusal("QUOTA_EXCEEDED", 3600)
    today[0] = day + timedelta(hours=1)
    assert limits.admit("acme", "metered", uploads=False) is None


def test_a_throttled_request_does_not_count_against_the_quota(clock: Clock) -> None:
    tiers = {"metered": Tier("metered", rate=1, burst=1, uploads_rate=1, uploads_burst=1, quota_per_day=2)}
    limits = Limits(tiers, clock=clock)
    assert limits.admit("acme", "metered", uploads=False) is None
    assert limits.admit("acme", "metered", uploads=False) == Refusal("THROTTLED", 1)
    clock.now += 1
    assert limits.admit("acme", "metered", uploads=False) is None


def test_the_tiers_of_cdk_json_hold_the_default_and_the_dev_tier() -> None:
    from local.stack import DEV_TIER

    tiers = from_cdk_json()
    assert {"standard", DEV_TIER} <= set(tiers)
    assert tiers[DEV_TIER].rate >= max(tier.rate for tier in tiers.values())  # make dev's key: the highest
