"""The adapters a service works with, built once per container from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from functions.adapters.catalog import Counts
from functions.adapters.cdn import Cdn
from functions.adapters.events import EventBus
from functions.adapters.folders import Folders
from functions.adapters.jobs import Jobs
from functions.adapters.secrets import Secrets
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
    uploads: Uploads
    folders: Folders
    counts: Counts
    storage: Storage
    bus: EventBus
    jobs: Jobs
    secrets: Secrets
    cdn: Cdn


def build(settings: Settings) -> Deps:
    table = Table(settings.table_name)
    return Deps(
        settings=settings,
        table=table,
        versions=Versions(table),
        uploads=Uploads(table),
        folders=Folders(table),
        counts=Counts(table),
        storage=Storage(settings.bucket_name),
        bus=EventBus(settings.event_bus_name, settings.event_source),
        jobs=Jobs(settings.jobs_queue_url),
        secrets=Secrets(),
        cdn=Cdn(settings.delivery_distribution_id),
    )


@cache
def get_deps() -> Deps:
    return build(get_settings())
