"""Delivery URLs: what assets carry, and what the delivery function answers to them (functions/deliver.py)."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from PIL import Image

from functions import deliver
from functions.services import delivery
from functions.services.deps import get_deps
from functions.settings import get_settings
from local.lambda_runtime import LambdaContext
from tests import files
from tests.documents import text_pdf
from tests.integration.conftest import CDN, Stack

PHOTO = files.jpeg(1000, 800)


def setting(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    get_deps.cache_clear()


def fetch(url: str, accept: str = "*/*", method: str = "GET", origin: str | None = None) -> dict[str, Any]:
    """What the CDN's request to the function URL carries: the path after the distribution, the query, headers."""
    parts = urlsplit(url)
    assert url.startswith(CDN)
    headers = {"accept": accept, **({"origin": origin} if origin else {})}
    event = {
        "version": "2.0",
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": headers,
        "queryStringParameters": dict(parse_qsl(parts.query)) or None,
        "requestContext": {"http": {"method": method, "path": parts.path}},
        "isBase64Encoded": False,
    }
    response = deliver.handler(event, LambdaContext(function_name="deliver"))
    body = response.get("body") or ""
    response["data"] = base64.b64decode(body) if response.get("isBase64Encoded") else body.encode()
    return response


def image(response: dict[str, Any]) -> Image.Image:
    assert response["statusCode"] == 200, response["data"][:300]
    return Image.open(io.BytesIO(response["data"]))


def error(response: dict[str, Any]) -> tuple[int, str | None]:
    return response["statusCode"], json.loads(response["data"]).get("field")


def ready(stack: Stack, data: bytes = PHOTO, content_type: str = "image/jpeg", **fields: Any) -> dict[str, Any]:
    asset = stack.upload(data, content_type, **fields)
    stack.drain()
    status, shown, _ = stack.call("get_asset", path_params={"asset_id": asset["id"]})
    assert (status, shown["status"]) == (200, "ready"), shown
    return shown


def update(stack: Stack, asset_id: str, **fields: Any) -> dict[str, Any]:
    status, shown, _ = stack.call("update_asset", path_params={"asset_id": asset_id}, body=fields)
    assert status == 200, shown
    return shown


def signed_url(asset: dict[str, Any], path_tail: str = "", tenant: str = "acme", **params: str) -> str:
    key = delivery.tenant_key(get_deps().secrets.value(get_settings().delivery_secret), tenant)
    path = delivery.asset_path(tenant, asset["id"]) + path_tail
    return CDN + delivery.signed(key, path, params)


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {k: v for k, v in {**dict(parse_qsl(parts.query)), **changes}.items() if v is not None}
    return f"{CDN}{parts.path}" + (f"?{urlencode(query)}" if query else "")


def test_a_private_asset_carries_signed_expiring_urls(cdn: Stack) -> None:
    asset = ready(cdn)
    assert asset["is_public"] is False
    query = dict(parse_qsl(urlsplit(asset["url"]).query))
    assert set(query) == {"exp", "sig"}
    expires = datetime.fromisoformat(asset["url_expires_at"])
    assert int(query["exp"]) == int(expires.timestamp())
    ttl = timedelta(seconds=get_settings().delivery_url_ttl_seconds)
    assert ttl <= expires - datetime.now(UTC) <= ttl + timedelta(seconds=delivery.EXPIRY_STEP_SECONDS)
    assert [entry["width"] for entry in asset["srcset"]] == [320, 640, 960]  # none wider than the 1000 px image
    assert all(r["url"].startswith(f"{CDN}/acme/{asset['id']}/{r['name']}?") for r in asset["renditions"])

    original = fetch(asset["url"])
    assert (original["statusCode"], original["data"]) == (200, PHOTO)
    assert original["headers"]["Content-Type"] == "image/jpeg"
    assert original["headers"]["Content-Disposition"].startswith("inline;")
    assert original["headers"]["X-Content-Type-Options"] == "nosniff"
    cached = int(original["headers"]["Cache-Control"].split("s-maxage=")[1])
    assert 0 < cached <= int(query["exp"]) - datetime.now(UTC).timestamp() + 1  # never cached past its expiry
    assert image(fetch(asset["renditions"][0]["url"])).format == "WEBP"
    assert image(fetch(asset["srcset"][0]["url"], accept="image/webp")).size == (320, 256)

    assert error(fetch(with_query(asset["url"], sig=None, exp=None))) == (404, None)  # private: no unsigned URL
    assert fetch(with_query(asset["url"], sig=None))["statusCode"] == 403  # exp without a signature
    assert fetch(with_query(asset["url"], sig="A" * 43))["statusCode"] == 403
    assert fetch(with_query(asset["url"], sig="é" * 43))["statusCode"] == 403
    assert fetch(with_query(asset["url"], exp=str(int(query["exp"]) + 3600)))["statusCode"] == 403  # exp is signed
    past = str(int(datetime.now(UTC).timestamp()) - 1)
    assert fetch(signed_url(asset, exp=past))["statusCode"] == 403  # expired
    assert fetch(signed_url(asset))["statusCode"] == 404  # a private URL must expire


