"""The SDK's uploads with no network: the presigned POST's form, parts retried and signed again, and what an
unfinished upload leaves behind (nothing)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest

from assets_client import ApiError, Backoff, Client
from assets_client.uploads import Cancelled, Uploader, sha256_of

API = "https://api.example.com"
S3 = "https://s3.example.com"
ASSET = {"id": "a" * 32, "status": "pending", "kind": "other", "created_at": "t", "updated_at": "t"}
UPLOAD_ID = "b" * 32
LATER = "2999-01-01T00:00:00.000000Z"


class FakeBackend:
    """The API and S3, as far as an upload sees them; `s3_answers[url]` lists statuses to answer before a 200."""

    def __init__(self, ticket: dict, s3_answers: dict[str, list[int]] | None = None):
        self.ticket = ticket
        self.s3_answers = s3_answers or {}
        self.calls: list[tuple[str, str]] = []
        self.bodies: dict[str, bytes] = {}
        self.completed: list[dict] = []
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        with self.lock:
            self.calls.append((request.method, str(request.url.copy_with(query=None))))
        if request.url.host == "s3.example.com":
            queued = self.s3_answers.get(str(request.url), [])
            if queued:
                return httpx.Response(queued.pop(0), text="<Error/>")
            self.bodies[str(request.url)] = body
            return httpx.Response(204 if request.method == "POST" else 200, headers={"ETag": f'"{request.url.path}"'})
        path = request.url.path
        if (request.method, path) == ("POST", "/v1/uploads"):
            return httpx.Response(201, json={"asset": ASSET, "upload": self.ticket, "duplicate": False})
        if path.endswith("/parts"):
            numbers = json.loads(body)["numbers"]
            parts = [{"number": n, "url": f"{S3}/part{n}?fresh={len(self.calls)}"} for n in numbers]
            return httpx.Response(200, json={"parts": parts, "expires_at": LATER})
        if path.endswith("/complete"):
            self.completed.append(json.loads(body))
            return httpx.Response(200, json={"asset": ASSET, "version": 1})
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(404, json={"error": "not_found", "message": path, "field": None})

    def client(self) -> Client:
        return Client(
            API, "k", backoff=Backoff(retries=3, sleep=lambda _: None), transport=httpx.MockTransport(self.handle)
        )


def multipart_ticket(part_size: int, part_count: int, given: int) -> dict:
    return {
        "method": "multipart",
        "upload_id": UPLOAD_ID,
        "part_size": part_size,
        "part_count": part_count,
        "parts": [{"number": n, "url": f"{S3}/part{n}?first"} for n in range(1, given + 1)],
        "expires_at": LATER,
    }


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 10)  # 2,560 bytes
    return path


def test_parts_are_retried_signed_again_when_refused_and_completed_in_order(data_file: Path) -> None:
    backend = FakeBackend(
        multipart_ticket(part_size=1000, part_count=3, given=2),
        s3_answers={f"{S3}/part2?first": [500, 503], f"{S3}/part1?first": [403]},
    )
    sent = Counter[str]()
    status, _ = Uploader(backend.client(), part_concurrency=2).upload(
        data_file, sha256_of(data_file), progress=lambda n: sent.update(bytes=n)
    )
    assert status == "uploaded"
    data = data_file.read_bytes()
    by_part = {url.split("?")[0].rsplit("part", 1)[1]: body for url, body in backend.bodies.items()}
    assert by_part == {"1": data[:1000], "2": data[1000:2000], "3": data[2000:]}
    assert [p["number"] for p in backend.completed[0]["parts"]] == [1, 2, 3]
    assert [p["etag"] for p in backend.completed[0]["parts"]] == ['"/part1"', '"/part2"', '"/part3"']
    assert next(url for url in backend.bodies if "/part1?" in url).startswith(f"{S3}/part1?fresh=")  # after the 403
    assert next(url for url in backend.bodies if "/part3?" in url).startswith(f"{S3}/part3?fresh=")  # never given
    assert sent["bytes"] == len(data)  # retried bytes are not counted twice


def test_a_part_that_keeps_failing_aborts_the_upload(data_file: Path) -> None:
    backend = FakeBackend(
        multipart_ticket(part_size=1000, part_count=3, given=3), s3_answers={f"{S3}/part2?first": [400]}
    )
    with pytest.raises(ApiError) as raised:
        Uploader(backend.client()).upload(data_file, sha256_of(data_file))
    assert raised.value.status == 400
    assert ("DELETE", f"{API}/v1/uploads/{UPLOAD_ID}") in backend.calls
    assert backend.completed == []


def test_the_presigned_post_sends_every_field_then_the_file(data_file: Path) -> None:
    ticket = {"method": "POST", "url": f"{S3}/bucket", "fields": {"key": "uploads/x", "Content-Type": "image/png"}}
    backend = FakeBackend({**ticket, "expires_at": LATER})
    status, asset = Uploader(backend.client()).upload(data_file, hashlib.sha256(data_file.read_bytes()).hexdigest())
    assert (status, asset["id"]) == ("uploaded", ASSET["id"])
    form = backend.bodies[f"{S3}/bucket"]
    key, content_type, file_part = (
        form.index(b'name="key"'),
        form.index(b'name="Content-Type"'),
        form.index(b'name="file"'),
    )
    assert key < content_type < file_part
    assert data_file.read_bytes() in form[file_part:]


def test_a_cancelled_upload_removes_its_pending_asset(data_file: Path) -> None:
    ticket = {"method": "POST", "url": f"{S3}/bucket", "fields": {"key": "uploads/x"}, "expires_at": LATER}
    backend = FakeBackend(ticket)
    cancel = threading.Event()
    uploader = Uploader(backend.client(), cancel=cancel)
    with pytest.raises(Cancelled):
        uploader.upload(data_file, sha256_of(data_file), progress=lambda _: cancel.set())
    assert ("DELETE", f"{API}/v1/assets/{ASSET['id']}") in backend.calls
    assert f"{S3}/bucket" not in backend.bodies
