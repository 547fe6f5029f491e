"""What S3 enforces on a browser-style presigned POST, in front of the local emulator.

moto stores any form POST it receives: a rewritten `key` (another tenant's), another `Content-Type`, a file
outside `content-length-range`, an expired policy or a wrong signature all succeed. Real S3 refuses each of
them, and the upload rules rely on it (DESIGN.md, "Storage rules"). `PolicyCheck` wraps moto's WSGI app and
answers those form POSTs the way S3 does, so a regression in the policy `Storage.presign_post` signs shows up
in `make dev` and the e2e tests instead of in production.

The rules follow the AWS docs "Creating a POST policy" and "Authenticating Requests in Browser-Based Uploads
Using POST (AWS Signature Version 4)". Not checked: SigV2 forms (refused), virtual-hosted-style bucket URLs,
`${filename}` in `key` (compared literally), the bucket's region.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder

ALGORITHM = "AWS4-HMAC-SHA256"
NOT_COVERED = {"policy", "x-amz-signature", "file"}
"""The form fields S3 does not ask a condition for (besides `x-ignore-*`)."""
BUCKET_PATH = re.compile(r"^/([^/]+)/?$")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Refusal:
    """An S3 error answer: status, `<Code>`, `<Message>` and any extra elements S3 adds."""

    status: int
    code: str
    message: str
    details: tuple[tuple[str, str], ...] = ()

    def xml(self) -> bytes:
        extra = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in self.details)
        body = f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>{extra}</Error>"
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def access_denied(message: str) -> Refusal:
    return Refusal(403, "AccessDenied", f"Invalid according to Policy: {message}")


def invalid_argument(message: str) -> Refusal:
    return Refusal(400, "InvalidArgument", message)


@dataclass(frozen=True)
class Condition:
    """One policy condition on a form field: `eq` (also the `{"field": "value"}` form) or `starts-with`.

    `field` is spelled as in the policy (for the message); form field names are compared in lower case."""

    operator: str
    field: str
    value: str

    def holds(self, actual: str | None) -> bool:
        """A field the form lacks fails the condition, even `starts-with ""`, as S3 is reported to do."""
        if actual is None:
            return False
        if self.operator == "eq":
            return actual == self.value
        if self.field.lower() == "content-type":  # S3: a comma-separated list, every member must match
            return all(part.strip().startswith(self.value) for part in actual.split(","))
        return actual.startswith(self.value)

    def __str__(self) -> str:
        return json.dumps([self.operator, f"${self.field}", self.value])


def decode_policy(policy: str) -> tuple[datetime, list[Condition], tuple[int, int] | None]:
    """Expiration, field conditions and `content-length-range` of a base64 policy.

    ValueError or TypeError when the policy is malformed."""
    document = json.loads(base64.b64decode(policy, validate=True))
    if not isinstance(document, dict) or not isinstance(document.get("conditions"), list):
        raise TypeError("a policy is a JSON object with a 'conditions' array")
    expiration = datetime.fromisoformat(str(document.get("expiration")))
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=UTC)
    conditions: list[Condition] = []
    size_range: tuple[int, int] | None = None
    for item in document["conditions"]:
        if isinstance(item, dict) and item and all(isinstance(v, str) for v in item.values()):
            conditions.extend(Condition("eq", name, value) for name, value in item.items())
        elif isinstance(item, list) and len(item) == 3 and str(item[0]).lower() == "content-length-range":
            if not all(type(bound) is int for bound in item[1:]):
                raise ValueError(f"content-length-range takes two integers: {json.dumps(item)}")
            size_range = (item[1], item[2])
        elif (
            isinstance(item, list)
            and len(item) == 3
            and str(item[0]).lower() in ("eq", "starts-with")
            and all(isinstance(part, str) for part in item[1:])
            and item[1].startswith("$")
        ):
            conditions.append(Condition(item[0].lower(), item[1][1:], item[2]))
        else:
            raise ValueError(f"invalid condition: {json.dumps(item)}")
    return expiration, conditions, size_range


def signing_key(secret: str, date: str, region: str, service: str = "s3") -> bytes:
    """SigV4 key derivation: secret -> date -> region -> service -> `aws4_request`."""
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signature_refusal(values: Mapping[str, str], secrets: Mapping[str, str]) -> Refusal | None:
    """The policy string must be signed (SigV4) with the secret of the access key named in the credential."""
    if values.get("x-amz-algorithm") != ALGORITHM:
        return invalid_argument(f"x-amz-algorithm must be {ALGORITHM} (SigV4); got {values.get('x-amz-algorithm')!r}")
    parts = values.get("x-amz-credential", "").split("/")
    if len(parts) != 5 or parts[3] != "s3" or parts[4] != "aws4_request":
        return invalid_argument(
            "Error parsing the X-Amz-Credential parameter; expected <key id>/<date>/<region>/s3/aws4_request"
        )
    access_key, date, region = parts[:3]
    if access_key not in secrets:
        return Refusal(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    expected = hmac.new(signing_key(secrets[access_key], date, region), values["policy"].encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest().encode(), values.get("x-amz-signature", "").encode()):
        return Refusal(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        )
    return None


def check(
    fields: dict[str, str], file_size: int, bucket: str, now: datetime, secrets: Mapping[str, str]
) -> Refusal | None:
    """Why S3 would refuse this presigned POST, or None when it would store the file.

    `fields` are the form fields as sent (names in any case, `file` excluded), `file_size` the size of the
    `file` part, `bucket` the bucket the form was posted to, `secrets` secret keys by access key id.
    Order: malformed policy, signature, expiry, field conditions, uncovered fields, size.
    """
    values = {name.lower(): value for name, value in fields.items()}
    try:
        expiration, conditions, size_range = decode_policy(values.get("policy", ""))
    except (ValueError, TypeError) as error:
        return Refusal(400, "InvalidPolicyDocument", f"Invalid Policy: {error}")
    refusal = signature_refusal(values, secrets)
    if refusal:
        return refusal
    if expiration < now:
        return access_denied("Policy expired.")
    values["bucket"] = bucket
    for condition in conditions:
        if not condition.holds(values.get(condition.field.lower())):
            return access_denied(f"Policy Condition failed: {condition}")
    covered = {condition.field.lower() for condition in conditions} | NOT_COVERED
    extra = [name for name in fields if name.lower() not in covered and not name.lower().startswith("x-ignore-")]
    if extra:
        return access_denied(f"Extra input fields: {', '.join(extra)}")
    if size_range and file_size < size_range[0]:
        return Refusal(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size",
            (("ProposedSize", str(file_size)), ("MinSizeAllowed", str(size_range[0]))),
        )
    if size_range and file_size > size_range[1]:
        return Refusal(
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
            (("ProposedSize", str(file_size)), ("MaxSizeAllowed", str(size_range[1]))),
        )
    return None


def read_multipart(body: bytes, boundary: str) -> tuple[list[tuple[str, str]], int | None, list[str]]:
    """Parts in order: `(name, text)` of every field, the `file` part's size, and names of parts with a
    filename. ValueError when the body is not well-formed multipart/form-data."""
    if not boundary:
        raise ValueError("multipart/form-data without a boundary")
    decoder = MultipartDecoder(boundary.encode())
    decoder.receive_data(body)
    decoder.receive_data(None)
    parts: list[tuple[str, bytearray]] = []
    with_filename: list[str] = []
    while not isinstance(event := decoder.next_event(), Epilogue):
        if isinstance(event, Field | File):
            parts.append((event.name or "", bytearray()))
            if isinstance(event, File):
                with_filename.append(event.name or "")
        elif isinstance(event, Data) and parts:
            parts[-1][1].extend(event.data)
    names = [name.lower() for name, _ in parts]
    file_size = len(parts[names.index("file")][1]) if "file" in names else None
    fields = [(name, bytes(data).decode("utf-8", "replace")) for name, data in parts]
    return fields, file_size, with_filename


def form_refusal(parts: list[tuple[str, str]], file_size: int | None, with_filename: list[str]) -> Refusal | None:
    """S3's rules on the shape of the form: one `file`, sent last; and each field once, so that what is
    checked here is what moto reads."""
    names = [name.lower() for name, _ in parts]
    if names.count("file") != 1 or file_size is None or any(name.lower() != "file" for name in with_filename):
        return invalid_argument("POST requires exactly one file upload per request.")
    if names[-1] != "file":
        after = ", ".join(name for name, _ in parts[names.index("file") + 1 :])
        return invalid_argument(
            f"The file must be the last field of the form (S3 ignores the fields after it: {after})"
        )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        return invalid_argument(f"Form fields sent more than once: {', '.join(twice)}")
    return None


class PolicyCheck:
    """WSGI middleware: a POST policy form to `/{bucket}` is checked; every other request goes to `app` as is.

    The body of a checked form is buffered and handed on byte for byte when it passes. A refusal is answered
    here like S3 does; `local.s3_cors.BucketCors` in front of it adds the bucket's CORS headers, as S3 does on
    its errors, so a browser can read why.
    """

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        secrets: Mapping[str, str],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.app, self.secrets, self.clock = app, secrets, clock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = BUCKET_PATH.match(environ.get("PATH_INFO", ""))
        mimetype, options = parse_options_header(environ.get("CONTENT_TYPE", ""))
        if environ.get("REQUEST_METHOD") != "POST" or not path or mimetype not in FORM_TYPES:
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return self.refuse(
                start_response, Refusal(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
            )
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        refusal = self.refusal(body, mimetype, options.get("boundary", ""), path.group(1))
        if refusal:
            return self.refuse(start_response, refusal)
        return self.app(environ, start_response)

    def refusal(self, body: bytes, mimetype: str, boundary: str, bucket: str) -> Refusal | None:
        if mimetype != "multipart/form-data":
            fields = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
            if "policy" not in {name.lower() for name in fields}:
                return None
            return Refusal(
                412,
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
                (("Condition", "Bucket POST must be of the enclosure-type multipart/form-data"),),
            )
        try:
            parts, file_size, with_filename = read_multipart(body, boundary)
        except (ValueError, AttributeError):  # werkzeug's decoder raises either on a broken body
            return Refusal(
                400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."
            )
        if "policy" not in {name.lower() for name, _ in parts}:
            return None
        refusal = form_refusal(parts, file_size, with_filename)
        if refusal or file_size is None:
            return refusal
        fields = {name: value for name, value in parts if name.lower() != "file"}
        return check(fields, file_size, bucket, self.clock(), self.secrets)

    @staticmethod
    def refuse(start_response: Callable[..., Any], refusal: Refusal) -> list[bytes]:
        body = refusal.xml()
        headers = [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
        start_response(f"{refusal.status} {HTTPStatus(refusal.status).phrase}", headers)
        return [body]
