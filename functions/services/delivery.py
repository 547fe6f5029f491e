"""Delivery URLs: where an asset is served, how a URL is signed, and what a delivery request may see.

A delivery path is `/{tenant}/{asset_id}` (the original, or a transform of it with a query) or
`/{tenant}/{asset_id}/{rendition}`, after `DELIVERY_URL`. A signature is HMAC-SHA256, keyed with the tenant's
delivery key, over the path, `?`, and the query's other parameters sorted and percent-encoded (RFC 3986), in
unpadded base64url, sent as `sig`. `exp` (epoch seconds) in the signed query makes it expire. The tenant's key is
derived from the stack's delivery secret, so nothing per tenant is stored and the function needs one secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, cached_property
from urllib.parse import parse_qsl, quote, urlencode

from functions.errors import Forbidden, InvalidInput, NotAFile, NotFound
from functions.models.assets import Asset, AssetRecord, DeliveredRendition
from functions.models.delivery import SRCSET_WIDTHS, DeliveryInfo, SrcsetEntry, Transform
from functions.services.deps import Deps
from functions.services.kinds import WITHOUT_FILE
from functions.settings import Settings

TRANSFORM_PARAMS = frozenset(Transform.model_fields)
SIGNATURE_PARAMS = frozenset({"sig", "exp"})
EXPIRY_STEP_SECONDS = 300
"""A signed URL's `exp` is rounded up to this step, so reading an asset twice in a few minutes gives the same URLs:
the browser's and the CDN's caches keep working."""
TRANSFORMABLE = ("image", "document")
"""Transforms read images, and a PDF's first page."""


def tenant_key(secret: str, tenant: str) -> bytes:
    return hmac.new(secret.encode(), f"delivery:{tenant}".encode(), hashlib.sha256).digest()


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def canonical(path: str, params: Mapping[str, str]) -> str:
    query = urlencode(sorted((k, v) for k, v in params.items() if k != "sig"), quote_via=quote, safe="")
    return f"{path}?{query}"