def test_a_public_asset_has_stable_urls_and_presets_but_signed_transforms(cdn: Stack) -> None:
    asset = update(cdn, ready(cdn)["id"], is_public=True)
    assert asset["url"] == f"{CDN}/acme/{asset['id']}"
    assert asset["url_expires_at"] is None
    assert update(cdn, asset["id"], title="again")["url"] == asset["url"]
    assert fetch(asset["url"])["data"] == PHOTO
    assert image(fetch(asset["url"] + "?preset=thumb")).size == (200, 200)
    assert error(fetch(asset["url"] + "?preset=poster")) == (400, "preset")
    assert error(fetch(asset["url"] + "?preset=thumb&w=10")) == (400, "preset")
    assert fetch(asset["url"] + "?w=100")["statusCode"] == 403  # arbitrary parameters need a signature
    assert error(fetch(asset["url"] + "?width=100")) == (400, "width")
    srcset = asset["srcset"][1]["url"]
    assert set(dict(parse_qsl(urlsplit(srcset).query))) == {"w", "fm", "sig"}  # signed, and never expires
    assert image(fetch(srcset, accept="image/avif,image/webp")).size == (640, 512)


def test_the_availability_window_hides_every_url_but_not_the_asset(cdn: Stack) -> None:
    asset = update(cdn, ready(cdn)["id"], is_public=True)
    now = datetime.now(UTC)
    later = update(cdn, asset["id"], available_from=(now + timedelta(hours=1)).isoformat())
    assert fetch(later["url"])["statusCode"] == 404
    assert fetch(later["renditions"][0]["url"])["statusCode"] == 404
    status, shown, _ = cdn.call("get_asset", path_params={"asset_id": asset["id"]})
    assert status == 200  # the owner still sees it
    assert shown["available_from"]
    inside = update(
        cdn,
        asset["id"],
        available_from=(now - timedelta(hours=1)).isoformat(),
        available_until=(now + timedelta(seconds=120)).isoformat(),
    )
    answer = fetch(inside["url"])
    assert answer["statusCode"] == 200
    assert int(answer["headers"]["Cache-Control"].split("s-maxage=")[1]) <= 120  # no cached copy outlives it
    over = update(cdn, asset["id"], available_until=(now - timedelta(seconds=1)).isoformat())
    assert fetch(over["url"])["statusCode"] == 404
    status, refused, _ = cdn.call(
        "update_asset",
        path_params={"asset_id": asset["id"]},
        body={"available_from": now.isoformat(), "available_until": (now - timedelta(days=1)).isoformat()},
    )
    assert (status, refused["field"]) == (400, "available_until")


def test_fm_auto_follows_accept(cdn: Stack) -> None:
    asset = ready(cdn)
    url = signed_url(asset, w="200", fm="auto", exp=str(int(datetime.now(UTC).timestamp()) + 600))
    for accept, expected in (
        ("image/avif,image/webp,*/*", "AVIF"),
        ("image/webp,*/*", "WEBP"),
        ("*/*", "JPEG"),
    ):
        answer = fetch(url, accept=accept)
        assert image(answer).format == expected
        assert "Accept" in answer["headers"]["Vary"]


def test_output_is_upright_srgb_and_carries_no_exif_or_gps(cdn: Stack) -> None:
    camera = files.camera_jpeg(gps=True)
    asset = update(cdn, ready(cdn, camera)["id"], is_public=True)
    source = Image.open(io.BytesIO(camera))
    assert source.getexif()  # the original keeps its metadata, the transform drops it
    for fm in ("jpeg", "webp", "png", "avif"):
        out = image(fetch(signed_url(asset, w="64", fm=fm)))
        assert not out.getexif(), fm
        assert not {"icc_profile", "exif", "xmp"} & set(out.info), fm
    rotated = ready(cdn, files.jpeg(80, 40, orientation=6))
    assert image(fetch(signed_url(rotated, w="20", exp="9999999999"))).size == (20, 40)  # stored 80x40, shown 40x80


