"""A client's journey: create an upload, POST the file to S3, wait for `ready`, use the asset."""

from __future__ import annotations

import time
from urllib.parse import unquote

import requests

from tests import files
from tests.e2e.conftest import LocalStack

JSON = {"Content-Type": "application/json"}


def create_and_upload(stack: LocalStack, data: bytes, filename: str, content_type: str) -> dict:
    response = requests.post(
        f"{stack.url}/v1/uploads",
        json={"filename": filename, "content_type": content_type, "size": len(data), "title": "E2E"},
        headers=stack.headers(),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    upload = created["upload"]
    posted = requests.post(
        upload["url"], data=upload["fields"], files={"file": (filename, data, content_type)}, timeout=10
    )
    assert posted.status_code in (200, 201, 204), posted.text
    return created["asset"]


def wait_until_processed(stack: LocalStack, asset_id: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        asset = requests.get(f"{stack.url}/v1/assets/{asset_id}", headers=stack.headers(), timeout=10).json()
        if asset["status"] != "pending":
            return asset
        time.sleep(0.3)
    raise AssertionError(f"asset {asset_id} still pending after {timeout}s")


def test_rotated_jpeg_lifecycle(local_stack: LocalStack) -> None:
    data = files.jpeg(300, 200, orientation=6)
    asset = create_and_upload(local_stack, data, "Été à Paris.jpg", "image/jpeg")
    assert asset["status"] == "pending"
    ready = wait_until_processed(local_stack, asset["id"])
    assert ready["status"] == "ready", ready
    dims = ready["metadata"]["dimensions"]
    assert (dims["width"], dims["height"], dims["orientation"]) == (200, 300, 6)

    listed = requests.get(f"{local_stack.url}/v1/assets", headers=local_stack.headers(), timeout=10).json()
    assert asset["id"] in [a["id"] for a in listed["items"]]

    patched = requests.patch(
        f"{local_stack.url}/v1/assets/{asset['id']}",
        json={"alt": "Eiffel tower", "tags": ["paris"]},
        headers=local_stack.headers(),
        timeout=10,
    )
    assert patched.status_code == 200
    assert patched.json()["alt"] == "Eiffel tower"

    download = requests.get(
        f"{local_stack.url}/v1/assets/{asset['id']}/download",
        headers=local_stack.headers(),
        allow_redirects=False,
        timeout=10,
    )
    assert download.status_code == 302
    file = requests.get(download.headers["Location"], timeout=10)
    assert file.content == data
    disposition = file.headers["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
    assert unquote(disposition.split("filename*=utf-8''")[1]) == "Été à Paris.jpg"

    other = local_stack.make_key("other-tenant")
    for method in ("get", "delete"):
        response = requests.request(
            method, f"{local_stack.url}/v1/assets/{asset['id']}", headers=local_stack.headers(other), timeout=10
        )
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"

    assert len(local_stack.objects(f"originals/dev/{asset['id']}/")) == 1
    assert local_stack.objects(f"uploads/dev/{asset['id']}") == []
    deleted = requests.delete(f"{local_stack.url}/v1/assets/{asset['id']}", headers=local_stack.headers(), timeout=10)
    assert deleted.status_code == 204
    assert len(local_stack.objects(f"originals/dev/{asset['id']}/")) == 1  # in the trash: files kept
    purged = requests.delete(f"{local_stack.url}/v1/trash/{asset['id']}", headers=local_stack.headers(), timeout=10)
    assert purged.status_code == 204
    assert local_stack.objects(f"originals/dev/{asset['id']}/") == []
    assert local_stack.objects(f"renditions/dev/{asset['id']}/") == []
    assert (
        requests.get(
            f"{local_stack.url}/v1/assets/{asset['id']}", headers=local_stack.headers(), timeout=10
        ).status_code
        == 404
    )


def test_bad_files_end_failed(local_stack: LocalStack) -> None:
    truncated = create_and_upload(local_stack, files.truncated_jpeg(), "cut.jpg", "image/jpeg")
    fake = create_and_upload(local_stack, files.text_as_png(), "fake.png", "image/png")
    for asset_id, reason in ((truncated["id"], "truncated"), (fake["id"], "not a image/png")):
        processed = wait_until_processed(local_stack, asset_id)
        assert processed["status"] == "failed"
        assert reason in processed["error"]


def test_bad_requests_get_the_error_body(local_stack: LocalStack) -> None:
    url, headers = local_stack.url, local_stack.headers()
    cases = [
        (requests.get(f"{url}/v1/assets", timeout=10), 401, "unauthorized", None),
        (
            requests.get(f"{url}/v1/assets", headers=local_stack.headers("dam_wrong"), timeout=10),
            401,
            "unauthorized",
            None,
        ),
        (requests.get(f"{url}/v1/nowhere", headers=headers, timeout=10), 404, "not_found", None),
        (requests.get(f"{url}/v1/assets?limit=0", headers=headers, timeout=10), 400, "invalid_request", "limit"),
        (
            requests.post(f"{url}/v1/uploads", data="{", headers={**headers, **JSON}, timeout=10),
            400,
            "invalid_json",
            "body",
        ),
        (
            requests.post(f"{url}/v1/uploads", data=b"\xff{}", headers={**headers, **JSON}, timeout=10),
            400,
            "invalid_json",
            "body",
        ),
        (
            requests.post(f"{url}/v1/uploads", data={"filename": "a.jpg"}, headers=headers, timeout=10),
            415,
            "unsupported_media_type",
            "body",
        ),
        (
            requests.post(
                f"{url}/v1/uploads",
                json={"filename": "x.bin", "content_type": "application/zip", "size": 10**11},
                headers=headers,
                timeout=10,
            ),
            413,
            "too_large",
            "size",
        ),
    ]
    reader = local_stack.make_key("readers", "assets:read")
    cases.append(
        (
            requests.post(
                f"{url}/v1/uploads",
                json={"filename": "x.jpg", "content_type": "image/jpeg", "size": 1},
                headers=local_stack.headers(reader),
                timeout=10,
            ),
            403,
            "forbidden",
            None,
        )
    )
    for response, status, code, field in cases:
        assert response.status_code == status, response.text
        assert response.json() == {"error": code, "message": response.json()["message"], "field": field}
        if status == 401:
            assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_method_a_path_does_not_take_is_405_with_allow(local_stack: LocalStack) -> None:
    """No key needed, as API Gateway's mock answers it; HEAD is not GET (werkzeug would map it)."""
    url = local_stack.url
    for method, path, allow in (
        ("POST", "/v1/assets/abc", "DELETE,GET,PATCH,PUT,OPTIONS"),
        ("TRACE", "/v1/uploads", "POST,OPTIONS"),
        ("HEAD", "/v1/assets", "GET,POST,OPTIONS"),
    ):
        response = requests.request(method, f"{url}{path}", timeout=10)
        assert (response.status_code, response.headers["Allow"]) == (405, allow), method
        if method != "HEAD":
            assert response.json()["error"] == "method_not_allowed"
    assert requests.put(f"{url}/v1/nowhere", timeout=10).status_code == 404
    assert requests.put(f"{url}/v1/uploads", timeout=10).status_code == 405


def test_make_key_refuses_a_bad_tenant_in_one_line(local_stack: LocalStack) -> None:
    refused = local_stack.run_keys("Not A Tenant!")
    assert refused.returncode != 0
    assert refused.stderr.strip().count("\n") == 0
    assert "tenant 'Not A Tenant!' must be" in refused.stderr


def test_swagger_ui_and_openapi_are_served(local_stack: LocalStack) -> None:
    docs = requests.get(f"{local_stack.url}/docs", timeout=10)
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert requests.get(f"{local_stack.url}/openapi.json", timeout=10).json()["openapi"].startswith("3.1")
