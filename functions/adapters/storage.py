"""S3 access: presigned POST/GET, streaming reads and deletes."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import encode_rfc2231
from typing import Any

from botocore.exceptions import ClientError

from functions.adapters import clients
from functions.adapters.aws_errors import error_code, translated
from functions.errors import TransientError

CHUNK_BYTES = 1024 * 1024


def content_disposition(filename: str) -> str:
    """RFC 6266 `attachment` with an ASCII fallback and an RFC 5987 UTF-8 `filename*`."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in filename)
    return f'attachment; filename="{fallback}"; filename*={encode_rfc2231(filename, "utf-8")}'


class Storage:
    def __init__(self, bucket: str, client: Any = None):
        self.bucket = bucket
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("s3")

    def presign_post(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        """A POST policy that pins the exact key, the content type and the size range."""
        with translated():
            return self.client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=[
                    {"Content-Type": content_type},
                    ["content-length-range", 1, max_bytes],
                ],
                ExpiresIn=expires_in,
            )

    def presign_get(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        with translated():
            return self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentDisposition": content_disposition(filename),
                    "ResponseContentType": content_type,
                },
                ExpiresIn=expires_in,
            )

    def head(self, key: str) -> dict[str, Any] | None:
        """`{"size", "content_type"}` of the object, or None when it does not exist."""
        try:
            with translated():
                response = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error_code(error) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return {"size": response["ContentLength"], "content_type": response.get("ContentType")}

    def stream(self, key: str) -> Iterator[bytes]:
        """The object's bytes in chunks, never the whole object at once."""
        with translated():
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        with translated():
            yield from body.iter_chunks(CHUNK_BYTES)

    def delete_object_and_prefix(self, key: str, prefix: str) -> None:
        """Delete one object and everything under a prefix (derived files)."""
        keys = [key]
        with translated():
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                keys.extend(obj["Key"] for obj in page.get("Contents", []))
            for start in range(0, len(keys), 1000):
                batch = [{"Key": k} for k in keys[start : start + 1000]]
                response = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
                if response.get("Errors"):
                    raise TransientError(f"S3 kept {len(response['Errors'])} objects under {prefix}")