def test_cover_crops_around_the_focal_point(cdn: Stack) -> None:
    halves = Image.new("RGB", (400, 200), (255, 0, 0))
    halves.paste((0, 0, 255), (200, 0, 400, 200))
    buffer = io.BytesIO()
    halves.save(buffer, "PNG")
    asset = update(cdn, ready(cdn, buffer.getvalue(), "image/png")["id"], is_public=True)

    def centre_colour(**focal: float) -> tuple[int, ...]:
        if focal:
            update(cdn, asset["id"], focal_point=focal)
        out = image(fetch(signed_url(asset, w="100", h="100", fit="cover", fm="png"))).convert("RGB")
        assert out.size == (100, 100)
        return out.getpixel((50, 50))

    assert centre_colour(x=0.1, y=0.5)[0] > 200  # the left, red half
    assert centre_colour(x=0.9, y=0.5)[2] > 200  # the right, blue half
    contained = image(fetch(signed_url(asset, w="100", h="100", fit="contain", fm="png")))
    assert contained.size == (100, 100)
    assert contained.getpixel((50, 5))[3] == 0  # letterboxed with transparency
    filled = image(fetch(signed_url(asset, w="100", h="100", fit="fill", fm="png")))
    assert filled.size == (100, 100)
    assert image(fetch(signed_url(asset, w="1000", fm="png"))).size == (400, 200)  # never upscaled


