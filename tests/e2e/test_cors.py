"""`CORS_ALLOW_ORIGIN` holds a list, and the local gateway and bucket answer only those origins, as on AWS."""

from __future__ import annotations

import requests

from tests import files
from tests.e2e.conftest import ORIGIN, OTHER_ORIGIN, LocalStack
from tests.e2e.test_upload_flow import wait_until_processed


def preflight(url: str, origin: str, method: str, headers: str = "") -> requests.Response:
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return requests.options(url, headers=asked, timeout=10)


def test_the_api_answers_only_the_listed_origins(local_stack: LocalStack) -> None:
    url = f"{local_stack.url}/v1/assets"
    page = f"http://127.0.0.1:{local_stack.page_port}"
    for origin in (ORIGIN, page):
        allowed = preflight(url, origin, "GET", "authorization")
        assert allowed.headers.get("Access-Control-Allow-Origin") == origin
        listed = requests.get(url, headers={**local_stack.headers(), "Origin": origin}, timeout=10)
        assert listed.headers.get("Access-Control-Allow-Origin") == origin
    assert "Access-Control-Allow-Origin" not in preflight(url, OTHER_ORIGIN, "GET", "authorization").headers
    refused = requests.get(url, headers={**local_stack.headers(), "Origin": OTHER_ORIGIN}, timeout=10)
    assert "Access-Control-Allow-Origin" not in refused.headers
    # the gateway's own 401 can only echo (API Gateway's gateway responses): it tells a script why, nothing more
    unauthorized = requests.get(url, headers={"Origin": OTHER_ORIGIN}, timeout=10)
    assert unauthorized.status_code == 401
    assert unauthorized.headers["Access-Control-Allow-Origin"] == OTHER_ORIGIN
    assert unauthorized.json()["error"] == "unauthorized"


def test_the_bucket_applies_its_cors_rules(local_stack: LocalStack) -> None:
    data = files.jpeg(16, 16)
    created = requests.post(
        f"{local_stack.url}/v1/uploads",
        json={"filename": "cors.jpg", "content_type": "image/jpeg", "size": len(data)},
        headers=local_stack.headers(),
        timeout=10,
    )
    upload = created.json()["upload"]
    assert preflight(upload["url"], OTHER_ORIGIN, "POST").status_code == 403
    assert preflight(upload["url"], ORIGIN, "DELETE").status_code == 403
    allowed = preflight(upload["url"], ORIGIN, "POST", "content-type")
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN

    refused = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("cors.jpg", data, "image/jpeg")},
        headers={"Origin": OTHER_ORIGIN},
        timeout=10,
    )
    assert refused.status_code == 204  # S3 stores it: only the page's script is kept from reading the answer
    assert "Access-Control-Allow-Origin" not in refused.headers

    asset_id = created.json()["asset"]["id"]
    assert wait_until_processed(local_stack, asset_id)["status"] == "ready"
    link = requests.get(
        f"{local_stack.url}/v1/assets/{asset_id}/download?redirect=false", headers=local_stack.headers(), timeout=10
    ).json()
    download = requests.get(link["url"], headers={"Origin": ORIGIN}, timeout=10)
    assert download.content == data
    exposed = {name.strip() for name in download.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Content-Disposition"} <= exposed
    assert 'filename="cors.jpg"' in download.headers["Content-Disposition"]