def signature(key: bytes, path: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(key, canonical(path, params).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signed(key: bytes, path: str, params: Mapping[str, str]) -> str:
    """`path?query` with `sig` appended."""
    return f"{path}?{urlencode({**params, 'sig': signature(key, path, params)}, quote_via=quote, safe='')}"


def asset_path(tenant: str, asset_id: str, rendition: str | None = None) -> str:
    return f"/{tenant}/{asset_id}" + (f"/{rendition}" if rendition else "")


def presets(settings: Settings) -> dict[str, dict[str, str]]:
    return _parsed_presets(settings.delivery_presets)


@cache
def _parsed_presets(text: str) -> dict[str, dict[str, str]]:
    """`DELIVERY_PRESETS`, parsed once per container rather than on every delivery request."""
    return {name: dict(parse_qsl(query)) for name, query in json.loads(text).items()}


def available(record: AssetRecord, moment: datetime) -> bool:
    """Inside the availability window, ready and not in the trash."""
    return (
        record.status == "ready"
        and record.deleted_at is None
        and (record.available_from is None or record.available_from <= moment)
        and (record.available_until is None or moment < record.available_until)
    )


@dataclass
class Links:
    """Builds the URLs of assets for one tenant at one moment; the secret is read on first use."""

    settings: Settings
    secret: Callable[[], str]
    tenant: str
    moment: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def key(self) -> bytes:
        return tenant_key(self.secret(), self.tenant)

    @cached_property
    def expires(self) -> int:
        deadline = self.moment.timestamp() + self.settings.delivery_url_ttl_seconds
        return math.ceil(deadline / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS

    def url(self, record: AssetRecord, rendition: str | None = None, **params: str) -> str:
        """The delivery URL: unsigned for a public asset without transform parameters, else signed (with `exp`
        for a private asset)."""
        path = asset_path(self.tenant, record.id, rendition)
        query = {**params, **({} if record.is_public else {"exp": str(self.expires)})}
        if not query or (record.is_public and set(query) <= {"preset"}):
            return self.settings.delivery_url + path + (f"?{urlencode(query)}" if query else "")
        return self.settings.delivery_url + signed(self.key, path, query)

    def asset(self, record: AssetRecord) -> Asset:
        asset = record.public()
        if not self.settings.delivery_url or record.status != "ready" or record.kind in WITHOUT_FILE:
            return asset
        width = (record.metadata.dimensions.width if record.metadata.dimensions else 0) or 0
        return asset.model_copy(
            update={
                "url": self.url(record),
                "url_expires_at": None if record.is_public else datetime.fromtimestamp(self.expires, UTC),
                "renditions": [
                    DeliveredRendition(**r.model_dump(), url=self.url(record, r.name)) for r in record.renditions
                ],
                "srcset": [
                    SrcsetEntry(width=w, url=self.url(record, w=str(w), fm="auto"))
                    for w in SRCSET_WIDTHS
                    if record.kind == "image" and w <= width
                ],
            }
        )

    def info(self) -> DeliveryInfo:
        return DeliveryInfo(
            base_url=self.settings.delivery_url,
            secret=encode_key(self.key),
            presets={name: urlencode(query) for name, query in presets(self.settings).items()},
            max_dimension=self.settings.delivery_max_dimension,
            url_ttl_seconds=self.settings.delivery_url_ttl_seconds,
        )


@dataclass(frozen=True)
class Request:
    """A delivery request, its signature checked: what it names and the transform it asks for, if any."""

    tenant: str
    asset_id: str
    rendition: str | None
    transform: Transform | None
    signed: bool
    expires: int | None


def parse_path(path: str) -> tuple[str, str, str | None]:
    parts = path.strip("/").split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise NotFound("no such delivery path")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def check(
    settings: Settings, secret: Callable[[], str], path: str, params: Mapping[str, str], moment: datetime
) -> Request:
    """The signature (403 when wrong or expired) and the parameters (400), before anything is read."""
    tenant, asset_id, rendition = parse_path(path)
    unknown = sorted(set(params) - TRANSFORM_PARAMS - SIGNATURE_PARAMS - {"preset"})
    if unknown:
        raise InvalidInput(f"unknown delivery parameter {unknown[0]}", field=unknown[0])
    is_signed = "sig" in params
    expected = signature(tenant_key(secret(), tenant), path, params).encode() if is_signed else b""
    if is_signed and not hmac.compare_digest(params["sig"].encode(), expected):
        raise Forbidden("the signature does not match this URL")
    expires = _expiry(params)
    if expires is not None and not is_signed:
        raise Forbidden("exp needs a signature")
    if expires is not None and expires <= moment.timestamp():
        raise Forbidden("this URL has expired")
    asked = {k: v for k, v in params.items() if k in TRANSFORM_PARAMS}
    if "preset" in params:
        if asked:
            raise InvalidInput("preset takes no other transform parameter", field="preset")
        asked = presets(settings).get(params["preset"]) or _no_preset(params["preset"])
    elif asked and not is_signed:
        raise Forbidden("transform parameters need a signature; or use a preset")
    if asked and rendition:
        raise InvalidInput("transforms apply to the original, not to a rendition", field=sorted(asked)[0])
    transform = _transform(asked, settings.delivery_max_dimension) if asked else None
    return Request(tenant, asset_id, rendition, transform, is_signed, expires)


def _expiry(params: Mapping[str, str]) -> int | None:
    if "exp" not in params:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", params["exp"]):
        raise InvalidInput("exp is epoch seconds", field="exp")
    return int(params["exp"])


def _no_preset(name: str) -> dict[str, str]:
    raise InvalidInput(f"no preset named {name!r}", field="preset")


def _transform(asked: Mapping[str, str], max_dimension: int) -> Transform:
    from pydantic import ValidationError

    try:
        transform = Transform.model_validate(asked)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "w"
        raise InvalidInput(f"{name}: {first['msg']}", field=name) from None
    for name in ("w", "h"):
        value = getattr(transform, name)
        if value is not None and round(value * transform.dpr) > max_dimension:
            raise InvalidInput(f"{name} times dpr is over {max_dimension} pixels", field=name)
    return transform


def visible(request: Request, record: AssetRecord | None, moment: datetime) -> AssetRecord:
    """404 for anything a delivery URL must not reveal: another tenant's or a missing asset, one not ready, in
    the trash or outside its window, a private asset without a signature, a missing rendition. 409 for a link or
    an external video, which have no file to deliver."""
    if record is None or not available(record, moment):
        raise NotFound("no such asset")
    if not record.is_public and (not request.signed or request.expires is None):
        raise NotFound("no such asset")
    if record.kind in WITHOUT_FILE:
        raise NotAFile(f"asset {record.id} ({record.kind}) has no file to deliver")
    if request.rendition and request.rendition not in {r.name for r in record.renditions}:
        raise NotFound("no such rendition")
    if request.transform and record.kind not in TRANSFORMABLE:
        raise InvalidInput(f"a {record.kind} cannot be transformed", field="w")
    return record


def cache_seconds(settings: Settings, record: AssetRecord, request: Request, moment: datetime) -> int:
    """How long the CDN and browsers may keep the answer: the CDN's lifetime, bounded by the URL's expiry and by
    the end of the availability window, so nothing is served from a cache after either."""
    bounds = [settings.delivery_cache_seconds]
    if request.expires is not None:
        bounds.append(int(request.expires - moment.timestamp()))  # rounded down: never past the expiry
    if record.available_until is not None:
        bounds.append(int((record.available_until - moment) / timedelta(seconds=1)))
    return max(0, min(bounds))


def secret(deps: Deps) -> Callable[[], str]:
    """Reads the stack's delivery secret when first needed (the Secrets adapter caches it)."""
    return lambda: deps.secrets.value(deps.settings.delivery_secret)


def links(deps: Deps, tenant: str) -> Links:
    return Links(deps.settings, secret(deps), tenant)


def shown(deps: Deps, record: AssetRecord) -> Asset:
    """The asset as the API shows it: with its delivery URLs once it is ready."""
    return links(deps, record.tenant).asset(record)


def info(deps: Deps, tenant: str) -> DeliveryInfo:
    return links(deps, tenant).info()


DELIVERY_FIELDS = ("status", "version", "is_public", "available_from", "available_until", "focal_point", "deleted_at")
"""What an answer of the delivery function depends on, besides the file (which changes with `version`)."""


def stale_paths(before: AssetRecord | None, after: AssetRecord | None) -> list[str]:
    """The CDN paths a change makes stale: every URL of the asset, when anything delivery depends on changed."""
    if before is None or before.status != "ready" or before.kind in WITHOUT_FILE:
        return []  # nothing was delivered (a cached error lasts `ERROR_SECONDS`)
    fields = set(DELIVERY_FIELDS)
    if after is not None and before.model_dump(include=fields) == after.model_dump(include=fields):
        return []
    return [asset_path(before.tenant, before.id) + "*"]