def test_limits(cdn: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    asset = update(cdn, ready(cdn)["id"], is_public=True)
    assert error(fetch(signed_url(asset, w="5000"))) == (400, "w")
    assert error(fetch(signed_url(asset, h="2000", dpr="3"))) == (400, "h")
    assert error(fetch(signed_url(asset, w="100", q="0"))) == (400, "q")
    assert error(fetch(signed_url(asset, "/small", w="100"))) == (400, "w")
    setting(monkeypatch, "MAX_IMAGE_PIXELS", "100000")  # the 1000x800 photo is over it: refused, not decoded
    assert fetch(signed_url(asset, w="100"))["statusCode"] == 413
    assert fetch(asset["url"])["statusCode"] == 200  # the original is still served


def test_large_results_are_stored_and_served_from_s3(cdn: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    asset = update(cdn, ready(cdn)["id"], is_public=True)
    setting(monkeypatch, "DELIVERY_INLINE_BYTES", "1000")  # stands for Lambda's 6 MB response limit
    url = signed_url(asset, w="900", fm="png")
    first = fetch(url)
    assert first["statusCode"] == 302
    (stored,) = cdn.keys(f"transforms/acme/{asset['id']}/")
    location = first["headers"]["Location"]
    assert stored in location
    assert Image.open(io.BytesIO(fetched_s3(cdn, stored))).size == (900, 720)
    again = fetch(url)
    assert again["statusCode"] == 302
    assert cdn.keys(f"transforms/acme/{asset['id']}/") == [stored]
    assert fetch(asset["url"])["statusCode"] == 302  # the original too
    cdn.call("delete_asset", path_params={"asset_id": asset["id"]}, query={"permanent": "true"})
    assert cdn.keys(f"transforms/acme/{asset['id']}/") == []  # purged with the asset


def fetched_s3(stack: Stack, key: str) -> bytes:
    import boto3

    return boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()


def test_tenants_trash_and_other_kinds(cdn: Stack) -> None:
    asset = update(cdn, ready(cdn)["id"], is_public=True)
    assert fetch(signed_url(asset, tenant="globex", exp="9999999999"))["statusCode"] == 404
    assert fetch(f"{CDN}/globex/{asset['id']}")["statusCode"] == 404
    document = update(cdn, ready(cdn, text_pdf(["one", "two"]), "application/pdf")["id"], is_public=True)
    assert image(fetch(signed_url(document, w="300", fm="png"))).width == 300  # the first page
    assert document["srcset"] == []
    cdn.call("delete_asset", path_params={"asset_id": asset["id"]})
    assert fetch(asset["url"])["statusCode"] == 404  # in the trash
    assert fetch(asset["url"], method="POST")["statusCode"] == 405


def test_a_change_to_delivery_invalidates_the_cdn(cdn: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    cloudfront = boto3.client("cloudfront")
    origin = {
        "Id": "fn",
        "DomainName": "fn.lambda-url.us-east-1.on.aws",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "test",
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {"TargetOriginId": "fn", "ViewerProtocolPolicy": "https-only"},
            "Comment": "",
            "Enabled": True,
        }
    )["Distribution"]["Id"]
    setting(monkeypatch, "DELIVERY_DISTRIBUTION_ID", distribution)

    def invalidated() -> list[list[str]]:
        cdn.follow_stream()
        listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"].get("Items", [])
        batches = [cloudfront.get_invalidation(DistributionId=distribution, Id=i["Id"]) for i in listed]
        return sorted(b["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] for b in batches)

    asset = ready(cdn)
    assert invalidated() == []  # nothing was delivered before it was ready
    update(cdn, asset["id"], title="not a delivery change")
    assert invalidated() == []
    update(cdn, asset["id"], is_public=True)
    paths = [f"/acme/{asset['id']}*"]
    assert invalidated() == [paths]
    update(cdn, asset["id"], focal_point={"x": 0.2, "y": 0.2})
    cdn.call("delete_asset", path_params={"asset_id": asset["id"]})
    assert invalidated() == [paths, paths]  # the two changes came in one batch: one invalidation


def test_on_aws_large_files_redirect_to_the_bucket_behind_the_cdn(cdn: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    boto3.client("secretsmanager").create_secret(Name="signing-key", SecretString=pem.decode())
    asset = update(cdn, ready(cdn)["id"], is_public=True)
    setting(monkeypatch, "DELIVERY_INLINE_BYTES", "1000")
    monkeypatch.setenv("DELIVERY_KEY_PAIR_ID", "K2JCJMDEHXQW5F")
    setting(monkeypatch, "DELIVERY_SIGNING_KEY", "signing-key")
    answer = fetch(asset["url"])
    assert answer["statusCode"] == 302
    location = urlsplit(answer["headers"]["Location"])
    assert location.netloc == ""  # the browser stays on the CDN's domain
    assert location.path.startswith(f"/_files/originals/acme/{asset['id']}/")
    assert {"Policy", "Signature", "Key-Pair-Id"} == set(dict(parse_qsl(location.query)))


PARAMETER_NAMES = ["w", "h", "fit", "dpr", "q", "fm", "preset", "exp", "sig", "x"]


def test_no_delivery_request_is_answered_with_a_5xx(cdn: Stack) -> None:
    """Any path and query, signed or not: a clear 4xx (or the file), never a server error."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    asset = update(cdn, ready(cdn, files.jpeg(64, 48))["id"], is_public=True)
    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
    odd = ["cover", "auto", "avif", "thumb", "²", "١٢", "1e3", "0x10", " 12", "NaN", "inf", "9" * 40]
    values = st.one_of(text, st.integers(-10, 10_000).map(str), st.sampled_from(odd))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        tail=st.sampled_from(["", "/small", "/large", "/other", "/a/b", "/"]),
        params=st.dictionaries(st.sampled_from(PARAMETER_NAMES), values, max_size=5),
        sign=st.booleans(),
    )
    def check(tail: str, params: dict[str, str], sign: bool) -> None:
        params = {k: v for k, v in params.items() if k != "sig"}
        url = signed_url(asset, tail, **params) if sign else f"{CDN}/acme/{asset['id']}{tail}?{urlencode(params)}"
        answer = fetch(url)
        assert answer["statusCode"] < 500, (url, answer["data"][:200])

    check()


def test_the_signing_key_is_for_write_keys_and_signs_what_the_function_accepts(cdn: Stack) -> None:
    asset = ready(cdn)
    status, _, _ = cdn.call("get_delivery", scopes="assets:read")
    assert status == 403
    status, info, _ = cdn.call("get_delivery")
    assert status == 200
    assert (info["base_url"], info["max_dimension"]) == (CDN, 4096)
    assert info["presets"]["thumb"] == "w=200&h=200&fit=cover"
    key = base64.urlsafe_b64decode(info["secret"] + "=" * (-len(info["secret"]) % 4))
    exp = str(int(datetime.now(UTC).timestamp()) + 60)
    url = CDN + delivery.signed(key, f"/acme/{asset['id']}", {"w": "50", "exp": exp})  # as the README's sign()
    assert image(fetch(url)).width == 50
    status, other, _ = cdn.call("get_delivery", tenant="globex")
    assert other["secret"] != info["secret"]
