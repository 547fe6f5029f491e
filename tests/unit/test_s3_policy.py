"""The local emulator's presigned POST check refuses what S3 refuses, for a policy boto3 really signs."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import boto3
import pytest
from botocore.config import Config
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import Client, TestResponse, encode_multipart

from functions.adapters.storage import Storage
from local.s3_policy import PolicyCheck, Refusal, check

BUCKET = "assets-local"
KEY = "uploads/dev/" + "a" * 32
OTHER_TENANTS_KEY = "uploads/other-tenant/" + "b" * 32
MAX_BYTES = 1000
EXPIRES_IN = 900
SECRETS = {"local": "local"}


@cache
def s3_client() -> Any:
    """Presigning is local computation: the dummy endpoint is never contacted."""
    return boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        region_name="us-east-1",
        config=Config(signature_version="s3v4"),
    )


def presign(key: str = KEY) -> dict[str, str]:
    """The form fields our own `Storage.presign_post` hands a client for a 1..MAX_BYTES JPEG."""
    return Storage(BUCKET, client=s3_client()).presign_post(key, "image/jpeg", MAX_BYTES, EXPIRES_IN)["fields"]


def loosened(policy: str) -> str:
    """The same policy re-encoded with the key condition opened to any key (the signature is not redone)."""
    document = json.loads(base64.b64decode(policy))
    document["conditions"] = [
        ["starts-with", "$key", ""] if isinstance(c, dict) and "key" in c else c for c in document["conditions"]
    ]
    return base64.b64encode(json.dumps(document).encode()).decode()


def condition_failed(condition: list[str]) -> tuple[int, str, str]:
    return 403, "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}"


SIGNATURE_MISMATCH = (
    403,
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
)


def with_fields(**changes: str | None) -> Callable[[dict[str, str]], None]:
    """Set (or with None, remove) form fields; `_` in a keyword stands for `-`."""

    def change(fields: dict[str, str]) -> None:
        for name, value in changes.items():
            name = name.replace("_", "-")
            if value is None:
                del fields[name]
            else:
                fields[name] = value

    return change


def unchanged(fields: dict[str, str]) -> None:
    pass


def rename_content_type(fields: dict[str, str]) -> None:
    fields["content-type"] = fields.pop("Content-Type")


def flip_signature(fields: dict[str, str]) -> None:
    signature = fields["x-amz-signature"]
    fields["x-amz-signature"] = signature[:-1] + ("0" if signature[-1] != "0" else "1")


def loosen_policy(fields: dict[str, str]) -> None:
    fields["policy"], fields["key"] = loosened(fields["policy"]), OTHER_TENANTS_KEY


# (id, change to the form, file size, bucket posted to, seconds after signing, expected (status, code, message))
CASES = [
    ("untouched", unchanged, 10, BUCKET, 0, None),
    ("largest allowed, just before expiry", unchanged, MAX_BYTES, BUCKET, EXPIRES_IN - 1, None),
    ("field names in another case", rename_content_type, 10, BUCKET, 0, None),
    ("x-ignore- fields need no condition", with_fields(x_ignore_trace="1"), 10, BUCKET, 0, None),
    ("other tenant's key", with_fields(key=OTHER_TENANTS_KEY), 10, BUCKET, 0, condition_failed(["eq", "$key", KEY])),
    (
        "another Content-Type",
        with_fields(Content_Type="text/html"),
        10,
        BUCKET,
        0,
        condition_failed(["eq", "$Content-Type", "image/jpeg"]),
    ),
    (
        "one byte over the max",
        unchanged,
        MAX_BYTES + 1,
        BUCKET,
        0,
        (400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"),
    ),
    (
        "empty file",
        unchanged,
        0,
        BUCKET,
        0,
        (400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"),
    ),
    (
        "expired",
        unchanged,
        10,
        BUCKET,
        EXPIRES_IN + 1,
        (403, "AccessDenied", "Invalid according to Policy: Policy expired."),
    ),
    ("tampered signature", flip_signature, 10, BUCKET, 0, SIGNATURE_MISMATCH),
    ("loosened policy, old signature", loosen_policy, 10, BUCKET, 0, SIGNATURE_MISMATCH),
    (
        "extra field",
        with_fields(x_amz_meta_owner="other-tenant"),
        10,
        BUCKET,
        0,
        (403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-owner"),
    ),
    (
        "missing field a condition requires",
        with_fields(Content_Type=None),
        10,
        BUCKET,
        0,
        condition_failed(["eq", "$Content-Type", "image/jpeg"]),
    ),
    ("wrong bucket", unchanged, 10, "other-bucket", 0, condition_failed(["eq", "$bucket", BUCKET])),
    (
        "unknown access key",
        with_fields(x_amz_credential="someone/20260101/us-east-1/s3/aws4_request"),
        10,
        BUCKET,
        0,
        (403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
    ),
    (
        "not SigV4",
        with_fields(x_amz_algorithm="AWS4-HMAC-SHA1"),
        10,
        BUCKET,
        0,
        (400, "InvalidArgument", "x-amz-algorithm must be AWS4-HMAC-SHA256 (SigV4); got 'AWS4-HMAC-SHA1'"),
    ),
    (
        "policy not base64",
        with_fields(policy="not base64!"),
        10,
        BUCKET,
        0,
        (400, "InvalidPolicyDocument", None),
    ),
    (
        "policy not JSON",
        with_fields(policy=base64.b64encode(b"{conditions").decode()),
        10,
        BUCKET,
        0,
        (400, "InvalidPolicyDocument", None),
    ),
    (
        "policy with an unknown condition",
        with_fields(
            policy=base64.b64encode(b'{"expiration": "2099-01-01T00:00:00Z", "conditions": [["in", 1]]}').decode()
        ),
        10,
        BUCKET,
        0,
        (400, "InvalidPolicyDocument", 'Invalid Policy: invalid condition: ["in", 1]'),
    ),
]


@pytest.mark.parametrize(
    ("change", "file_size", "bucket", "seconds_later", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_check_refuses_what_s3_refuses(
    change: Callable[[dict[str, str]], None],
    file_size: int,
    bucket: str,
    seconds_later: int,
    expected: tuple[int, str, str | None] | None,
) -> None:
    signed_at = datetime.now(UTC)
    fields = presign()
    change(fields)
    refusal = check(fields, file_size, bucket, signed_at + timedelta(seconds=seconds_later), SECRETS)
    if expected is None:
        assert refusal is None
        return
    assert refusal is not None
    status, code, message = expected
    assert (refusal.status, refusal.code) == (status, code), refusal
    if message is not None:
        assert refusal.message == message


def test_a_key_with_filename_placeholder_does_not_crash() -> None:
    """boto3 turns `${filename}` into a `starts-with` on what comes before; the key is compared as sent."""
    fields = presign("originals/dev/${filename}")
    now = datetime.now(UTC)
    assert check(fields, 10, BUCKET, now, SECRETS) is None
    assert check({**fields, "key": "originals/dev/photo.jpg"}, 10, BUCKET, now, SECRETS) is None
    refused = check({**fields, "key": OTHER_TENANTS_KEY}, 10, BUCKET, now, SECRETS)
    assert refused == Refusal(*condition_failed(["starts-with", "$key", "originals/dev/"]))


# The middleware, driven in-process through werkzeug's test client (no socket).


class Moto:
    """Stands in for moto: records the body it is handed and answers 204."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.bodies.append(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
        start_response("204 No Content", [])
        return []


