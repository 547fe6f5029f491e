"""Shares: the management API (tenant-scoped) and the public URL (token only), end to end through the handlers."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest

from functions import schema
from functions.services import shares
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import CDN, Stack

JSON = {"Accept": "application/json"}


def ready(stack: Stack, count: int = 1, tenant: str = "acme", **fields: Any) -> list[dict]:
    made = [stack.upload(files.jpeg(20 + i, 20), tenant=tenant, **fields) for i in range(count)]
    stack.drain()
    return made


def share(stack: Stack, body: dict, tenant: str = "acme") -> dict:
    status, created, _ = stack.call("create_share", body=body, tenant=tenant)
    assert status == 201, created
    return created


def token_of(created: dict) -> str:
    return urlparse(created["url"]).path.rsplit("/", 1)[1]


def visit(stack: Stack, token: str, query: dict | None = None, headers: dict | None = None) -> tuple[int, Any, dict]:
    return stack.call("view_share", path_params={"token": token}, tenant=None, headers=headers or JSON, query=query)


def test_a_share_url_shows_its_assets_to_anyone_with_it(cdn: Stack) -> None:
    stack = cdn
    one, two = ready(stack, 2)
    created = share(stack, {"asset_ids": [two["id"], one["id"]], "note": "For the agency"})
    assert created["url"].startswith("https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/shared/")
    token = token_of(created)
    assert len(token) >= 22  # at least 128 bits, url-safe base64
    status, shown, _headers = visit(stack, token)
    assert status == 200, shown
    assert [a["id"] for a in shown["assets"]] == [two["id"], one["id"]]
    assert shown["note"] == "For the agency"
    first = shown["assets"][0]
    assert set(first) <= {
        "id",
        "kind",
        "filename",
        "title",
        "alt",
        "content_type",
        "size",
        "width",
        "height",
        "thumbnail_url",
        "download_url",
    }  # never notes, tags, custom fields or anything else of the tenant
    assert first["thumbnail_url"].startswith(f"{CDN}/acme/{two['id']}/small?")
    assert first["width"] == 21
    assert first["download_url"].endswith(f"/v1/shared/{token}/assets/{two['id']}/download")


def test_the_token_is_stored_only_hashed_and_shown_once(stack: Stack) -> None:
    (asset,) = ready(stack)
    created = share(stack, {"asset_ids": [asset["id"]]})
    token = token_of(created)
    table = get_deps().table
    items = table.client.scan(TableName=table.name)["Items"]  # a test may look at everything
    assert token not in str(items)
    assert shares.token_hash(token) in str(items)
    status, fetched, _ = stack.call("get_share", path_params={"share_id": created["id"]})
    assert status == 200
    assert fetched["url"] is None
    assert {k: v for k, v in fetched.items() if k != "url"} == {k: v for k, v in created.items() if k != "url"}


def test_a_visitor_downloads_through_the_share_and_each_download_counts(stack: Stack) -> None:
    (asset,) = ready(stack)
    created = share(stack, {"asset_ids": [asset["id"]], "max_downloads": 2})
    token = token_of(created)
    path = {"token": token, "asset_id": asset["id"]}
    status, _, headers = stack.call("download_shared", path_params=path, tenant=None)
    assert status == 302
    assert "originals/acme/" in headers["Location"]
    status, link, _ = stack.call("download_shared", path_params=path, tenant=None, query={"redirect": "false"})
    assert status == 200
    assert link["url"]
    assert stack.call("get_share", path_params={"share_id": created["id"]})[1]["download_count"] == 2
    assert stack.call("get_asset", path_params={"asset_id": asset["id"]})[1]["download_count"] == 2
    status, refused, _ = stack.call("download_shared", path_params=path, tenant=None)
    assert (status, refused["error"]) == (410, "gone")
    assert visit(stack, token)[0] == 410  # used up: the page too


def test_an_expired_share_answers_410_and_a_past_expiry_is_refused(stack: Stack) -> None:
    (asset,) = ready(stack)
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    status, refused, _ = stack.call("create_share", body={"asset_ids": [asset["id"]], "expires_at": past})
    assert (status, refused["field"]) == (400, "expires_at")
    soon = datetime.now(UTC) + timedelta(hours=1)
    created = share(stack, {"asset_ids": [asset["id"]], "expires_at": soon.isoformat()})
    token = token_of(created)
    assert visit(stack, token)[0] == 200
    item = get_deps().shares.get("acme", created["id"])
    assert item is not None
    assert item.ttl == int(soon.timestamp()) + shares.RETAINED_SECONDS
    get_deps().shares.update(item, {"expires_at": datetime.now(UTC) - timedelta(seconds=1)})
    status, gone, _ = visit(stack, token)
    assert (status, gone["error"]) == (410, "gone")
    status, _, _ = stack.call("download_shared", path_params={"token": token, "asset_id": asset["id"]}, tenant=None)
    assert status == 410


def test_revoking_a_share_closes_its_url_at_once(stack: Stack) -> None:
    (asset,) = ready(stack)
    created = share(stack, {"asset_ids": [asset["id"]]})
    assert stack.call("delete_share", path_params={"share_id": created["id"]})[0] == 204
    assert visit(stack, token_of(created))[0] == 404
    assert stack.call("get_share", path_params={"share_id": created["id"]})[0] == 404
    assert stack.call("list_asset_shares", path_params={"asset_id": asset["id"]})[1]["items"] == []


def test_a_password_share_shows_nothing_without_it_and_throttles_wrong_guesses(stack: Stack) -> None:
    (asset,) = ready(stack)
    created = share(stack, {"asset_ids": [asset["id"]], "password": "correct horse"})
    assert created["has_password"] is True
    token = token_of(created)
    status, refused, _ = visit(stack, token)
    assert (status, refused["error"]) == (403, "password_required")
    download = {"token": token, "asset_id": asset["id"]}
    assert stack.call("download_shared", path_params=download, tenant=None)[0] == 403
    assert visit(stack, token, query={"access": "forged"})[0] == 403
    unlock = {"token": token}
    status, opened, _ = stack.call("unlock_share", path_params=unlock, body={"password": "correct horse"}, tenant=None)
    assert status == 200, opened
    status, shown, _ = visit(stack, token, query={"access": opened["access"]})
    assert status == 200
    assert len(shown["assets"]) == 1
    assert parse_qs(urlparse(shown["assets"][0]["download_url"]).query)["access"] == [opened["access"]]
    status, _, headers = stack.call(
        "download_shared", path_params=download, tenant=None, query={"access": opened["access"]}
    )
    assert status == 302
    for _ in range(shares.GUESSES):
        status, wrong, _ = stack.call("unlock_share", path_params=unlock, body={"password": "guess"}, tenant=None)
        assert (status, wrong["field"]) == (403, "password")
    status, locked, headers = stack.call(
        "unlock_share", path_params=unlock, body={"password": "correct horse"}, tenant=None
    )
    assert (status, locked["error"]) == (429, "too_many_attempts")
    assert 0 < int(headers["Retry-After"]) <= shares.LOCK_SECONDS + 1


def test_a_new_password_ends_the_access_given_for_the_old_one(stack: Stack) -> None:
    (asset,) = ready(stack)
    created = share(stack, {"asset_ids": [asset["id"]], "password": "first password"})
    token = token_of(created)
    opened = stack.call("unlock_share", path_params={"token": token}, body={"password": "first password"}, tenant=None)
    access = opened[1]["access"]
    status, updated, _ = stack.call(
        "update_share", path_params={"share_id": created["id"]}, body={"password": "second password", "note": "hi"}
    )
    assert status == 200
    assert updated["note"] == "hi"
    assert updated["has_password"]
    assert visit(stack, token, query={"access": access})[0] == 403
    status, updated, _ = stack.call("update_share", path_params={"share_id": created["id"]}, body={"password": None})
    assert status == 200
    assert updated["has_password"] is False
    assert visit(stack, token)[0] == 200


def test_assets_out_of_their_window_or_in_the_trash_are_not_shown(stack: Stack) -> None:
    shown_one, later, trashed = ready(stack, 3)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert (
        stack.call("update_asset", path_params={"asset_id": later["id"]}, body={"available_from": tomorrow})[0] == 200
    )
    created = share(stack, {"asset_ids": [shown_one["id"], later["id"], trashed["id"]]})
    assert stack.call("delete_asset", path_params={"asset_id": trashed["id"]})[0] == 204
    token = token_of(created)
    assert [a["id"] for a in visit(stack, token)[1]["assets"]] == [shown_one["id"]]
    for hidden in (later, trashed):
        status, _, _ = stack.call(
            "download_shared", path_params={"token": token, "asset_id": hidden["id"]}, tenant=None
        )
        assert status == 404
    assert stack.call("restore_asset", path_params={"asset_id": trashed["id"]})[0] == 200
    assert trashed["id"] in [a["id"] for a in visit(stack, token)[1]["assets"]]


def test_a_purged_asset_leaves_its_shares_and_an_emptied_share_is_revoked(stack: Stack) -> None:
    keep, gone = ready(stack, 2)
    both = share(stack, {"asset_ids": [keep["id"], gone["id"]]})
    alone = share(stack, {"asset_ids": [gone["id"]]})
    path = {"asset_id": gone["id"]}
    assert stack.call("delete_asset", path_params=path, query={"permanent": "true"})[0] == 204
    status, left, _ = stack.call("get_share", path_params={"share_id": both["id"]})
    assert status == 200
    assert left["asset_ids"] == [keep["id"]]
    assert stack.call("get_share", path_params={"share_id": alone["id"]})[0] == 404
    assert visit(stack, token_of(alone))[0] == 404


def test_a_folder_share_shows_the_subtree_as_it_is_at_each_visit(stack: Stack) -> None:
    top = stack.call("create_folder", body={"name": "Campaign"})[1]
    inner = stack.call("create_folder", body={"name": "Photos", "parent_id": top["id"]})[1]
    (first,) = ready(stack, folder_id=inner["id"])
    (outside,) = ready(stack)
    created = share(stack, {"folder_id": top["id"]})
    token = token_of(created)
    assert [a["id"] for a in visit(stack, token)[1]["assets"]] == [first["id"]]
    (second,) = ready(stack, folder_id=top["id"])
    assert {a["id"] for a in visit(stack, token)[1]["assets"]} == {first["id"], second["id"]}
    status, _, _ = stack.call("download_shared", path_params={"token": token, "asset_id": outside["id"]}, tenant=None)
    assert status == 404
    found = stack.call("list_asset_shares", path_params={"asset_id": first["id"]})[1]["items"]
    assert [s["id"] for s in found] == [created["id"]]
    assert stack.call("list_shares", query={"asset_id": outside["id"]})[1]["items"] == []


def test_listing_shares_newest_first_with_pages(stack: Stack) -> None:
    (asset,) = ready(stack)
    made = [share(stack, {"asset_ids": [asset["id"]], "note": str(i)})["id"] for i in range(3)]
    page = stack.call("list_shares", query={"limit": "2"})[1]
    rest = stack.call("list_shares", query={"limit": "2", "cursor": page["next_cursor"]})[1]
    assert [s["id"] for s in page["items"] + rest["items"]] == made[::-1]
    assert rest["next_cursor"] is None
    by_asset = stack.call("list_asset_shares", path_params={"asset_id": asset["id"]}, query={"limit": "2"})[1]
    more = stack.call(
        "list_asset_shares",
        path_params={"asset_id": asset["id"]},
        query={"limit": "2", "cursor": by_asset["next_cursor"]},
    )[1]
    assert [s["id"] for s in by_asset["items"] + more["items"]] == made[::-1]


def test_shares_are_tenant_scoped(stack: Stack) -> None:
    (mine,) = ready(stack)
    (theirs,) = ready(stack, tenant="globex")
    folder = stack.call("create_folder", body={"name": "Theirs"}, tenant="globex")[1]
    status, refused, _ = stack.call("create_share", body={"asset_ids": [mine["id"], theirs["id"]]})
    assert (status, refused["field"]) == (404, "asset_ids")
    status, refused, _ = stack.call("create_share", body={"folder_id": folder["id"]})
    assert (status, refused["field"]) == (404, "folder_id")
    created = share(stack, {"asset_ids": [mine["id"]]})
    for route, params in (("get_share", {"share_id": created["id"]}), ("delete_share", {"share_id": created["id"]})):
        assert stack.call(route, path_params=params, tenant="globex")[0] == 404
    assert stack.call("list_shares", tenant="globex")[1]["items"] == []
    assert stack.call("list_asset_shares", path_params={"asset_id": mine["id"]}, tenant="globex")[0] == 404
    token = token_of(created)  # the share never serves another asset of the tenant, nor another tenant's
    for other in (theirs["id"], ready(stack)[0]["id"]):
        status, _, _ = stack.call("download_shared", path_params={"token": token, "asset_id": other}, tenant=None)
        assert status == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"asset_ids": []}, "asset_ids"),
        ({"asset_ids": ["0" * 32] * 2}, "asset_ids"),
        ({"asset_ids": [f"{i:032x}" for i in range(1001)]}, "asset_ids"),
        ({"asset_ids": ["0" * 32], "folder_id": "1" * 32}, None),
        ({"asset_ids": ["0" * 32], "password": "short"}, "password"),
        ({"asset_ids": ["0" * 32], "max_downloads": 0}, "max_downloads"),
        ({"asset_ids": ["0" * 32], "expires_at": "tomorrow"}, "expires_at"),
        ({"asset_ids": ["0" * 32], "owner": "me"}, "owner"),
    ],
)
def test_bad_share_requests_are_400s_naming_the_field(stack: Stack, body: dict, field: str | None) -> None:
    status, refused, _ = stack.call("create_share", body=body)
    assert status == 400, refused
    assert refused["error"] == "invalid_request"
    if field:
        assert refused["field"] == field


def test_the_page_for_people_is_html_without_the_tenant_s_other_fields(stack: Stack) -> None:
    (asset,) = ready(stack, notes="internal: do not publish", title="Poster <b>")
    token = token_of(share(stack, {"asset_ids": [asset["id"]], "note": "<script>alert(1)</script>"}))
    status, html, headers = visit(stack, token, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "script-src 'sha256-" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Poster &lt;b&gt;" in html  # escaped, like the note
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]  # its own, allowed by its hash, and no other
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in headers["Content-Security-Policy"]
    assert html.count("<script") == 1
    assert "internal: do not publish" not in html
    assert f"/v1/shared/{token}/assets/{asset['id']}/download" in html
    status, json_body, _ = visit(stack, token, headers={"Accept": "*/*"})  # curl's default: the page
    assert status == 200
    assert json_body.startswith("<!doctype html>")


def test_a_locked_page_shows_the_password_form_whose_script_the_policy_allows(stack: Stack) -> None:
    (asset,) = ready(stack)
    token = token_of(share(stack, {"asset_ids": [asset["id"]], "password": "open sesame"}))
    status, html, headers = visit(stack, token, headers={"Accept": "text/html"})
    assert status == 403
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in headers["Content-Security-Policy"]
    assert f'data-unlock="https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/shared/{token}/unlock"' in html
    assert asset["id"] not in html


def test_an_unknown_token_is_a_404_for_people_and_programs(stack: Stack) -> None:
    assert visit(stack, "x" * 32)[0] == 404
    status, _, headers = visit(stack, "x" * 32, headers={"Accept": "text/html"})
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")


def test_the_share_and_its_token_share_one_lifetime(stack: Stack) -> None:
    (asset,) = ready(stack)
    created = share(stack, {"asset_ids": [asset["id"]]})
    soon = datetime.now(UTC) + timedelta(days=2)
    status, _, _ = stack.call(
        "update_share", path_params={"share_id": created["id"]}, body={"expires_at": soon.isoformat()}
    )
    assert status == 200
    table = get_deps().table
    token_item = table.client.get_item(
        TableName=table.name,
        Key={"pk": {"S": f"ST#{shares.token_hash(token_of(created))}"}, "sk": {"S": schema.SHARE_TOKEN_SK}},
    )["Item"]
    assert int(token_item[schema.TTL_ATTRIBUTE]["N"]) == int(soon.timestamp()) + shares.RETAINED_SECONDS


def test_a_shared_link_and_video_show_their_address_and_have_nothing_to_download(stack: Stack) -> None:
    (photo,) = ready(stack)
    made = [
        stack.call("create_asset", body=body)[1]
        for body in (
            {"kind": "link", "url": "https://example.com/brief", "title": "Brief"},
            {"kind": "external_video", "url": "https://youtu.be/dQw4w9WgXcQ"},
        )
    ]
    token = token_of(share(stack, {"asset_ids": [photo["id"], *(m["id"] for m in made)]}))
    _, shown, _ = visit(stack, token)
    link, video = shown["assets"][1:]
    assert link == {"id": made[0]["id"], "kind": "link", "title": "Brief", "url": "https://example.com/brief"}
    assert video["embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert "download_url" not in video
    status, refused, _ = stack.call(
        "download_shared", path_params={"token": token, "asset_id": made[0]["id"]}, tenant=None
    )
    assert (status, refused["error"]) == (409, "not_a_file")
    _, html, _ = visit(stack, token, headers={"Accept": "text/html"})
    assert 'href="https://example.com/brief"' in html


def test_download_all_zips_what_the_share_shows_and_nothing_else(stack: Stack) -> None:
    first, second, hidden = ready(stack, 3)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    stack.call("update_asset", path_params={"asset_id": hidden["id"]}, body={"available_from": tomorrow})
    link = stack.call("create_asset", body={"kind": "link", "url": "https://example.com/brief"})[1]
    created = share(
        stack, {"asset_ids": [first["id"], second["id"], hidden["id"], link["id"]], "password": "zip it up"}
    )
    token = token_of(created)
    assert stack.call("export_shared", path_params={"token": token}, tenant=None)[0] == 403  # the password first
    access = stack.call("unlock_share", path_params={"token": token}, body={"password": "zip it up"}, tenant=None)[1]
    query = {"access": access["access"]}
    status, started, _ = stack.call("export_shared", path_params={"token": token}, tenant=None, query=query)
    assert (status, started["status"]) == (202, "pending")
    stack.run_exports()
    path = {"token": token, "export_id": started["id"]}
    status, done, _ = stack.call("get_shared_export", path_params=path, tenant=None, query=query)
    assert (status, done["status"]) == (200, "ready")
    key = schema.export_key("acme", started["id"])
    data = boto3.client("s3").get_object(Bucket=stack.settings.bucket_name, Key=key)["Body"].read()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == ["file (1).bin", "file.bin", "manifest.csv"]
    listed = archive.read("manifest.csv").decode()
    assert hidden["id"] not in listed  # what the page hides, the zip does not even name
    assert link["id"] not in listed
    assert stack.call("get_share", path_params={"share_id": created["id"]})[1]["download_count"] == 1


def test_a_share_s_zip_is_read_through_that_share_only_even_once_used_up(stack: Stack) -> None:
    (asset,) = ready(stack)
    used_up = token_of(share(stack, {"asset_ids": [asset["id"]], "max_downloads": 1}))
    other = token_of(share(stack, {"asset_ids": [asset["id"]]}))
    started = stack.call("export_shared", path_params={"token": used_up}, tenant=None)[1]
    stack.run_exports()
    assert stack.call("export_shared", path_params={"token": used_up}, tenant=None)[0] == 410  # the zip counted
    mine = {"token": used_up, "export_id": started["id"]}
    status, done, _ = stack.call("get_shared_export", path_params=mine, tenant=None)
    assert (status, done["status"]) == (200, "ready")
    status, _, _ = stack.call("get_shared_export", path_params={**mine, "token": other}, tenant=None)
    assert status == 404
    made_by_the_tenant = stack.call("create_export", body={"asset_ids": [asset["id"]]})[1]
    status, _, _ = stack.call(
        "get_shared_export", path_params={"token": other, "export_id": made_by_the_tenant["id"]}, tenant=None
    )
    assert status == 404
