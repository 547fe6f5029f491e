"""DynamoDB stream (changes of asset records) -> `asset.*` events on EventBridge (see services.events), and the
CDN told to forget the delivery URLs of assets whose delivery changed (services.delivery.stale_paths).

In order: the events of a batch are put in the order of its records, and at the first record whose events
the bus refuses (or that cannot be read) the batch stops and reports that record as failed. The event
source mapping then sends the batch again from there, so an asset's events never overtake one another
and none is skipped; an event accepted just before the failure may go out twice, with the same `id`.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from functions.adapters.events import Refused
from functions.services.deps import get_deps
from functions.services.events import Event, events_of, stale_paths
from functions.tracing import traced

logger = Logger(service="assets")


def _failed(record: dict[str, Any]) -> dict[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    deps = get_deps()
    records = event.get("Records", [])
    found: list[Event] = []
    owners: list[int] = []
    stale: list[str] = []
    unreadable = None
    for index, record in enumerate(records):
        try:
            events = events_of(record, deps.bus.source)
            stale.extend(stale_paths(record))
        except Exception:
            logger.exception("a stream record could not be read", extra={"keys": record["dynamodb"].get("Keys")})
            unreadable = index
            break
        found.extend(events)
        owners.extend([index] * len(events))
    try:
        deps.bus.put(found)
    except Refused as refused:
        logger.warning("events refused; the stream sends them again", extra={"reason": str(refused)})
        return _failed(records[owners[refused.accepted]])
    # after the events: a refused event stops the batch, and its retry invalidates these paths again
    deps.cdn.invalidate(stale, reference=records[-1]["dynamodb"]["SequenceNumber"] if records else None)
    logger.info("events published", extra={"records": len(records), "events": len(found), "stale": len(stale)})
    return _failed(records[unreadable]) if unreadable is not None else {"batchItemFailures": []}
