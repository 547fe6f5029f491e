"""The event catalog: every event type the bus carries, when it is sent, and the model of its `detail`.

`make openapi` writes each one's JSON Schema to `docs/events/` (`local.event_catalog`); a test holds the files to the
models, and the events a lifecycle really sends to the schemas."""

from __future__ import annotations

from dataclasses import dataclass

from functions.models.assets import EventDetail
from functions.models.comments import CommentEventDetail
from functions.models.common import Model
from functions.models.exports import ExportEventDetail
from functions.models.webhooks import WebhookEventDetail, WebhookTestDetail


@dataclass(frozen=True)
class EventType:
    name: str
    """The EventBridge `detail-type`."""
    when: str
    detail: type[Model]


CATALOG = (
    EventType("asset.ready", "An upload (or a copy, a link, an external video) is processed and ready.", EventDetail),
    EventType("asset.failed", "An upload could not be processed (`asset.error` says why).", EventDetail),
    EventType("asset.updated", "A field the API shows changed (PATCH, PUT, a move); not a download.", EventDetail),
    EventType("asset.replaced", "Another version of the file became current (a new version, a restore).", EventDetail),
    EventType("asset.deleted", "The asset went to the trash, or was removed outright; `asset` as it was.", EventDetail),
    EventType("asset.restored", "The asset came back from the trash.", EventDetail),
    EventType("asset.purged", "Every file and item of a trashed asset is gone for good.", EventDetail),
    EventType("comment.created", "A comment was written on an asset.", CommentEventDetail),
    EventType("comment.deleted", "A comment was deleted, or purged with its asset.", CommentEventDetail),
    EventType("export.ready", "An export's zip is complete (read the export for its `url`).", ExportEventDetail),
    EventType("export.failed", "An export could not be made (`export.error` says why).", ExportEventDetail),
    EventType(
        "webhook.disabled",
        "A webhook endpoint was disabled: every attempt failed for 5 days (`webhook.disabled_reason` `failing`), or a "
        "PATCH (`request`).",
        WebhookEventDetail,
    ),
    EventType(
        "webhook.test",
        "`POST /v1/webhooks/{id}/test` was called; delivered to that endpoint alone.",
        WebhookTestDetail,
    ),
)
BY_TYPE = {event.name: event for event in CATALOG}
