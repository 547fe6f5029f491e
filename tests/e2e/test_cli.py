"""The `assets` CLI (`.venv/bin/assets`, installed by `make install`) against a local stack of its own, whose
single-upload limit is lowered to 1 MiB (`SINGLE_UPLOAD_BYTES`) so that a 17 MiB file goes up in two parts."""

from __future__ import annotations

import hashlib
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image

from assets_client import Client
from tests.e2e.conftest import LocalStack, running_stack

MIB = 1024 * 1024
ASSETS = Path(sys.executable).parent / "assets"
EXIT_NOT_FOUND, EXIT_AUTH, EXIT_INTERRUPTED = 4, 3, 130


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with running_stack(tmp_path_factory.mktemp("cli-stack"), SINGLE_UPLOAD_BYTES=str(MIB)) as running:
        yield running


def cli_env(stack: LocalStack) -> dict[str, str]:
    return {**os.environ, "ASSETS_API_URL": stack.url, "ASSETS_API_KEY": stack.key, "ASSETS_CONFIG": "/nonexistent"}


def assets(stack: LocalStack, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(ASSETS), *args], env=cli_env(stack), cwd=cwd, capture_output=True, timeout=300)


def assets_json(stack: LocalStack, *args: str) -> Any:
    done = assets(stack, *args, "--json")
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def interruptible() -> None:
    """In the child before it runs: SIGINT as a terminal sends it, even when the tests themselves run in the
    background of a shell without job control, which starts them with SIGINT ignored (Python then never raises
    KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def asset_list(stack: LocalStack, **query: str) -> list[dict[str, Any]]:
    listed = requests.get(f"{stack.url}/v1/assets", params=query, headers=stack.headers(), timeout=10)
    assert listed.status_code == 200, listed.text
    return listed.json()["items"]


def test_upload_a_directory_with_duplicates_and_a_large_file_then_read_it_back(
    stack: LocalStack, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.png"
    Image.new("RGB", (40, 30), "orange").save(earlier)
    first = assets_json(stack, "upload", str(earlier), "--wait")
    assert [e["status"] for e in first["uploaded"]] == ["ready"]

    library = tmp_path / "library"
    (library / "nested").mkdir(parents=True)
    Image.new("RGB", (64, 48), "teal").save(library / "photo.jpg")
    (library / "nested" / "photo-copy.jpg").write_bytes((library / "photo.jpg").read_bytes())
    (library / "again.png").write_bytes(earlier.read_bytes())
    big = os.urandom(17 * MIB + 12345)
    (library / "big.bin").write_bytes(big)

    summary = assets_json(stack, "upload", str(library), "--wait", "--tag", "cli-e2e", "--concurrency", "3")

    uploaded = {Path(e["path"]).name: e for e in summary["uploaded"]}
    duplicates = {Path(e["path"]).name: e for e in summary["duplicates"]}
    sent_photo = "photo-copy.jpg"  # the first of the two in path order (nested/ before photo.jpg)
    assert set(uploaded) == {sent_photo, "big.bin"}
    assert set(duplicates) == {"photo.jpg", "again.png"}
    assert summary["failed"] == summary["cancelled"] == []
    assert all(e["status"] == "ready" for e in uploaded.values())
    assert duplicates["again.png"]["id"] == first["uploaded"][0]["id"]  # the library's copy: not sent again
    assert duplicates["photo.jpg"]["id"] == uploaded[sent_photo]["id"]  # the same bytes in this batch: sent once
    assert len(asset_list(stack, q="photo")) == 1

    big_id = uploaded["big.bin"]["id"]
    shown = assets_json(stack, "get", big_id)
    assert (shown["size"], shown["sha256"], shown["tags"]) == (len(big), hashlib.sha256(big).hexdigest(), ["cli-e2e"])
    listed = assets_json(stack, "ls", "--tag", "cli-e2e", "--all")
    assert {item["id"] for item in listed["items"]} == {big_id, uploaded[sent_photo]["id"]}

    downloaded = assets(stack, "download", big_id, "-o", str(tmp_path / "back.bin"))
    assert downloaded.returncode == 0, downloaded.stderr.decode()
    assert (tmp_path / "back.bin").read_bytes() == big
    to_stdout = assets(stack, "download", uploaded[sent_photo]["id"], "-o", "-")
    assert to_stdout.stdout == (library / "photo.jpg").read_bytes()

    assert assets(stack, "rm", big_id).returncode == 0
    gone = assets(stack, "get", big_id, "--json")
    assert gone.returncode == EXIT_NOT_FOUND
    assert json.loads(gone.stderr)["error"] == "not_found"


def test_tag_move_search_and_share(stack: LocalStack, tmp_path: Path) -> None:
    path = tmp_path / "Sunset Beach.png"
    Image.new("RGB", (20, 20), "red").save(path)
    asset_id = assets_json(stack, "upload", str(path), "--wait")["uploaded"][0]["id"]
    assert assets_json(stack, "tag", asset_id, "Summer", "beach")["tags"] == ["Summer", "beach"]
    assert assets_json(stack, "tag", asset_id, "--remove", "summer")["tags"] == ["beach"]
    folder = requests.post(f"{stack.url}/v1/folders", json={"name": "Trips"}, headers=stack.headers(), timeout=10)
    assert assets_json(stack, "mv", asset_id, "--folder", folder.json()["id"])["folder_id"] == folder.json()["id"]
    assert [a["id"] for a in assets_json(stack, "search", "sunset")["items"]] == [asset_id]
    share = assets_json(stack, "share", asset_id, "--note", "for you")
    assert share["asset_ids"] == [asset_id]
    assert requests.get(share["url"], headers={"Accept": "application/json"}, timeout=10).status_code == 200
    with Client(stack.url, stack.key) as client:  # the SDK signs a transform URL the delivery path accepts
        transformed = requests.get(client.transform_url(client.get_asset(asset_id), w="10", fm="png"), timeout=30)
    assert (transformed.status_code, transformed.headers["Content-Type"]) == (200, "image/png")
    assert Image.open(io.BytesIO(transformed.content)).size == (10, 10)
    export = assets_json(stack, "export", asset_id, "-o", str(tmp_path / "export.zip"))
    assert export["status"] == "ready"
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        assert archive.read(path.name) == path.read_bytes()


def test_exit_codes_for_a_bad_key_and_no_api(stack: LocalStack) -> None:
    assert assets(stack, "ls", "--api-key", "dam_wrong").returncode == EXIT_AUTH
    unset = subprocess.run(
        [str(ASSETS), "ls"], env={"PATH": os.environ["PATH"], "ASSETS_CONFIG": "/nonexistent"}, capture_output=True
    )
    assert unset.returncode == 2
    assert b"ASSETS_API_URL" in unset.stderr


def test_ctrl_c_aborts_the_upload_in_flight_and_leaves_no_pending_asset(stack: LocalStack, tmp_path: Path) -> None:
    name = f"interrupted-{os.getpid()}.bin"
    path = tmp_path / name
    with path.open("wb") as file:  # 400 MiB, mostly a hole: quick to write and read, long to upload
        file.write(os.urandom(MIB))
        file.truncate(400 * MIB)
    process = subprocess.Popen(
        [str(ASSETS), "upload", str(path), "--concurrency", "1", "--json"],
        env=cli_env(stack),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 60
    while not asset_list(stack, q=name.removesuffix(".bin"), status="pending"):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the upload never started"
        time.sleep(0.1)
    time.sleep(0.5)  # parts on their way
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, err.decode()
    summary = json.loads(out)
    assert [Path(e["path"]).name for e in summary["cancelled"]] == [name]
    assert summary["uploaded"] == []
    assert asset_list(stack, q=name.removesuffix(".bin")) == []
    trash = requests.get(f"{stack.url}/v1/trash", headers=stack.headers(), timeout=10).json()["items"]
    assert all(item.get("filename") != name for item in trash)


def test_watch_prints_the_local_stacks_events(stack: LocalStack, tmp_path: Path) -> None:
    path = tmp_path / "watched.txt"
    path.write_text(f"watched {time.time()}\n")
    asset_id = assets_json(stack, "upload", str(path), "--wait")["uploaded"][0]["id"]
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + 20
    while not any(e["detail-type"] == "asset.ready" and e["detail"]["asset"]["id"] == asset_id for e in events):
        assert time.monotonic() < deadline, events
        done = assets(stack, "watch", "--local", f"http://127.0.0.1:{stack.emulator_port}", "--once", "--json")
        assert done.returncode == 0, done.stderr.decode()
        events += [json.loads(line) for line in done.stdout.splitlines()]


def test_watch_polls_the_changes_as_they_happen(stack: LocalStack, tmp_path: Path) -> None:
    watching = subprocess.Popen(
        [str(ASSETS), "watch", "--interval", "0.5", "--json"],
        env=cli_env(stack),
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watching.stdout or ()], daemon=True).start()
    try:
        time.sleep(2)  # it has read where the library stands
        path = tmp_path / "polled.txt"
        path.write_text(f"polled {time.time()}\n")
        asset_id = assets_json(stack, "upload", str(path), "--wait")["uploaded"][0]["id"]
        seen = []
        while (asset_id, "ready") not in seen:
            change = json.loads(lines.get(timeout=20))
            seen.append((change["id"], change["status"]))
    finally:
        watching.send_signal(signal.SIGINT)
        watching.wait(timeout=10)
    assert watching.returncode == EXIT_INTERRUPTED
    assert {asset for asset, _ in seen} == {asset_id}
