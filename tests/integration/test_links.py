"""POST /v1/assets: links and external videos, assets without a file, through every route that meets them."""

from __future__ import annotations

import pytest

from functions.services import delivery
from functions.services.deps import get_deps
from tests import files
from tests.integration.conftest import Stack
from tests.integration.test_delivery import error, fetch
from tests.integration.test_listing import everything

YT = "dQw4w9WgXcQ"
VIDEO = f"https://www.youtube.com/watch?v={YT}"


def make(stack: Stack, tenant: str = "acme", headers: dict | None = None, **body) -> tuple[int, dict]:
    status, made, _ = stack.call("create_asset", body={"kind": "link", **body}, tenant=tenant, headers=headers)
    return status, made


def link(stack: Stack, url: str = "https://brand.example.com/guidelines", tenant: str = "acme", **fields) -> dict:
    status, made = make(stack, url=url, tenant=tenant, **fields)
    assert status == 201, made
    return made


def ids(assets: list[dict]) -> list[str]:
    return [asset["id"] for asset in assets]


def test_a_link_is_ready_at_once_with_no_file(stack: Stack) -> None:
    status, made, headers = stack.call(
        "create_asset",
        body={
            "kind": "link",
            "url": "https://brand.example.com/guidelines?v=2#colours",
            "title": "Brand guidelines",
            "tags": ["Brand"],
            "custom": {"owner": "design"},
        },
    )

    assert (status, headers["ETag"]) == (201, f'"{made["revision"]}"')
    assert made["status"] == "ready"
    assert made["kind"] == "link"
    assert made["url"] == "https://brand.example.com/guidelines?v=2#colours"
    assert (made["title"], made["tags"], made["custom"]) == ("Brand guidelines", ["Brand"], {"owner": "design"})
    no_file = ("filename", "content_type", "size", "sha256", "sha1", "provider", "video_id", "embed_url", "error")
    assert {name: made[name] for name in no_file} == dict.fromkeys(no_file)
    assert (made["renditions"], made["srcset"], made["url_expires_at"], made["version"]) == ([], [], None, 1)
    assert stack.keys() == []
    assert stack.call("get_asset", path_params={"asset_id": made["id"]})[1] == made


@pytest.mark.parametrize(
    ("url", "provider", "video_id", "embed_url"),
    [
        (VIDEO, "youtube", YT, f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://youtu.be/{YT}?t=30", "youtube", YT, f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://youtube.com/shorts/{YT}", "youtube", YT, f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://www.youtube.com/embed/{YT}", "youtube", YT, f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://m.youtube.com/live/{YT}", "youtube", YT, f"https://www.youtube-nocookie.com/embed/{YT}"),
        ("https://vimeo.com/76979871", "vimeo", "76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "vimeo",
            "76979871",
            "https://player.vimeo.com/video/76979871",
        ),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://vimeo.com/76979871/0a1b2c3d4e",
            "vimeo",
            "76979871",
            "https://player.vimeo.com/video/76979871?h=0a1b2c3d4e",
        ),
    ],
)
def test_an_external_video_records_its_provider_id_and_player(
    stack: Stack, url: str, provider: str, video_id: str, embed_url: str
) -> None:
    made = link(stack, url=url, kind="external_video", title="Launch film")

    assert (made["kind"], made["status"], made["url"]) == ("external_video", "ready", url)
    assert (made["provider"], made["video_id"], made["embed_url"]) == (provider, video_id, embed_url)


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("link", "http://brand.example.com/"),
        ("link", "ftp://files.example.com/logo.png"),
        ("link", "javascript:alert(document.cookie)"),
        ("link", "https://admin:hunter2@brand.example.com/"),
        ("link", "https://127.0.0.1/admin"),
        ("link", "https://[::1]:8443/"),
        ("link", "https://169.254.169.254/latest/meta-data/"),
        ("link", "https://localhost/"),
        ("link", "https://intranet/"),
        ("link", "https://brand.example.com/" + "a" * 2030),
        ("link", "https://brand.example.com/a path"),
        ("link", ""),
        ("external_video", "https://dailymotion.com/video/x7tgad0"),
        ("external_video", "https://brand.example.com/film.mp4"),
        ("external_video", "https://www.youtube.com/@brand"),
        ("external_video", "https://vimeo.com/brand"),
        ("external_video", f"http://www.youtube.com/watch?v={YT}"),
    ],
)
def test_a_bad_address_is_a_400_naming_url_and_nothing_is_made(stack: Stack, kind: str, url: str) -> None:
    status, refused = make(stack, kind=kind, url=url)

    assert (status, refused["error"], refused["field"]) == (400, "invalid_request", "url")
    assert everything(stack) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "image", "url": "https://brand.example.com/"}, "kind"),
        ({"url": "https://brand.example.com/"}, "kind"),
        ({"kind": "link"}, "url"),
        ({"kind": "link", "url": "https://brand.example.com/", "filename": "x.jpg"}, "filename"),
        ({"kind": "link", "url": "https://brand.example.com/", "folder_id": "0" * 32}, "folder_id"),
    ],
)
def test_the_body_is_checked_like_any_other(stack: Stack, body: dict, field: str) -> None:
    status, refused, _ = stack.call("create_asset", body=body)
    assert (status, refused["field"]) == (400, field)


