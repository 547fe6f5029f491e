"""API keys: random bearer tokens, stored only as SHA-256 hashes.

A key is 256 bits from `secrets`, so a fast hash is enough: there is nothing to brute-force. A key belongs to one
tenant, carries scopes and may expire; a keys admin (`keys:admin`) makes, lists and revokes the keys of its own
tenant, and can't give a key a scope it does not hold itself. Every key of a tenant carries the tenant's tier and
usage identifier (its API Gateway API key, made with the tenant's first key by `make key`), so the authorizer
needs one read. `resolve` is the authorizer's part and is kept free of pydantic (fast cold start).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from functions import schema
from functions.adapters.keys import LAST_USED, Keys, TenantUsage
from functions.adapters.table import Table
from functions.errors import Conflict, Forbidden, InvalidInput, NotFound, TransientError
from functions.routes import SCOPES

if TYPE_CHECKING:
    from functions.models.keys import ApiKeyRecord, KeyCreated, KeyPage, KeyRequest
    from functions.services.deps import Deps

KEY_PREFIX = "dam_"
PREFIX_CHARACTERS = 12
"""How much of a key its listing shows (`dam_` and 8 of its 43 random characters), at most half of it."""
USAGE_KEY_BYTES = 30
"""A tenant's API Gateway API key value: 40 characters (API Gateway wants at least 20)."""
TOUCH_SECONDS = 60
"""`last_used_at` is written at most once a minute per key."""
DEFAULT_TIER = "standard"
"""The tier of a tenant whose first key is made without one (`cdk.json` `tiers` must have it)."""
logger = Logger(service="assets")

Issue = Callable[[str, str, str], str | None]
"""`(tenant, tier, value)` -> the id of a new API Gateway API key of that value in the tier's usage plan."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str:
    return key[: min(PREFIX_CHARACTERS, len(key) // 2)]


def no_gateway(tenant: str, tier: str, value: str) -> None:
    """Locally there is no API Gateway: the value alone identifies the tenant to the local gateway's limits."""


def _record(tenant: str, key: str, scopes: list[str], label: str | None, usage: TenantUsage, **more: Any):
    from functions.models.common import time_ordered_id
    from functions.models.keys import ApiKeyRecord  # not at import: the authorizer never needs pydantic

    moment = datetime.now(UTC)
    return ApiKeyRecord(
        id=f"key_{time_ordered_id(moment)}",
        tenant=tenant,
        key_hash=hash_key(key),
        prefix=prefix_of(key),
        label=label,
        scopes=[scope for scope in SCOPES if scope in scopes],
        created_at=moment,
        tier=usage.tier,
        usage_key=usage.usage_key,
        **more,
    )


def tenant_usage(keys: Keys, tenant: str, tier: str, issue: Issue) -> TenantUsage:
    """The tenant's tier and usage identifier; for a new tenant, an API key in the tier's usage plan first."""
    found = keys.tenant(tenant)
    if found is not None:
        return found
    value = secrets.token_urlsafe(USAGE_KEY_BYTES)
    usage = TenantUsage(tier=tier, usage_key=value, usage_key_id=issue(tenant, tier, value))
    if keys.add_tenant(tenant, usage):
        return usage
    raise ValueError(f"tenant {tenant!r} was made by another command meanwhile; run this one again")


def create_key(
    table: Table,
    tenant: str,
    scopes: list[str],
    key: str | None = None,
    label: str | None = None,
    tier: str = DEFAULT_TIER,
    issue: Issue = no_gateway,
) -> str:
    """`make key` and `make dev`: a key for any tenant (its first one included), with any scopes."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scopes {unknown}; known: {list(SCOPES)}")
    from functions.models.common import TENANT_PATTERN

    if not re.fullmatch(TENANT_PATTERN, tenant):
        raise ValueError(
            f"tenant {tenant!r} must be 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit"
        )
    key = key or KEY_PREFIX + secrets.token_urlsafe(32)
    keys = Keys(table)
    keys.add(_record(tenant, key, scopes, label, tenant_usage(keys, tenant, tier, issue)))
    return key


Move = Callable[[TenantUsage, str], None]
"""`(tenant's usage, new tier)`: its API Gateway API key into the new tier's usage plan."""


