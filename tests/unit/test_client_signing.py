"""The SDK's delivery URL signing, checked by the delivery function's own verifier."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from assets_client.signing import delivery_path, sign_url
from functions.errors import Forbidden
from functions.services.delivery import Request, check, encode_key, tenant_key
from functions.settings import Settings

SECRET = "stack-delivery-secret"
BASE = "https://cdn.example.com/d"
ASSET_PATH = "/acme/" + "a" * 32


def verify(url: str, moment: datetime | None = None) -> Request:
    parts = urlsplit(url)
    assert parts.path.startswith("/d/")
    return check(Settings(), lambda: SECRET, parts.path[2:], dict(parse_qsl(parts.query)), moment or datetime.now(UTC))


def test_a_url_signed_with_the_tenants_key_passes_the_servers_check() -> None:
    key = encode_key(tenant_key(SECRET, "acme"))  # what GET /v1/delivery answers as `secret`
    url = sign_url(BASE, key, ASSET_PATH, {"w": "800", "fm": "auto", "fit": "cover", "h": "600"}, expires_in=600)
    request = verify(url)
    assert (request.tenant, request.signed) == ("acme", True)
    assert request.transform is not None
    assert (request.transform.w, request.transform.h, request.transform.fit) == (800, 600, "cover")
    assert request.expires is not None
    assert time.time() < request.expires <= time.time() + 601


def test_values_that_need_percent_encoding_sign_alike() -> None:
    key = encode_key(tenant_key(SECRET, "acme"))
    assert verify(sign_url(BASE, key, ASSET_PATH, {"w": "100", "dpr": "1.5"})).transform.dpr == 1.5


@pytest.mark.parametrize(("before", "after"), [("w=800", "w=1600"), ("/acme/", "/other/")])
def test_a_changed_url_or_another_tenants_key_is_refused(before: str, after: str) -> None:
    key = encode_key(tenant_key(SECRET, "acme"))
    url = sign_url(BASE, key, ASSET_PATH, {"w": "800"})
    verify(url)
    with pytest.raises(Forbidden, match="signature"):
        verify(url.replace(before, after))
    other = encode_key(tenant_key(SECRET, "other"))
    with pytest.raises(Forbidden, match="signature"):
        verify(sign_url(BASE, other, ASSET_PATH, {"w": "800"}))


def test_an_expired_url_is_refused() -> None:
    key = encode_key(tenant_key(SECRET, "acme"))
    url = sign_url(BASE, key, ASSET_PATH, {"w": "800"}, expires_in=60)
    with pytest.raises(Forbidden, match="expired"):
        verify(url, datetime.fromtimestamp(time.time() + 120, UTC))


def test_the_path_to_sign_comes_from_an_assets_url() -> None:
    assert delivery_path(BASE, f"{BASE}{ASSET_PATH}?exp=1&sig=x") == ASSET_PATH
    with pytest.raises(ValueError, match="not a delivery URL"):
        delivery_path(BASE, f"https://elsewhere.example/d{ASSET_PATH}")
