"""`make dev` serves delivery URLs at `/cdn` from the same function as the CDN's origin on AWS."""

from __future__ import annotations

import io

import requests
from PIL import Image

from tests import files
from tests.e2e.conftest import ORIGIN, OTHER_ORIGIN, LocalStack
from tests.e2e.test_upload_flow import wait_until_processed


def test_assets_carry_urls_that_the_local_cdn_serves(local_stack: LocalStack) -> None:
    data = files.jpeg(1400, 700)
    created = requests.post(
        f"{local_stack.url}/v1/uploads",
        json={"filename": "wide.jpg", "content_type": "image/jpeg", "size": len(data)},
        headers=local_stack.headers(),
        timeout=10,
    ).json()
    upload = created["upload"]
    posted = requests.post(upload["url"], data=upload["fields"], files={"file": ("wide.jpg", data)}, timeout=10)
    assert posted.status_code == 204
    asset = wait_until_processed(local_stack, created["asset"]["id"])
    shown = requests.get(f"{local_stack.url}/v1/assets/{asset['id']}", headers=local_stack.headers(), timeout=10).json()
    assert shown["url"].startswith(f"{local_stack.url}/cdn/dev/{asset['id']}?")

    original = requests.get(shown["url"], headers={"Origin": ORIGIN}, timeout=10)
    assert original.content == data
    assert original.headers["Access-Control-Allow-Origin"] == ORIGIN
    small = requests.get(shown["renditions"][1]["url"], timeout=10)
    assert Image.open(io.BytesIO(small.content)).format == "WEBP"
    widths = [entry["width"] for entry in shown["srcset"]]
    assert widths == [320, 640, 960, 1280]
    served = requests.get(shown["srcset"][0]["url"], headers={"Accept": "image/avif,image/webp"}, timeout=10)
    assert served.headers["Content-Type"] == "image/avif"
    assert Image.open(io.BytesIO(served.content)).size == (320, 160)
    refused = requests.get(shown["url"], headers={"Origin": OTHER_ORIGIN}, timeout=10)
    assert "Access-Control-Allow-Origin" not in refused.headers  # a script on another origin can't read it
    tampered = requests.get(shown["url"].replace("sig=", "sig=x"), timeout=10)
    assert tampered.status_code == 403
    assert tampered.json()["error"] == "forbidden"
