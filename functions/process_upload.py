"""SQS (S3 ObjectCreated on uploads/) -> seal and inspect each upload -> ready/failed + event.

Partial batch failures: a transient AWS error fails only its message, which SQS redelivers
and finally moves to the dead-letter queue. A bad file is not an error here: it ends `failed`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions.services.deps import get_deps
from functions.services.processing import metrics, process_object
from functions.tracing import traced

logger = Logger(service="assets")
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
"""Report every failed message, even all of a batch, so SQS retries exactly those."""


def object_keys(body: str) -> list[str]:
    """Keys of the ObjectCreated records in an S3 notification (S3's test event has none)."""
    message = json.loads(body)
    return [
        unquote_plus(record["s3"]["object"]["key"])
        for record in message.get("Records", [])
        if str(record.get("eventName", "")).startswith("ObjectCreated")
    ]


def record_handler(record: SQSRecord) -> None:
    outcomes = [process_object(get_deps(), key) for key in object_keys(record.body)] or ["ignored"]
    for outcome in outcomes:
        metrics.add_metric(name=f"Upload_{outcome}", unit=MetricUnit.Count, value=1)


@traced
@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
