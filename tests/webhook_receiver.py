"""A webhook receiver for the tests: `http.server` on 127.0.0.1 (a local receiver, which only the local setting
allows), recording each POST and answering the statuses it is told to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str = ""
    answers: list[int] = field(default_factory=list)
    """Statuses to answer, in order; 204 once they are used up."""
    received: list[dict[str, Any]] = field(default_factory=list)
    """Each POST: `headers` (names lowercased), `body` (text), `path`."""


@contextmanager
def serve() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.received.append({"headers": headers, "body": body, "path": self.path})
            self.send_response(state.answers.pop(0) if state.answers else 204)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks?source=assets"
    try:
        yield state
    finally:
        server.shutdown()