def test_creation_sends_asset_ready_with_the_address(stack: Stack) -> None:
    stack.events()
    made = link(stack, url=VIDEO, kind="external_video", title="Launch film")

    (event,) = stack.events()

    assert event["detail-type"] == "asset.ready"
    sent = event["detail"]["asset"]
    assert (sent["id"], sent["url"], sent["provider"], sent["video_id"]) == (made["id"], VIDEO, "youtube", YT)
    assert (sent["filename"], sent["size"], sent["content_type"]) == (None, None, None)


def test_an_idempotency_key_makes_one_asset(stack: Stack) -> None:
    headers = {"Idempotency-Key": "link-1"}
    first = make(stack, url="https://brand.example.com/", headers=headers)
    again = make(stack, url="https://brand.example.com/", headers=headers)
    other = make(stack, url="https://brand.example.com/other", headers=headers)

    assert first[0] == again[0] == 201
    assert first[1] == again[1]
    assert (other[0], other[1]["error"]) == (409, "idempotency_conflict")
    assert ids(everything(stack)) == [first[1]["id"]]


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("download_asset", {}),
        ("download_rendition", {"name": "small"}),
        ("download_version", {"number": "1"}),
        ("restore_version", {"number": "1"}),
        ("delete_version", {"number": "1"}),
    ],
)
def test_file_routes_answer_409_not_a_file(stack: Stack, route: str, params: dict) -> None:
    made = link(stack)
    status, refused, _ = stack.call(route, path_params={"asset_id": made["id"], **params})
    assert (status, refused["error"], refused["field"]) == (409, "not_a_file", None)


def test_a_new_version_is_409_and_there_are_no_versions(stack: Stack) -> None:
    made = link(stack, url=VIDEO, kind="external_video")
    body = {"filename": "film.mp4", "content_type": "video/mp4", "size": 100}

    status, refused, _ = stack.call("create_version", path_params={"asset_id": made["id"]}, body=body)

    assert (status, refused["error"]) == (409, "not_a_file")
    assert stack.keys() == []
    status, versions, _ = stack.call("list_versions", path_params={"asset_id": made["id"]})
    assert (status, versions) == (200, {"items": [], "next_cursor": None})
    assert stack.call("get_asset", path_params={"asset_id": made["id"]})[1] == made