def multipart(parts: list[tuple[str, str | bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body with the parts in this order; bytes values are sent as files."""
    values = MultiDict(
        [
            (name, FileStorage(io.BytesIO(value), "photo.jpg", content_type="image/jpeg"))
            if isinstance(value, bytes)
            else (name, value)
            for name, value in parts
        ]
    )
    boundary, body = encode_multipart(values)
    return body, f"multipart/form-data; boundary={boundary}"


def post(body: bytes, content_type: str, path: str = f"/{BUCKET}", **headers: str) -> tuple[Moto, TestResponse]:
    moto = Moto()
    response = Client(PolicyCheck(moto, SECRETS)).post(path, data=body, content_type=content_type, headers=headers)
    return moto, response


def test_a_valid_form_reaches_moto_byte_for_byte() -> None:
    body, content_type = multipart([*presign().items(), ("file", b"x" * 10)])
    moto, response = post(body, content_type)
    assert response.status_code == 204
    assert moto.bodies == [body]


def test_a_refusal_reads_like_s3() -> None:
    fields = {**presign(), "key": OTHER_TENANTS_KEY}
    body, content_type = multipart([*fields.items(), ("file", b"x" * 10)])
    moto, response = post(body, content_type)
    assert moto.bodies == []
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/xml"
    error = ElementTree.fromstring(response.data)
    assert error.findtext("Code") == "AccessDenied"
    assert error.findtext("Message") == condition_failed(["eq", "$key", KEY])[2]


def form_without_file() -> tuple[bytes, str]:
    return multipart(list(presign().items()))


def form_with_field_after_file() -> tuple[bytes, str]:
    fields = presign()
    return multipart([*fields.items(), ("file", b"x"), ("key", OTHER_TENANTS_KEY)])


def form_with_two_files() -> tuple[bytes, str]:
    return multipart([*presign().items(), ("x-ignore-more", b"y" * 10**4), ("file", b"x")])


def form_with_a_field_twice() -> tuple[bytes, str]:
    fields = presign()
    return multipart([("key", OTHER_TENANTS_KEY), *fields.items(), ("file", b"x")])


def urlencoded_form() -> tuple[bytes, str]:
    return urlencode({**presign(), "file": "x"}).encode(), "application/x-www-form-urlencoded"


def broken_multipart() -> tuple[bytes, str]:
    return b"--nope\r\nContent-Disposition: form-data; name=policy\r\n", "multipart/form-data; boundary=nope"


@pytest.mark.parametrize(
    ("build", "status", "code"),
    [
        pytest.param(form_without_file, 400, "InvalidArgument", id="no file"),
        pytest.param(form_with_field_after_file, 400, "InvalidArgument", id="field after the file"),
        pytest.param(form_with_two_files, 400, "InvalidArgument", id="two files"),
        pytest.param(form_with_a_field_twice, 400, "InvalidArgument", id="field twice"),
        pytest.param(urlencoded_form, 412, "PreconditionFailed", id="not multipart"),
        pytest.param(broken_multipart, 400, "MalformedPOSTRequest", id="broken multipart"),
    ],
)
def test_the_shape_of_the_form_is_checked(build: Callable[[], tuple[bytes, str]], status: int, code: str) -> None:
    moto, response = post(*build())
    assert (response.status_code, ElementTree.fromstring(response.data).findtext("Code")) == (status, code)
    assert moto.bodies == []


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        pytest.param("GET", f"/{BUCKET}", b"", "", id="list"),
        pytest.param("PUT", f"/{BUCKET}/{KEY}", b"data", "image/jpeg", id="put object"),
        pytest.param("POST", f"/{BUCKET}?delete", b"<Delete/>", "application/xml", id="delete objects"),
        pytest.param("POST", f"/{BUCKET}/{KEY}?uploads", b"", "", id="multipart upload"),
        pytest.param("POST", f"/{BUCKET}", *multipart([("key", KEY), ("file", b"x")]), id="form without policy"),
    ],
)
def test_everything_else_passes_untouched(method: str, path: str, body: bytes, content_type: str) -> None:
    moto = Moto()
    response = Client(PolicyCheck(moto, SECRETS)).open(path, method=method, data=body, content_type=content_type)
    assert response.status_code == 204
    assert moto.bodies == [body]


def test_refusal_xml_escapes_the_message() -> None:
    xml = Refusal(403, "AccessDenied", 'a <b> & "c"').xml()
    assert ElementTree.fromstring(xml).findtext("Message") == 'a <b> & "c"'
