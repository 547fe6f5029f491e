"""CloudFront signed URLs (custom policy, RSA-SHA1 as CloudFront requires) for the bucket behind the CDN.

The policy's resource is `http*://*/_files/{key}`: any of the distribution's domains (its own or a custom one),
so the delivery function, which is the distribution's origin and is not told its domain, answers a relative
redirect (`Location: /_files/...?Policy=..&Signature=..&Key-Pair-Id=..`) that the browser resolves on the
domain it asked.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import cached_property
from typing import Any

FILES_PATH = "/_files/"
"""The distribution's behaviour for the bucket: it needs a signed URL, and strips this prefix to get the key."""


def _cloudfront_base64(data: bytes) -> str:
    return base64.b64encode(data).decode().replace("+", "-").replace("=", "_").replace("/", "~")


class EdgeSigner:
    def __init__(self, key_pair_id: str, private_key: Callable[[], str]):
        self.key_pair_id = key_pair_id
        self._private_key = private_key

    @cached_property
    def key(self) -> Any:
        from cryptography.hazmat.primitives import serialization

        return serialization.load_pem_private_key(self._private_key().encode(), password=None)

    def url(self, key: str, expires: int) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        path = FILES_PATH + key
        statement = {"Resource": f"http*://*{path}", "Condition": {"DateLessThan": {"AWS:EpochTime": expires}}}
        policy = json.dumps({"Statement": [statement]}, separators=(",", ":")).encode()
        signature = self.key.sign(policy, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 - CloudFront's algorithm
        return (
            f"{path}?Policy={_cloudfront_base64(policy)}&Signature={_cloudfront_base64(signature)}"
            f"&Key-Pair-Id={self.key_pair_id}"
        )
