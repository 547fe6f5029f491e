"""The local stack (`python -m local`, what `make dev` runs) over real HTTP on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests

from local.stack import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
DEV_KEY = "dam_e2e-dev-key"
ORIGIN = "http://localhost:5173"
"""An origin the stack allows (`CORS_ALLOW_ORIGIN`), besides the browser test's page server."""
OTHER_ORIGIN = "https://elsewhere.example"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalStack:
    url: str
    emulator_port: int
    key: str
    page_port: int
    """Where the browser test serves its page: `http://127.0.0.1:{page_port}` is an allowed origin, the same page
    from `http://localhost:{page_port}` is not."""

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}

    def objects(self, prefix: str) -> list[str]:
        """Keys in the local bucket, read straight from the emulator."""
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.emulator_port}")
        listed = s3.list_objects_v2(Bucket=SETTINGS.bucket_name, Prefix=prefix)
        return [o["Key"] for o in listed.get("Contents", [])]

    def run_keys(
        self, tenant: str, scopes: str = "assets:read,assets:write", tier: str = "standard"
    ) -> subprocess.CompletedProcess[str]:
        """What `make key` runs, against this stack's emulator (`EMULATOR_PORT`, as `make key` passes it)."""
        return subprocess.run(
            [sys.executable, "-m", "local.keys", "--tenant", tenant, "--scopes", scopes, "--tier", tier],
            cwd=ROOT,
            env={**os.environ, "EMULATOR_PORT": str(self.emulator_port)},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def make_key(self, tenant: str, scopes: str = "assets:read,assets:write", tier: str = "standard") -> str:
        """A new key for `tenant` (of `tier`, when it is its first): alone on the last line of the output."""
        made = self.run_keys(tenant, scopes, tier)
        assert made.returncode == 0, made.stderr
        return made.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    port, emulator_port, page_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DEV_API_KEY": DEV_KEY,
        "PORT": str(port),
        "EMULATOR_PORT": str(emulator_port),
        "CORS_ALLOW_ORIGIN": f"{ORIGIN},http://127.0.0.1:{page_port}",
    }
    env.pop("AWS_ENDPOINT_URL", None)
    log = tmp_path_factory.mktemp("local-stack") / "output.log"
    output = log.open("w")
    process = subprocess.Popen([sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=output, stderr=output)
    stack = LocalStack(url=f"http://127.0.0.1:{port}", emulator_port=emulator_port, key=DEV_KEY, page_port=page_port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{stack.url}/v1/assets", headers=stack.headers(), timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"local stack did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield stack
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        output.close()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Without the background-networking flags chromium keeps trying to reach Google's hosts, which this network
refuses."""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
