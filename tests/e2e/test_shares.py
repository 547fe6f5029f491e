"""A share over HTTP and in a real browser: the URL needs no key, the password form unlocks it, files download,
one by one and all at once as a zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import requests

from tests import files
from tests.e2e.conftest import LocalStack
from tests.e2e.test_upload_flow import create_and_upload, wait_until_processed

PHOTO = files.jpeg(640, 480)
PASSWORD = "open sesame"


def shared(local_stack: LocalStack, **fields: object) -> tuple[dict, dict]:
    asset = create_and_upload(local_stack, PHOTO, "Poster.jpg", "image/jpeg")
    wait_until_processed(local_stack, asset["id"])
    made = requests.post(
        f"{local_stack.url}/v1/shares",
        json={"asset_ids": [asset["id"]], **fields},
        headers=local_stack.headers(),
        timeout=10,
    )
    assert made.status_code == 201, made.text
    return asset, made.json()


def test_a_program_opens_a_password_share_without_a_key_and_downloads_the_file(local_stack: LocalStack) -> None:
    asset, share = shared(local_stack, password=PASSWORD, max_downloads=5)
    assert share["url"].startswith(f"{local_stack.url}/v1/shared/")
    json_only = {"Accept": "application/json"}
    locked = requests.get(share["url"], headers=json_only, timeout=10)
    assert (locked.status_code, locked.json()["error"]) == (403, "password_required")
    opened = requests.post(f"{share['url']}/unlock", json={"password": PASSWORD}, timeout=10)
    assert opened.status_code == 200, opened.text
    page = requests.get(share["url"], params={"access": opened.json()["access"]}, headers=json_only, timeout=10)
    assert page.status_code == 200, page.text
    (item,) = page.json()["assets"]
    assert item["id"] == asset["id"]
    downloaded = requests.get(item["download_url"], timeout=10)  # follows the 302 to the presigned GET
    assert downloaded.content == PHOTO
    counted = requests.get(f"{local_stack.url}/v1/shares/{share['id']}", headers=local_stack.headers(), timeout=10)
    assert counted.json()["download_count"] == 1
    revoked = requests.delete(f"{local_stack.url}/v1/shares/{share['id']}", headers=local_stack.headers(), timeout=10)
    assert revoked.status_code == 204
    assert requests.get(share["url"], headers=json_only, timeout=10).status_code == 404


def test_a_person_unlocks_the_page_sees_the_thumbnail_and_downloads(browser, local_stack: LocalStack) -> None:
    _, share = shared(local_stack, password=PASSWORD, note="For the agency")
    page = browser.new_page(accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(share["url"])
        page.fill("#password", "not it")
        page.click("button[type=submit]")
        page.wait_for_selector("#message:not(:empty)")  # selectors, not wait_for_function: the CSP forbids eval
        assert page.text_content("#message") == "wrong password"
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("ul.files img")
        page.wait_for_load_state("load")  # the thumbnail loaded (or failed)
        assert page.text_content(".note") == "For the agency"
        assert page.evaluate("document.querySelector('ul.files img').naturalWidth") == 256  # the small rendition
        with page.expect_download() as download:
            page.click("a.button")
        assert download.value.suggested_filename == "Poster.jpg"
        assert Path(download.value.path()).read_bytes() == PHOTO
        with page.expect_download(timeout=60_000) as zipped:  # "download all": asked for, polled, then fetched
            page.click("#download-all")
        with zipfile.ZipFile(zipped.value.path()) as archive:
            assert archive.read("Poster.jpg") == PHOTO
            assert sorted(archive.namelist()) == ["Poster.jpg", "manifest.csv"]
    finally:
        page.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
