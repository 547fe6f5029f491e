"""Downloads answer a 302, or with `redirect=false` the presigned URL as JSON for a browser's script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import boto3

from functions import schema
from functions.adapters.table import Table, asset_key
from functions.services.deps import get_deps
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


def downloads(stack: Stack, asset_id: str) -> int:
    return stack.call("get_asset", path_params={"asset_id": asset_id})[1]["download_count"]


def test_each_download_of_the_file_counts_once_and_changes_nothing_else(stack: Stack) -> None:
    asset = stack.upload(PHOTO)
    stack.drain()
    path = {"asset_id": asset["id"]}
    before = stack.call("get_asset", path_params=path)[1]
    stack.events()
    assert before["download_count"] == 0
    stack.call("download_asset", path_params=path)
    stack.call("download_asset", path_params=path, query={"redirect": "false"})
    stack.call("download_version", path_params=path | {"number": "1"})
    stack.call("download_rendition", path_params=path | {"name": "small"})  # a rendition is not the file
    after = stack.call("get_asset", path_params=path)[1]
    assert after["download_count"] == 3
    assert (after["updated_at"], after["revision"]) == (before["updated_at"], before["revision"])
    assert stack.events() == []  # a download is not an edit: no asset.updated


def test_a_download_counted_between_another_count_and_its_sort_key_is_not_lost(stack: Stack) -> None:
    """Two downloads interleaved: the second counts between the first's ADD and its sort-key write. The
    count holds both and the `by_downloads` key ends on it, whichever write lands last."""
    asset = stack.upload(PHOTO)
    stack.drain()
    table = get_deps().table
    real = table.client
    interleaved: list[int] = []

    class Interleaving:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def update_item(self, **kwargs: Any) -> Any:
            if kwargs["UpdateExpression"].startswith("SET") and not interleaved:
                interleaved.append(Table(table.name, real).count_download("acme", asset["id"]) or 0)
            return real.update_item(**kwargs)

    racing = Table(table.name, Interleaving())
    assert racing.count_download("acme", asset["id"]) == 1
    assert interleaved == [2]
    item = real.get_item(TableName=table.name, Key=asset_key("acme", asset["id"]))["Item"]
    assert item["download_count"] == {"N": "2"}
    assert item[schema.BY_DOWNLOADS.sort_key] == {"S": f"{2:016d}#{asset['id']}"}


def test_a_deleted_asset_counts_nothing_and_is_not_recreated_by_a_late_count(stack: Stack) -> None:
    asset = stack.upload(PHOTO)
    stack.drain()
    path = {"asset_id": asset["id"]}
    assert stack.call("delete_asset", path_params=path)[0] == 204
    assert get_deps().table.count_download("acme", asset["id"]) is None
    assert stack.call("delete_asset", path_params=path, query={"permanent": "true"})[0] in (204, 404)
    assert get_deps().table.count_download("acme", asset["id"]) is None
    assert stack.call("download_asset", path_params=path)[0] == 404


def test_sort_by_download_count_lists_every_asset_in_count_order(stack: Stack) -> None:
    ids = []
    for times in (2, 0, 5, 1):
        asset = stack.upload(files.jpeg(10 + times, 10))
        ids.append((times, asset["id"]))
    stack.drain()
    for times, asset_id in ids:
        for _ in range(times):
            stack.call("download_asset", path_params={"asset_id": asset_id})
    status, page, _ = stack.call("list_assets", query={"sort": "download_count"})
    assert status == 200, page
    assert [(a["download_count"], a["id"]) for a in page["items"]] == sorted(ids, reverse=True)
    listed = stack.call("list_assets", query={"sort": "download_count", "order": "asc", "limit": "3"})[1]
    assert [a["download_count"] for a in listed["items"]] == [0, 1, 2]
    rest = stack.call(
        "list_assets", query={"sort": "download_count", "order": "asc", "limit": "3", "cursor": listed["next_cursor"]}
    )[1]
    assert [a["download_count"] for a in rest["items"]] == [5]
    filtered = stack.call("list_assets", query={"sort": "download_count", "kind": "image"})[1]
    assert [a["download_count"] for a in filtered["items"]] == [5, 2, 1, 0]


def test_a_copy_starts_with_no_downloads(stack: Stack) -> None:
    asset = stack.upload(PHOTO)
    stack.drain()
    stack.call("download_asset", path_params={"asset_id": asset["id"]})
    status, copy, _ = stack.call("copy_asset", path_params={"asset_id": asset["id"]}, body={})
    assert (status, copy["download_count"]) == (201, 0), copy
