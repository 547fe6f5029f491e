"""Per-tenant tiers, from the `tiers` context of `cdk.json`: a usage plan each on AWS, token buckets in the local
gateway. Plain Python (no CDK), so the local stack reads the same numbers.

    "tiers": {"standard": {"rate": 50, "burst": 100, "uploads_rate": 5, "uploads_burst": 10, "quota_per_day": null}}

`rate` (requests per second, steady) and `burst` (at once) hold for every authorized route but `POST /v1/uploads`,
which has its own `uploads_rate` and `uploads_burst`; `quota_per_day` (null: none) counts every request of the
tenant in a UTC day.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from functions.services.keys import DEFAULT_TIER

TIERS_CONTEXT = "tiers"
CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"


@dataclass(frozen=True)
class Tier:
    name: str
    rate: float
    burst: int
    uploads_rate: float
    uploads_burst: int
    quota_per_day: int | None = None


def parse(value: Mapping[str, Mapping[str, Any]]) -> dict[str, Tier]:
    """The tiers of the context, checked: every field, rates of at least 1 per second (a throttled client is told
    to retry after a second), bursts of at least 1, and the default tier among them."""
    allowed = {field.name for field in fields(Tier)} - {"name"}
    required = allowed - {"quota_per_day"}  # CDK's context drops a null, so it may be absent too
    tiers = {}
    for name, numbers in value.items():
        if not required <= set(numbers) <= allowed:
            raise ValueError(
                f"tier {name!r} must have {sorted(required)} and may have quota_per_day: {sorted(numbers)}"
            )
        tier = Tier(name=name, **numbers)
        if min(tier.rate, tier.uploads_rate) < 1 or min(tier.burst, tier.uploads_burst) < 1:
            raise ValueError(f"tier {name!r}: rates and bursts must be at least 1")
        if tier.quota_per_day is not None and tier.quota_per_day < 1:
            raise ValueError(f"tier {name!r}: quota_per_day must be at least 1, or null")
        tiers[name] = tier
    if DEFAULT_TIER not in tiers:
        raise ValueError(f"the tiers must include {DEFAULT_TIER!r}, the tier of a tenant made without one")
    return tiers


def from_cdk_json(path: Path = CDK_JSON) -> dict[str, Tier]:
    return parse(json.loads(path.read_text())["context"][TIERS_CONTEXT])


def usage_plan_name(stack_name: str, tier: str) -> str:
    """How the stack names a tier's usage plan, and how `make key --aws` finds it."""
    return f"{stack_name}-{tier}"
