"""Uploading a file as the API asks: its SHA-256 first (a file the library holds is not sent again), then one
presigned POST up to the single-upload limit, or presigned parts beyond it (retried, re-signed when their URLs
expire, several at a time), and completion. A failed or cancelled upload removes what it made: the multipart
upload is aborted (`DELETE /v1/uploads/{id}`, which purges the pending asset), a single POST's pending asset is
deleted for good, so no half-made asset is left."""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import httpx

from assets_client._generated import Asset, MultipartTicket, UploadRequest, UploadTicket
from assets_client.client import Client, retryable
from assets_client.errors import ApiError

CHUNK = 256 * 1024
"""Bytes read, hashed and sent at a time: the granularity of progress and of cancelling."""
MAX_PART_URLS = 1000
"""Part URLs one `POST /v1/uploads/{id}/parts` hands out."""
RESIGN_MARGIN = timedelta(seconds=30)
"""Part URLs this close to their expiry are signed again before use."""
DEFAULT_CONTENT_TYPE = "application/octet-stream"

Progress = Callable[[int], None]
"""Called with each number of bytes sent (negative when a retried request starts over)."""


class Cancelled(Exception):
    """The upload was cancelled (Ctrl-C): what it had made is removed."""


@dataclass
class Outcome:
    path: Path
    status: Literal["hashed", "uploaded", "duplicate", "failed", "cancelled"]
    """`hashed` until it is sent (or found to be a duplicate)."""
    asset: Asset | None = None
    reason: str | None = None
    sha256: str | None = None
    size: int = 0


