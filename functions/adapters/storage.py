"""S3 access: presigned POST/GET, streaming and ranged reads, writes and deletes."""

from __future__ import annotations

import io
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from email.utils import encode_rfc2231
from itertools import islice
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from functions.adapters import clients
from functions.adapters.aws_errors import error_code, translated
from functions.errors import TransientError

CHUNK_BYTES = 1024 * 1024
SINGLE_COPY_BYTES = 5 * 1024**3
"""CopyObject's largest object (5 GiB); a larger one is copied in parts."""
COPY_PART_BYTES = 512 * 1024**2
"""Parts of a copy in parts: 5 TiB in under 10,000 (s3transfer raises it further if needed)."""
BLOCK_BYTES = 64 * 1024
CACHED_BLOCKS = 32
RANGE_BYTES = 8 * 1024 * 1024
RANGES_IN_FLIGHT = 4
"""`read_ranges`: 8 MiB ranged GETs, 4 at a time (AWS's advice for S3 throughput is 8-16 MB ranges on several
connections; one connection gives of the order of 100 MB/s)."""
STREAMS_AHEAD = 4
"""`stream_each`: GETs sent ahead of the one being read (S3 takes tens of milliseconds to a first byte)."""


def content_disposition(filename: str, inline: bool = False) -> str:
    """RFC 6266 `attachment` (or `inline`) with an ASCII fallback and an RFC 5987 UTF-8 `filename*`."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in filename)
    kind = "inline" if inline else "attachment"
    return f'{kind}; filename="{fallback}"; filename*={encode_rfc2231(filename, "utf-8")}'


def _chunks(body: Any) -> Iterator[bytes]:
    with translated():
        yield from body.iter_chunks(CHUNK_BYTES)


class RangedObject(io.RawIOBase):
    """A read-only, seekable file over one S3 object, fetched in ranged GETs of whole blocks.

    Parsers that only need a header, or a trailer (a PDF's cross-reference table, an MP4's
    `moov` box), read those bytes and no others. Blocks are cached (LRU, `CACHED_BLOCKS`; a read
    longer than the cache goes straight through). `limit` (or a `capped` view) makes the object look
    truncated after that many bytes, which caps what a parser can make us read. `bytes_read` counts
    the bytes transferred.
    """

    def __init__(self, storage: Storage, key: str, size: int, limit: int | None = None):
        super().__init__()
        self._storage, self._key = storage, key
        self._object_size = size
        self._size = size if limit is None else min(size, limit)
        self._position = 0
        self._blocks: OrderedDict[int, bytes] = OrderedDict()
        self._source = self
        self.bytes_read = 0

    def capped(self, limit: int) -> RangedObject:
        """A view of the first `limit` bytes that shares this object's blocks and byte count."""
        view = RangedObject(self._storage, self._key, self._object_size, min(self._size, limit))
        view._blocks, view._source = self._blocks, self._source
        return view

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        end = min(self._position + len(buffer), self._size)
        if end <= self._position:
            return 0
        first, last = self._position // BLOCK_BYTES, (end - 1) // BLOCK_BYTES
        if last - first >= CACHED_BLOCKS:
            data, start = self._get(self._position, end - 1), 0
        else:
            for index in range(first, last + 1):
                if index in self._blocks:
                    self._blocks.move_to_end(index)
                else:
                    end_of_block = min((index + 1) * BLOCK_BYTES, self._object_size)
                    self._blocks[index] = self._get(index * BLOCK_BYTES, end_of_block - 1)
            while len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
            data = b"".join(self._blocks[index] for index in range(first, last + 1))
            start = self._position - first * BLOCK_BYTES
        count = end - self._position
        memoryview(buffer).cast("B")[:count] = data[start : start + count]
        self._position = end
        return count

    def _get(self, start: int, end: int) -> bytes:
        data = self._storage.read_range(self._key, start, end)
        self._source.bytes_read += len(data)
        return data


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

    def presign_get(self, key: str, filename: str, content_type: str, expires_in: int, inline: bool = False) -> str:
        with translated():
            return self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentDisposition": content_disposition(filename, inline),
                    "ResponseContentType": content_type,
                },
                ExpiresIn=expires_in,
            )

    def start_multipart(self, key: str, content_type: str) -> str:
        """S3's id of a new multipart upload to `key`."""
        with translated():
            return self.client.create_multipart_upload(Bucket=self.bucket, Key=key, ContentType=content_type)[
                "UploadId"
            ]

    def presign_part(self, key: str, upload_id: str, number: int, expires_in: int) -> str:
        """A URL to PUT part `number` of that upload to (signed with this role: it can reach that key only)."""
        with translated():
            return self.client.generate_presigned_url(
                "upload_part",
                Params={"Bucket": self.bucket, "Key": key, "UploadId": upload_id, "PartNumber": number},
                ExpiresIn=expires_in,
            )

    def parts(self, key: str, upload_id: str) -> dict[int, dict[str, Any]] | None:
        """The uploaded parts by number, `{"etag", "size"}`; None when there is no such upload (any more)."""
        found: dict[int, dict[str, Any]] = {}
        try:
            with translated():
                pages = self.client.get_paginator("list_parts").paginate(
                    Bucket=self.bucket, Key=key, UploadId=upload_id
                )
                for page in pages:
                    for part in page.get("Parts", []):
                        found[part["PartNumber"]] = {"etag": part["ETag"], "size": part["Size"]}
        except ClientError as error:
            if error_code(error) == "NoSuchUpload":
                return None
            raise
        return found

    def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        """Send part `number` of the upload (ours, not a client's); its ETag."""
        with translated():
            return self.client.upload_part(
                Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
            )["ETag"]

    def complete_multipart(self, key: str, upload_id: str, etags: list[str]) -> bool:
        """Complete the upload with parts 1..n of these ETags: the object appears (and is processed). False when
        there is no such upload (any more): completed or aborted meanwhile."""
        parts = [{"PartNumber": number, "ETag": etag} for number, etag in enumerate(etags, 1)]
        try:
            with translated():
                self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
                )
        except ClientError as error:
            if error_code(error) == "NoSuchUpload":
                return False
            raise
        return True

    def abort_multipart(self, key: str, upload_id: str) -> None:
        """Abort the upload and free its parts; one already gone is fine."""
        try:
            with translated():
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except ClientError as error:
            if error_code(error) != "NoSuchUpload":
                raise

    def head(self, key: str) -> dict[str, Any] | None:
        """`{"size", "content_type", "etag"}` of the object, or None when it does not exist."""
        try:
            with translated():
                response = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error_code(error) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return {
            "size": response["ContentLength"],
            "content_type": response.get("ContentType"),
            "etag": response["ETag"],
        }

    def copy(self, source: str, target: str, etag: str | None = None, size: int = 0) -> None:
        """Server-side copy of `source`; with `etag`, of exactly the version whose ETag that is. An object of
        `size` over `SINGLE_COPY_BYTES` (CopyObject's limit) is copied in parts (UploadPartCopy), in parallel.

        S3 refuses the copy (412) when `source` was replaced since it was read: that is transient, the
        next delivery reads the new object. Sealed originals and renditions are never replaced, so a copy
        of those needs no `etag`."""
        pinned = {"CopySourceIfMatch": etag} if etag else {}
        copy_source = {"Bucket": self.bucket, "Key": source}
        with translated():
            try:
                if size > SINGLE_COPY_BYTES:
                    self.client.copy(
                        copy_source,
                        self.bucket,
                        target,
                        ExtraArgs={"MetadataDirective": "COPY", **pinned},
                        Config=TransferConfig(
                            multipart_threshold=SINGLE_COPY_BYTES, multipart_chunksize=COPY_PART_BYTES
                        ),
                    )
                    return
                self.client.copy_object(
                    Bucket=self.bucket, Key=target, CopySource=copy_source, MetadataDirective="COPY", **pinned
                )
            except ClientError as error:
                if error_code(error) == "PreconditionFailed":
                    raise TransientError(f"{source} changed while it was being sealed") from error
                raise

    def keys(self, prefix: str) -> list[str]:
        with translated():
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
            return [obj["Key"] for page in pages for obj in page.get("Contents", [])]

    def stream(self, key: str) -> Iterator[bytes]:
        """The object's bytes in chunks, never the whole object at once."""
        with translated():
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        yield from _chunks(body)

    def stream_existing(self, key: str) -> Iterator[bytes] | None:
        """As `stream`, but the object is asked for at once: None when it does not exist."""
        try:
            with translated():
                body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if error_code(error) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return _chunks(body)

    def stream_each(self, keys: Iterable[str], ahead: int = STREAMS_AHEAD) -> Iterator[Iterator[bytes] | None]:
        """`stream_existing` of each key, in order, with the GETs of the next `ahead` keys sent while the caller reads
        one, so the wait for each object's first byte overlaps the reading of the one before. At most `ahead + 1`
        responses are open at once, their bodies not read until their turn (they wait on the connection), so
        memory does not grow with the objects' sizes. Close the iterator to stop early."""
        keys = iter(keys)
        pool = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="streams")
        pending: deque[Future[Iterator[bytes] | None]] = deque(
            pool.submit(self.stream_existing, key) for key in islice(keys, ahead)
        )
        try:
            while pending:
                opened = pending.popleft().result()
                key = next(keys, None)
                if key is not None:
                    pending.append(pool.submit(self.stream_existing, key))
                yield opened
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def read_ranges(
        self, key: str, size: int, range_bytes: int = RANGE_BYTES, in_flight: int = RANGES_IN_FLIGHT
    ) -> Iterator[bytes]:
        """The object's bytes in order, as ranged GETs of `range_bytes` run `in_flight` at a time on a thread pool.

        For objects that one stream would read too slowly. At most `in_flight + 1` ranges are held at once (those
        fetched or being fetched, and the one the caller is using), whatever the object's size. The last range asks
        for one byte past `size`: an object that grew yields that byte and one that shrank yields fewer, so a caller
        that counts the bytes sees the change, as with `stream`. The first failed GET is raised in its turn, once the
        GETs already running have ended; no other starts.
        """
        starts = iter(range(0, size, range_bytes))

        def fetch(start: int) -> bytes:
            end = start + range_bytes - 1
            return self.read_range(key, start, end if end < size - 1 else size)

        pool = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="ranges")
        pending: deque[Future[bytes]] = deque(pool.submit(fetch, start) for start in islice(starts, in_flight))
        try:
            while pending:
                data = pending.popleft().result()
                yield data
                del data  # dropped before the next GET starts, so the bound holds
                start = next(starts, None)
                if start is not None:
                    pending.append(pool.submit(fetch, start))
        finally:
            pool.shutdown(wait=True)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes `start` to `end` inclusive: fewer when `end` is past the object's end, none when `start` is."""
        try:
            with translated():
                response = self.client.get_object(Bucket=self.bucket, Key=key, Range=f"bytes={start}-{end}")
                return response["Body"].read()
        except ClientError as error:
            if error_code(error) == "InvalidRange":  # S3's 416 for a range that starts past the end
                return b""
            raise

    def read(self, key: str) -> bytes | None:
        """The whole (small) object, or None when it does not exist."""
        chunks = self.stream_existing(key)
        return None if chunks is None else b"".join(chunks)

    def open_ranged(self, key: str, size: int) -> RangedObject:
        return RangedObject(self, key, size)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with translated():
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            with translated():
                response = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            if response.get("Errors"):
                raise TransientError(f"S3 kept {len(response['Errors'])} of the objects to delete")
