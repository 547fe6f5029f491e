"""Typed configuration, read from the environment once per cold start."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import cache

MIB = 1024 * 1024
GIB = 1024 * MIB
DEFAULT_MAX_UPLOAD_BYTES = 5 * GIB


def parse_origins(value: str) -> tuple[str, ...]:
    """A comma-separated origin list, blanks dropped; `*` alone when it names none or holds `*`."""
    origins = tuple(origin.strip() for origin in value.split(",") if origin.strip())
    return origins if origins and "*" not in origins else ("*",)


def _parse(kind: object, raw: str) -> int | bool | str:
    """A variable's value as its field's type (annotations are strings here)."""
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw


@dataclass(frozen=True)
class Settings:
    table_name: str = "assets"
    bucket_name: str = "assets"
    event_bus_name: str = "assets"
    event_source: str = "assets"
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    """The largest file an upload may declare: S3 takes up to 5 TiB, the processor `max_hashed_bytes`."""
    single_upload_bytes: int = 100 * MIB
    """The largest upload sent as one presigned POST; a larger one is a multipart upload of presigned parts."""
    upload_url_ttl_seconds: int = 900
    download_url_ttl_seconds: int = 300
    pending_ttl_seconds: int = 86_400
    """A pending record whose upload never arrives is removed by DynamoDB TTL after this."""
    trash_retention_days: int = 30
    """A deleted asset stays in the trash this long, then DynamoDB TTL and the stream purge it."""
    max_image_pixels: int = 100_000_000
    """Decompression-bomb limit for images."""
    memory_file_bytes: int = 16 * MIB
    """A file being processed is kept in memory up to this size, and spooled to /tmp beyond it."""
    max_decoded_bytes: int = 256 * MIB
    """Images and PDFs larger than this are hashed but not decoded: header metadata only, no placeholders or
    renditions. A decoded file is spooled whole to the processor's /tmp (1024 MiB): 256 MiB leaves it 4x room."""
    parallel_read_bytes: int = 32 * MIB
    """Files larger than this are hashed from parallel ranged GETs (`Storage.read_ranges`), smaller ones from one
    stream: 32 MiB is the ranges one round of those GETs fetches (4 x 8 MiB)."""
    max_hashed_bytes: int = 8 * 1024 * MIB
    """Larger files end `failed` (`too_large`) unread: hashing them would not fit the processor's timeout
    (`schema.PROCESSOR_TIMEOUT_SECONDS`; see the README's processing section for the arithmetic)."""
    idempotency_table: str = "assets-idempotency"
    """Powertools' idempotency records of POST requests sent with `Idempotency-Key`."""
    jobs_queue_url: str = ""
    """The folder-jobs queue (recursive deletes, re-indexing a moved subtree)."""
    exports_queue_url: str = ""
    """The exports queue: each message is one round of an export's zip, streamed by `functions.run_export`."""
    cors_allow_origin: str = "*"
    """Origins allowed to call the API, upload to the bucket and read delivery URLs from a script: a
    comma-separated list (`https://app.example.com,https://admin.example.com`), or `*` for any."""
    delivery_url: str = ""
    """Base of every delivery URL (the CDN's domain, or a custom one), without a trailing slash: set by the stack,
    and by `make dev` to its `/cdn`. Empty: assets carry no URLs."""
    delivery_url_ttl_seconds: int = 3600
    """Lifetime of a private asset's signed delivery URL; reading the asset again gives a fresh one."""
    delivery_cache_seconds: int = 86_400
    """How long the CDN keeps a delivered file or transform (`s-maxage`), bounded by the URL's expiry and the
    asset's availability window; a change to the asset invalidates it sooner."""
    delivery_presets: str = (
        '{"thumb": "w=200&h=200&fit=cover", "card": "w=640&h=360&fit=cover", "hero": "w=1920&fit=inside"}'
    )
    """Named transforms that need no signature (JSON: name -> transform query)."""
    delivery_max_dimension: int = 4096
    """The largest `w` or `h` a transform may ask for (after `dpr`)."""
    delivery_inline_bytes: int = 4 * MIB
    """Larger files and transform results are served from S3 through a redirect: a Lambda response holds 6 MB,
    base64 inflates by a third."""
    delivery_secret: str = "assets-delivery-key"  # noqa: S105 - the name of a secret, not its value
    """Name or ARN of the Secrets Manager secret each tenant's delivery signing key is derived from."""
    delivery_key_pair_id: str = ""
    """The CloudFront public key that signs redirects to large files (`/_files/...`); empty locally, where
    they are presigned S3 URLs of the local endpoint."""
    delivery_signing_key: str = ""
    """Name or ARN of the Secrets Manager secret holding that key pair's private key (PEM)."""
    delivery_distribution_id: str = ""
    """The CloudFront distribution to invalidate when an asset's delivery changes; empty locally."""
    webhook_deliveries_queue_url: str = ""
    """The webhook delivery queue: each message is a delivery whose attempt is due (`functions.deliver_webhooks`)."""
    webhook_local_receivers: int = 0
    """1: webhook URLs may also be `http://127.0.0.1` or `http://localhost` (a receiver on this machine). Only the
    local stack (`make dev`) turns it on; everywhere else such a URL is a 400 and loopback is never connected to."""
    rest_api_id: str = ""
    """The REST API whose stage's authorizer cache a revoked key is flushed from; empty locally (no cache)."""
    api_stage: str = ""
    """That API's stage."""
    cursor_secret: str = "assets-cursor-key"  # noqa: S105 - the name of a secret, not its value
    """Name or ARN of the Secrets Manager secret whose value signs page cursors."""
    tracing: bool = False
    """X-Ray subsegments from Powertools' Tracer (`functions/tracing.py`): on in the stack, whose functions trace
    actively; off in `make dev` and the tests, where the X-Ray SDK is never imported."""

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] = os.environ) -> Settings:
        values = {}
        for field in fields(cls):
            raw = environ.get(field.name.upper())
            if raw is not None:
                values[field.name] = _parse(field.type, raw)
        return cls(**values)

    @property
    def cors_origins(self) -> tuple[str, ...]:
        return parse_origins(self.cors_allow_origin)

    def to_env(self) -> dict[str, str]:
        """The environment variables that reproduce these settings (used by CDK and `make dev`)."""
        return {field.name.upper(): str(getattr(self, field.name)) for field in fields(self)}


@cache
def get_settings() -> Settings:
    return Settings.from_env()
