"""Downloads answer a 302, or with `redirect=false` the presigned URL as JSON for a browser's script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import boto3

from tests import files
from tests.integration.conftest import Stack

PHOTO = files.jpeg(120, 80)


def fetched(stack: Stack, url: str) -> bytes:
    key = urlparse(url).path.lstrip("/").removeprefix(f"{stack.settings.bucket_name}/")
    return boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()


def test_redirect_false_answers_the_url_instead_of_the_302(stack: Stack) -> None:
    asset = stack.upload(PHOTO)
    stack.drain()
    path = {"asset_id": asset["id"]}
    for route, params in (
        ("download_asset", path),
        ("download_rendition", path | {"name": "small"}),
        ("download_version", path | {"number": "1"}),
    ):
        status, redirected, headers = stack.call(route, path_params=params)
        assert (status, redirected) == (302, None), route
        status, link, headers = stack.call(route, path_params=params, query={"redirect": "false"})
        assert status == 200, (route, link)
        assert headers["Cache-Control"] == "no-store"
        expires_at = datetime.fromisoformat(link["expires_at"])
        ttl = timedelta(seconds=stack.settings.download_url_ttl_seconds)
        assert timedelta(0) < expires_at - datetime.now(UTC) <= ttl, route
        assert fetched(stack, link["url"]).startswith(b"\xff\xd8" if route != "download_rendition" else b"RIFF")
    assert fetched(stack, stack.call("download_asset", path_params=path, query={"redirect": "false"})[1]["url"]) == (
        PHOTO
    )
    status, refused, _ = stack.call("download_asset", path_params=path, query={"redirect": "maybe"})
    assert (status, refused["field"]) == (400, "redirect")
