"""CloudFront signed URLs for the bucket behind the CDN, and the deploy-time key pair they are signed with."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from functions.adapters.edge import FILES_PATH, EdgeSigner


def _unbase64(value: str) -> bytes:
    return base64.b64decode(value.replace("-", "+").replace("_", "=").replace("~", "/"))


def test_a_signed_url_is_relative_and_verifies_with_the_public_key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    url = EdgeSigner("K2JCJMDEHXQW5F", lambda: pem.decode()).url("originals/acme/0123/abcd", 1_800_000_000)
    parts = urlsplit(url)
    assert parts.netloc == ""  # relative: resolved on the domain the browser asked
    assert parts.path == f"{FILES_PATH}originals/acme/0123/abcd"
    query = dict(parse_qsl(parts.query))
    assert query["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    policy = _unbase64(query["Policy"])
    (statement,) = json.loads(policy)["Statement"]
    assert statement == {
        "Resource": "http*://*/_files/originals/acme/0123/abcd",
        "Condition": {"DateLessThan": {"AWS:EpochTime": 1_800_000_000}},
    }
    private.public_key().verify(_unbase64(query["Signature"]), policy, padding.PKCS1v15(), hashes.SHA1())
