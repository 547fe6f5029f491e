"""An export over HTTP against the local stack: POST, poll, download the zip from its presigned URL."""

from __future__ import annotations

import csv
import hashlib
import io
import time
import zipfile

import requests

from tests import files
from tests.e2e.conftest import LocalStack
from tests.e2e.test_upload_flow import create_and_upload, wait_until_processed


def test_an_export_is_made_in_the_background_and_downloaded_as_a_zip(local_stack: LocalStack) -> None:
    photo, notes = files.jpeg(120, 80), b"exported over HTTP\n" * 100
    ids = [
        create_and_upload(local_stack, photo, "photo.jpg", "image/jpeg")["id"],
        create_and_upload(local_stack, notes, "photo.jpg", "text/plain")["id"],
    ]
    for asset_id in ids:
        assert wait_until_processed(local_stack, asset_id)["status"] == "ready"

    created = requests.post(
        f"{local_stack.url}/v1/exports", json={"asset_ids": ids}, headers=local_stack.headers(), timeout=10
    )
    assert created.status_code == 202, created.text
    export_id = created.json()["id"]
    other = local_stack.make_key("e2e-exports-other")
    url = f"{local_stack.url}/v1/exports/{export_id}"
    assert requests.get(url, headers=local_stack.headers(other), timeout=10).status_code == 404

    deadline = time.monotonic() + 60
    while (export := requests.get(url, headers=local_stack.headers(), timeout=10).json())["status"] != "ready":
        assert export["status"] in ("pending", "running"), export
        assert time.monotonic() < deadline, export
        time.sleep(0.3)
    assert export["progress"] == {"done": 2, "total": 2}

    download = requests.get(export["url"], timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith('attachment; filename="export-')
    assert len(download.content) == export["size"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.testzip() is None
    assert archive.namelist() == ["photo.jpg", "photo (1).jpg", "manifest.csv"]
    assert (archive.read("photo.jpg"), archive.read("photo (1).jpg")) == (photo, notes)
    rows = list(csv.DictReader(io.TextIOWrapper(archive.open("manifest.csv"), encoding="utf-8")))
    assert [(row["asset_id"], row["sha256"]) for row in rows] == [
        (ids[0], hashlib.sha256(photo).hexdigest()),
        (ids[1], hashlib.sha256(notes).hexdigest()),
    ]
