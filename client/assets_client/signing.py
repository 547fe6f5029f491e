"""Delivery URLs with transform parameters of your own, signed as the delivery function verifies them.

The key is the tenant's (`GET /v1/delivery` answers it as `secret`, base64url). The signature is HMAC-SHA256 over
the path, `?`, and the parameters sorted by name and percent-encoded (RFC 3986), in unpadded base64url, sent as
`sig`; `exp` (epoch seconds) among the signed parameters makes the URL expire, and a private asset's URL needs it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from urllib.parse import quote, urlencode, urlsplit


def _decoded(key: str) -> bytes:
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))


def sign_url(base_url: str, key: str, path: str, params: dict[str, str], *, expires_in: float | None = None) -> str:
    """`base_url + path?query&sig=...`; with `expires_in` (seconds) an `exp` is added and signed."""
    query = dict(params)
    if expires_in is not None:
        query["exp"] = str(math.ceil(time.time() + expires_in))
    canonical = urlencode(sorted(query.items()), quote_via=quote, safe="")
    digest = hmac.new(_decoded(key), f"{path}?{canonical}".encode(), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"{base_url.rstrip('/')}{path}?{canonical}&sig={signature}"


def delivery_path(base_url: str, asset_url: str) -> str:
    """The path to sign (`/{tenant}/{asset_id}`) from an asset's `url` and the delivery base URL."""
    base, url = urlsplit(base_url.rstrip("/")), urlsplit(asset_url)
    if (url.scheme, url.netloc) != (base.scheme, base.netloc) or not url.path.startswith(base.path + "/"):
        raise ValueError(f"{asset_url} is not a delivery URL under {base_url}")
    return url.path[len(base.path) :]
