"""DynamoDB stream -> what TTL's removals leave to do: take a pending record that never got its upload out of
the counts, folder counts and members (services.expiry); purge the files of a trashed one (services.trash).

The event source mapping's filter passes only TTL removals of asset records; this checks again. A failed
record is reported alone (partial batch response) and retried; after that it goes to the stream's
dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from functions.services import expiry, trash
from functions.services.deps import get_deps
from functions.tracing import traced

logger = Logger(service="assets")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)


def record_handler(record: DynamoDBRecord) -> None:
    asset = expiry.removed_by_ttl(record.raw_event)
    if asset is None:
        return
    if asset.deleted_at is not None:
        trash.purge_expired(get_deps(), asset)
        logger.info("purged from the trash", extra={"asset_id": asset.id})
        return
    forgotten = expiry.forget(get_deps(), asset)
    logger.info("expired pending asset", extra={"asset_id": asset.id, "forgotten": forgotten})


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