def sha256_of(path: Path, progress: Progress | None = None, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


def content_type_of(path: Path) -> str:
    guessed = mimetypes.guess_type(path.name)[0]
    return guessed.lower() if guessed else DEFAULT_CONTENT_TYPE


def _expired(expires_at: str) -> bool:
    return datetime.fromisoformat(expires_at.replace("Z", "+00:00")) - RESIGN_MARGIN <= datetime.now(UTC)


class Uploader:
    """Uploads files through `client`; `cancel` (set by the CLI on Ctrl-C) stops every upload at its next chunk."""

    def __init__(self, client: Client, *, part_concurrency: int = 4, cancel: threading.Event | None = None):
        self.client = client
        self.part_concurrency = part_concurrency
        self.cancel = cancel or threading.Event()

    def upload(
        self,
        path: Path,
        sha256: str,
        *,
        folder_id: str | None = None,
        tags: list[str] | None = None,
        progress: Progress | None = None,
    ) -> tuple[Literal["uploaded", "duplicate"], Asset]:
        """Declares the file (with its SHA-256) and sends its bytes unless the library holds them already."""
        self._check()
        request: UploadRequest = {
            "filename": path.name,
            "content_type": content_type_of(path),
            "size": path.stat().st_size,
            "sha256": sha256,
        }
        if folder_id:
            request["folder_id"] = folder_id
        if tags:
            request["tags"] = tags
        created = self.client.create_upload(request)
        ticket = created["upload"]
        if created["duplicate"] or ticket is None:
            return "duplicate", created["asset"]
        try:
            if ticket["method"] == "POST":
                self._post(path, ticket, progress or _ignore)
                return "uploaded", created["asset"]
            return "uploaded", self._multipart(path, ticket, progress or _ignore)
        except BaseException:
            self._remove(created["asset"]["id"], ticket)
            raise

    def wait(self, asset_id: str, timeout: float, interval: float = 0.5) -> Asset:
        """The asset once `ready` or `failed`; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            self._check()
            asset = self.client.get_asset(asset_id)
            if asset["status"] != "pending":
                return asset
            if time.monotonic() > deadline:
                raise TimeoutError(f"asset {asset_id} still pending after {timeout:.0f} s")
            time.sleep(interval)

    def _check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled

    def _remove(self, asset_id: str, ticket: UploadTicket | MultipartTicket) -> None:
        """What an unfinished upload made: the multipart upload aborted (its pending asset purged with it), or a
        single POST's pending asset deleted for good."""
        try:
            if ticket["method"] == "multipart":
                self.client.abort_upload(ticket["upload_id"])
            else:
                self.client.delete_asset(asset_id, permanent=True)
        except ApiError as error:
            if error.status != 404:
                raise

    def _chunks(self, path: Path, offset: int, length: int, progress: Progress, sent: list[int]) -> Iterator[bytes]:
        with path.open("rb") as file:
            file.seek(offset)
            while length > 0:
                self._check()
                chunk = file.read(min(CHUNK, length))
                if not chunk:
                    raise ApiError(None, "file_changed", f"{path} is shorter than when it was hashed")
                length -= len(chunk)
                sent[0] += len(chunk)
                progress(len(chunk))
                yield chunk
        self._check()  # cancelled while the last chunk went: the request is not finished, nor is the upload

    def _send(self, build: Callable[[list[int]], httpx.Request], progress: Progress) -> httpx.Response:
        """Sends a request to S3 whose body is streamed from the file, again (rebuilt) after a 5xx or a lost
        answer: an upload of the same bytes to the same place is idempotent."""
        backoff = self.client.backoff
        attempt = 0
        while True:
            sent = [0]
            try:
                response = self.client.http.send(build(sent))
            except httpx.TransportError as error:
                progress(-sent[0])
                if attempt >= backoff.retries:
                    raise ApiError.from_transport(error) from error
                backoff.wait(attempt)
            else:
                if response.status_code < 300:
                    return response
                progress(-sent[0])
                if attempt >= backoff.retries or not retryable("PUT", True, response, None):
                    raise ApiError.from_response(response)
                backoff.wait(attempt)
            attempt += 1

    def _post(self, path: Path, ticket: UploadTicket, progress: Progress) -> None:
        """The presigned POST: every field of the ticket, then the file, as multipart/form-data (streamed, with
        its length, which S3 requires)."""
        boundary = secrets.token_hex(16)
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in ticket["fields"].items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
            f"Content-Type: {ticket['fields'].get('Content-Type', DEFAULT_CONTENT_TYPE)}\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = path.stat().st_size

        def build(sent: list[int]) -> httpx.Request:
            def body() -> Iterator[bytes]:
                yield head
                yield from self._chunks(path, 0, size, progress, sent)
                yield tail

            headers = {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail)),
            }
            return self.client.http.build_request("POST", ticket["url"], content=body(), headers=headers)

        self._send(build, progress)

    def _multipart(self, path: Path, ticket: MultipartTicket, progress: Progress) -> Asset:
        urls = PartUrls(self.client, ticket)
        size, part_size = path.stat().st_size, ticket["part_size"]

        def put(number: int) -> dict[str, str]:
            offset = (number - 1) * part_size
            length = min(part_size, size - offset)

            def build(sent: list[int]) -> httpx.Request:
                body = self._chunks(path, offset, length, progress, sent)
                headers = {"Content-Length": str(length)}
                return self.client.http.build_request("PUT", urls.url(number), content=body, headers=headers)

            try:
                response = self._send(build, progress)
            except ApiError as error:
                if error.status != 403:  # S3's answer to an expired URL: sign it again, once
                    raise
                urls.expire(number)
                response = self._send(build, progress)
            return {"number": number, "etag": response.headers["etag"]}

        with ThreadPoolExecutor(self.part_concurrency, thread_name_prefix="part") as pool:
            parts = list(pool.map(put, range(1, ticket["part_count"] + 1)))
        self._check()
        return self.client.complete_upload(ticket["upload_id"], {"parts": parts})["asset"]


class PartUrls:
    """The presigned URL of each part: the ticket's first ones, more (up to 1,000 at a time) as they are needed,
    fresh ones when they are about to expire or S3 refused one."""

    def __init__(self, client: Client, ticket: MultipartTicket):
        self.client = client
        self.upload_id = ticket["upload_id"]
        self.count = ticket["part_count"]
        self.urls = {p["number"]: (p["url"], ticket["expires_at"]) for p in ticket["parts"]}
        self.lock = threading.Lock()

    def url(self, number: int) -> str:
        with self.lock:
            known = self.urls.get(number)
            if known is None or _expired(known[1]):
                numbers = list(range(number, min(self.count, number + MAX_PART_URLS - 1) + 1))
                signed = self.client.sign_upload_parts(self.upload_id, {"numbers": numbers})
                self.urls.update({p["number"]: (p["url"], signed["expires_at"]) for p in signed["parts"]})
            return self.urls[number][0]

    def expire(self, number: int) -> None:
        with self.lock:
            self.urls.pop(number, None)


def _ignore(_: int) -> None:
    """No progress to report."""
