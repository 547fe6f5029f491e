"""The adapters a service works with, built once per container from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from functions.adapters.catalog import Counts
from functions.adapters.cdn import Cdn
from functions.adapters.comments import Comments
from functions.adapters.edge import EdgeSigner
from functions.adapters.events import EventBus
from functions.adapters.exports import Exports
from functions.adapters.folders import Folders
from functions.adapters.gateway import AuthorizerCache
from functions.adapters.jobs import Jobs
from functions.adapters.keys import Keys
from functions.adapters.secrets import Secrets
from functions.adapters.shares import Shares
from functions.adapters.storage import Storage
from functions.adapters.table import Table
from functions.adapters.uploads import Uploads
from functions.adapters.versions import Versions
from functions.settings import Settings, get_settings


@dataclass(frozen=True)
class Deps:
    settings: Settings
    table: Table
    versions: Versions
    comments: Comments
    shares: Shares
    exports: Exports
    uploads: Uploads
    folders: Folders
    counts: Counts
    storage: Storage
    bus: EventBus
    jobs: Jobs
    export_jobs: Jobs
    """The exports queue: rounds of the export worker."""
    secrets: Secrets
    cdn: Cdn
    keys: Keys
    authorizers: AuthorizerCache
    """The API stage's authorizer cache, flushed when a key is revoked."""
    edge: EdgeSigner | None
    """Signs redirects to large files behind the CDN; None locally (they are presigned S3 URLs there)."""


def build(settings: Settings) -> Deps:
    table = Table(settings.table_name)
    secrets = Secrets()
    return Deps(
        settings=settings,
        table=table,
        versions=Versions(table),
        comments=Comments(table),
        shares=Shares(table),
        exports=Exports(table),
        uploads=Uploads(table),
        folders=Folders(table),
        counts=Counts(table),
        storage=Storage(settings.bucket_name),
        bus=EventBus(settings.event_bus_name, settings.event_source),
        jobs=Jobs(settings.jobs_queue_url),
        export_jobs=Jobs(settings.exports_queue_url),
        secrets=secrets,
        cdn=Cdn(settings.delivery_distribution_id),
        keys=Keys(table),
        authorizers=AuthorizerCache(settings.rest_api_id, settings.api_stage),
        edge=EdgeSigner(settings.delivery_key_pair_id, lambda: secrets.value(settings.delivery_signing_key))
        if settings.delivery_key_pair_id
        else None,
    )


@cache
def get_deps() -> Deps:
    return build(get_settings())
