"""HTTP to webhook endpoints: the host's addresses (DNS), and one POST to an address already checked.

The connection goes to that address (pinned: no second lookup can move it), while TLS is verified for the host
name (SNI and certificate check against `host`, urllib3's `server_hostname` / `assert_hostname`). No redirect is
followed, nothing is retried here (the schedule does that), the connect and each read are bounded, and the
answer's body is read up to `MAX_BODY_BYTES` within `BODY_SECONDS`.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse

    from functions.services.webhook_urls import Target

CONNECT_SECONDS = 5.0
READ_SECONDS = 10.0
"""Waiting for the answer's status line, and for each read of its body."""
BODY_SECONDS = 10.0
"""The whole body, however slowly it drips."""
MAX_BODY_BYTES = 64 * 1024
CHUNK_BYTES = 8 * 1024

Resolve = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6), in the resolver's order, each once."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None
    body: bytes
    """Its first `MAX_BODY_BYTES` at most."""


class Unreachable(Exception):
    """No answer: the name did not resolve, the connection failed or timed out, TLS failed."""


class Receivers:
    def __init__(self, resolver: Resolve = resolve):
        self.resolver = resolver

    def addresses(self, host: str, port: int) -> list[str]:
        try:
            return self.resolver(host, port)
        except OSError as error:
            raise Unreachable(f"{host} did not resolve: {error}") from error

    def post(self, address: str, target: Target, body: bytes, headers: dict[str, str]) -> Answer:
        timeout = Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
        default_port = 80 if target.local else 443
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        if target.local:
            pool: HTTPConnectionPool = HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)
        else:
            pool = HTTPSConnectionPool(
                address,
                target.port,
                timeout=timeout,
                retries=False,
                cert_reqs="CERT_REQUIRED",
                server_hostname=target.host,
                assert_hostname=target.host,
            )
        try:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers={**headers, "Host": host_header},
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                return Answer(response.status, response.headers.get("retry-after"), _read(response))
            finally:
                response.release_conn()
        except Urllib3Timeout as error:
            raise Unreachable(f"timed out ({type(error).__name__})") from error
        except SSLError as error:
            raise Unreachable(f"TLS failed: {error}") from error
        except (HTTPError, OSError) as error:
            raise Unreachable(f"connection failed: {type(error).__name__}") from error
        finally:
            pool.close()


def _read(response: BaseHTTPResponse) -> bytes:
    """Up to `MAX_BODY_BYTES` of the body, stopping at `BODY_SECONDS` or a failed read (what came is kept: the
    status already decided the attempt)."""
    deadline = time.monotonic() + BODY_SECONDS
    body = b""
    while len(body) < MAX_BODY_BYTES and time.monotonic() < deadline:
        try:
            chunk = response.read(min(CHUNK_BYTES, MAX_BODY_BYTES - len(body)))
        except (HTTPError, OSError):
            break
        if not chunk:
            break
        body += chunk
    return body