@pytest.mark.usefixtures("cdn")
def test_delivery_has_no_url_for_a_link_and_answers_409(stack: Stack) -> None:
    made = link(stack, is_public=True)
    assert made["url"] == "https://brand.example.com/guidelines"
    record = get_deps().table.get_asset("acme", made["id"])
    assert record is not None
    links = delivery.links(get_deps(), "acme")

    for url in (links.url(record), links.url(record, preset="thumb"), links.url(record, w="100")):
        response = fetch(url)
        assert response["statusCode"] == 409, url
        assert response["headers"]["Cache-Control"].startswith("public")

    private = link(stack)
    response = fetch(links.url(get_deps().table.get_asset("acme", private["id"])).split("?")[0])
    assert error(response) == (404, None)  # unsigned: not revealed


def test_patch_and_put_edit_a_link_and_send_asset_updated(stack: Stack) -> None:
    made = link(stack, title="Old")
    stack.events()

    status, patched, _ = stack.call(
        "update_asset", path_params={"asset_id": made["id"]}, body={"title": "Guidelines", "tags": ["brand"]}
    )
    assert (status, patched["title"], patched["tags"], patched["url"]) == (200, "Guidelines", ["brand"], made["url"])
    status, replaced, _ = stack.call("replace_asset", path_params={"asset_id": made["id"]}, body={"alt": "Guide"})
    assert (status, replaced["title"], replaced["alt"], replaced["url"]) == (200, None, "Guide", made["url"])
    status, refused, _ = stack.call(
        "update_asset", path_params={"asset_id": made["id"]}, body={"url": "https://other.example.com/"}
    )
    assert (status, refused["field"]) == (400, "url")

    assert [e["detail-type"] for e in stack.events()] == ["asset.updated", "asset.updated"]


def test_links_filter_by_kind_and_count_in_the_filters(stack: Stack) -> None:
    page = link(stack)
    video = link(stack, url=VIDEO, kind="external_video")
    photo = stack.upload(files.jpeg())
    stack.drain()

    assert ids(everything(stack, kind="link")) == [page["id"]]
    assert ids(everything(stack, kind="external_video")) == [video["id"]]
    assert ids(everything(stack, kind="image")) == [photo["id"]]
    assert ids(everything(stack, status="ready")) == [photo["id"], video["id"], page["id"]]
    status, counted, _ = stack.call("list_assets", query={"kind": "external_video", "include_total": "true"})
    assert (status, counted["total"]) == (200, 1)

    _, filters, _ = stack.call("list_filters")
    kinds = {entry["value"]: entry["count"] for entry in filters["kinds"]}
    assert (kinds["link"], kinds["external_video"], kinds["image"]) == (1, 1, 1)
    assert filters["content_types"] == [{"value": "image/jpeg", "count": 1}]
    assert everything(stack, content_type="image/jpeg") == everything(stack, kind="image")


