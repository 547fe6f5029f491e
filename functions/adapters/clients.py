"""Lazy, cached boto3 clients. Tests inject their own with `override`."""

from __future__ import annotations

from typing import Any

_clients: dict[str, Any] = {}


def get(service: str) -> Any:
    client = _clients.get(service)
    if client is None:
        import boto3
        from botocore.config import Config

        config = Config(
            signature_version="s3v4" if service == "s3" else None,
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
