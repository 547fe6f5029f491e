"""Lazy, cached boto3 clients. Tests inject their own with `override`."""

from __future__ import annotations

import os
from typing import Any

_clients: dict[str, Any] = {}


def get(service: str) -> Any:
    client = _clients.get(service)
    if client is None:
        import boto3
        from botocore.config import Config

        config = Config(
            signature_version="s3v4" if service == "s3" else None,
            s3=s3_addressing(),
            retries={"mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        )
        client = _clients[service] = boto3.client(service, config=config)
    return client


def override(service: str, client: Any) -> None:
    _clients[service] = client


def reset() -> None:
    _clients.clear()


def s3_addressing() -> dict[str, str]:
    """Virtual-hosted style gives presigned URLs on the bucket's regional host (`bucket.s3.<region>...`), so a
    browser POST is never redirected from the global endpoint. An emulator endpoint (AWS_ENDPOINT_URL) needs paths."""
    return {"addressing_style": "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"}