@pytest.mark.parametrize("sort", ["size", "filename", "title", "created_at", "updated_at"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_lists_links_among_files(stack: Stack, sort: str, order: str) -> None:
    links = [link(stack, title=f"Link {n}") for n in range(3)]
    uploads = [stack.upload(files.jpeg(), title=f"File {n}") for n in range(2)]
    stack.drain()

    listed = everything(stack, sort=sort, order=order, limit=2)

    assert sorted(ids(listed)) == sorted(ids(links + uploads))
    if sort in ("size", "filename"):  # without a file: size 0, an empty name: before every file going up
        position = slice(0, 3) if order == "asc" else slice(2, 5)
        assert set(ids(listed[position])) == set(ids(links))


def test_search_finds_links_by_their_text_host_and_provider(stack: Stack) -> None:
    page = link(stack, url="https://brand.example.com/guidelines", title="Colour rules", tags=["Palette"])
    short = link(stack, url=f"https://youtu.be/{YT}", kind="external_video", description="Launch teaser")
    vimeo = link(stack, url="https://vimeo.com/76979871", kind="external_video")

    def found(q: str, **query: str) -> set[str]:
        return set(ids(everything(stack, q=q, **query)))

    assert found("colour") == {page["id"]}
    assert found("palette") == {page["id"]}
    assert found("teaser") == {short["id"]}
    assert found("brand") == {page["id"]}
    assert found("youtube") == {short["id"]}
    assert found("vimeo") == {vimeo["id"]}
    assert found("vimeo", kind="link") == set()
    assert found("guidelines") == set()  # the path is not searched: only the host name


def test_links_sit_in_folders_and_go_with_a_recursive_delete(stack: Stack) -> None:
    _, brand, _ = stack.call("create_folder", body={"name": "Brand"})
    _, films, _ = stack.call("create_folder", body={"name": "Films", "parent_id": brand["id"]})
    film = link(stack, url=VIDEO, kind="external_video", folder_id=films["id"])
    page = link(stack, folder_id=brand["id"])
    link(stack)

    assert ids(everything(stack, folder_id=films["id"])) == [film["id"]]
    assert ids(everything(stack, folder_id=brand["id"], recursive="true")) == [page["id"], film["id"]]
    assert stack.call("delete_folder", path_params={"folder_id": films["id"]})[0] == 409  # it holds the film

    status, _, _ = stack.call("delete_folder", path_params={"folder_id": brand["id"]}, query={"recursive": "true"})
    assert status == 202
    stack.run_jobs()
    assert stack.call("get_asset", path_params={"asset_id": film["id"]})[0] == 404
    _, trashed, _ = stack.call("list_trash")
    assert set(ids(trashed["items"])) == {film["id"], page["id"]}


def test_a_link_copies_trashes_restores_and_purges(stack: Stack) -> None:
    made = link(stack, url=VIDEO, kind="external_video", title="Launch film")
    stack.events()

    status, copied, _ = stack.call("copy_asset", path_params={"asset_id": made["id"]}, body={})
    assert status == 201
    assert copied["id"] != made["id"]
    same = ("kind", "status", "url", "provider", "video_id", "embed_url", "title")
    assert {k: copied[k] for k in same} == {k: made[k] for k in same}
    assert copied["duplicate_of"] is None
    assert stack.call("list_versions", path_params={"asset_id": copied["id"]})[1]["items"] == []

    assert stack.call("delete_asset", path_params={"asset_id": made["id"]})[0] == 204
    assert stack.call("get_asset", path_params={"asset_id": made["id"]})[0] == 404
    status, restored, _ = stack.call("restore_asset", path_params={"asset_id": made["id"]})
    assert (status, restored["url"], restored["status"]) == (200, VIDEO, "ready")
    assert stack.call("delete_asset", path_params={"asset_id": made["id"]}, query={"permanent": "true"})[0] == 204

    assert [e["detail-type"] for e in stack.events()] == [
        "asset.ready",
        "asset.deleted",
        "asset.restored",
        "asset.deleted",
        "asset.purged",
    ]
    assert ids(everything(stack)) == [copied["id"]]


def test_another_tenant_sees_nothing(stack: Stack) -> None:
    made = link(stack, url=VIDEO, kind="external_video", title="Launch film")
    _, theirs, _ = stack.call("create_folder", body={"name": "Theirs"}, tenant="globex")

    assert stack.call("get_asset", path_params={"asset_id": made["id"]}, tenant="globex")[0] == 404
    assert stack.call("update_asset", path_params={"asset_id": made["id"]}, body={}, tenant="globex")[0] == 404
    assert stack.call("download_asset", path_params={"asset_id": made["id"]}, tenant="globex")[0] == 404
    assert stack.call("delete_asset", path_params={"asset_id": made["id"]}, tenant="globex")[0] == 404
    assert everything(stack, tenant="globex") == []
    assert everything(stack, tenant="globex", q="launch") == []
    status, refused = make(stack, url="https://brand.example.com/", folder_id=theirs["id"])
    assert (status, refused["field"]) == (400, "folder_id")


def test_a_key_without_write_scope_cannot_make_one(stack: Stack) -> None:
    status, refused, _ = stack.call(
        "create_asset", body={"kind": "link", "url": "https://brand.example.com/"}, scopes="assets:read"
    )
    assert (status, refused["error"]) == (403, "forbidden")