def no_usage_plans(usage: TenantUsage, tier: str) -> None:
    """Locally there are no usage plans: the tier stored with the tenant's keys is what the local gateway reads."""


def move_tenant(table: Table, tenant: str, tier: str, move: Move) -> int:
    """`make tier`: the tenant into another tier, its API key's usage plan first (what API Gateway enforces), then
    the tier stored with the tenant and its keys (what the local gateway reads, and new keys copy); how many keys."""
    keys = Keys(table)
    usage = keys.tenant(tenant)
    if usage is None:
        raise ValueError(f"no tenant {tenant!r}: make its first key with `make key`")
    if usage.tier != tier:
        move(usage, tier)
    return keys.set_tier(tenant, tier)


def new_key(deps: Deps, tenant: str, held: frozenset[str], request: KeyRequest) -> KeyCreated:
    """POST /v1/keys: a key of the caller's tenant, with scopes the caller holds, shown once."""
    from functions.models.keys import KeyCreated

    beyond = [scope for scope in request.scopes if scope not in held]
    if beyond:
        raise Forbidden(f"this API key can't grant {', '.join(beyond)}, which it does not hold", field="scopes")
    if request.expires_at is not None and request.expires_at <= datetime.now(UTC):
        raise InvalidInput("expires_at must be in the future", field="expires_at")
    usage = deps.keys.tenant(tenant)
    if usage is None:
        raise Conflict(f"tenant {tenant} has no usage plan key yet; an operator makes its first key with `make key`")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = _record(tenant, key, list(request.scopes), request.label, usage, expires_at=request.expires_at)
    deps.keys.add(record)
    return KeyCreated(**record.public().model_dump(), key=key)


def list_keys(deps: Deps, tenant: str, limit: int, cursor: str | None) -> KeyPage:
    from functions.models.keys import KeyPage
    from functions.services import cursors

    scope = f"list_keys|{tenant}"
    found, last = deps.keys.page(tenant, limit, cursors.after(deps, scope, cursor))
    return KeyPage(items=[key.public() for key in found], next_cursor=cursors.next_after(deps, scope, last))


def _existing(deps: Deps, tenant: str, key_id: str) -> ApiKeyRecord:
    record = deps.keys.get(tenant, key_id)
    if record is None:
        raise NotFound(f"key {key_id} not found")
    return record


def delete_key(deps: Deps, tenant: str, key_id: str) -> None:
    """Revoke: both items go, so the authorizer refuses the key from now on; then the stage's authorizer cache is
    flushed, so that API Gateway asks it again. A failed flush is logged: the cache's TTL bounds it."""
    if not deps.keys.remove(_existing(deps, tenant, key_id)):
        raise NotFound(f"key {key_id} not found")  # revoked meanwhile, as a second DELETE finds it
    try:
        deps.authorizers.flush()
    except TransientError as error:
        logger.warning("authorizer cache not flushed", extra={"reason": str(error)})


def resolve(keys: Keys, key: str, moment: datetime | None = None) -> dict[str, Any] | None:
    """The key's item (`tenant`, `scopes`, `label`, `tier`, `usage_key`) for a valid key that has not expired, else
    None. Records when it was used, at most once a minute, best effort: a failed write never refuses a key."""
    if not key or len(key) > 200:
        return None
    key_hash = hash_key(key)
    found = keys.resolve(key_hash)
    moment = moment or datetime.now(UTC)
    if found is None or found.get(schema.TTL_ATTRIBUTE, float("inf")) <= moment.timestamp():
        return None
    since = (moment - timedelta(seconds=TOUCH_SECONDS)).strftime(schema.TIMESTAMP_FORMAT)
    if found.get(LAST_USED, "") < since:
        try:
            keys.touch(key_hash, moment.strftime(schema.TIMESTAMP_FORMAT), since)
        except Exception:  # whatever went wrong, the key stays valid
            logger.warning("last_used_at not recorded", exc_info=True)
    return found
