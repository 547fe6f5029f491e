"""A real browser (Debian's chromium, driven by Playwright) uses the local stack from a page on another origin.

The page uploads a photo with a progress bar (XHR `upload.onprogress`), waits for `ready`, then shows the
`small` rendition and a responsive `<img srcset>` through their delivery URLs. The same page from an origin
`CORS_ALLOW_ORIGIN` does not list is refused by the browser.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests import files
from tests.e2e.conftest import LocalStack

PAGE = (Path(__file__).parent / "browser_page.html").read_text()


class Page(BaseHTTPRequestHandler):
    api = ""
    key = ""

    def do_GET(self) -> None:
        body = PAGE.replace("__CONFIG__", json.dumps({"api": self.api, "key": self.key})).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page_server(local_stack: LocalStack) -> Iterator[int]:
    handler = type("StackPage", (Page,), {"api": local_stack.url, "key": local_stack.key})
    server = ThreadingHTTPServer(("127.0.0.1", local_stack.page_port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield local_stack.page_port
    server.shutdown()


def run_page(browser, origin: str, tmp_path: Path) -> dict:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(files.jpeg(1400, 700))
    page = browser.new_page()
    try:
        page.goto(origin)
        page.set_input_files("#file", str(photo))
        page.click("#upload")
        page.wait_for_function("window.result !== undefined", timeout=60_000)
        return page.evaluate("window.result")
    finally:
        page.close()


def test_a_page_uploads_with_progress_and_shows_delivery_urls(browser, page_server, tmp_path) -> None:
    result = run_page(browser, f"http://127.0.0.1:{page_server}", tmp_path)
    assert result["error"] is None, result
    assert result["status"] == "ready"
    assert result["progress_events"] >= 1
    assert result["progress"] == result["total"] > 0  # the bar reached the file's size
    assert result["small"] == {"width": 256, "height": 128}  # the small rendition, loaded by the browser
    # a 700 px slot at dpr 1 picks the 960 px candidate of the srcset, a transform the CDN made (the browser
    # reports its size in CSS pixels: 960 px at a density of 960/700)
    assert "w=960" in result["responsive"]["src"]
    assert result["responsive"]["width"] in (699, 700)


def test_a_page_from_an_origin_not_listed_is_refused(browser, page_server, tmp_path) -> None:
    result = run_page(browser, f"http://localhost:{page_server}", tmp_path)
    assert result["status"] is None
    assert "Failed to fetch" in result["error"]  # the browser kept the API's answer from the script
