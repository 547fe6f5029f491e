"""SQS (the webhook fan-out queue, fed by an EventBridge rule with every event of the bus) -> one delivery per
subscribed endpoint, each queued for `functions.deliver_webhooks` (`services.webhook_delivery.fan_out`).

An event whose fan-out fails (DynamoDB or SQS busy) is reported alone (partial batch failure) and comes back;
deliveries it already made are made once (their ids follow from the event and the endpoint).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions.services import webhook_delivery
from functions.services.deps import get_deps
from functions.tracing import traced

logger = Logger(service="assets")
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    event = json.loads(record.body)
    queued_at = datetime.fromtimestamp(int(record.attributes.sent_timestamp) / 1000, UTC)
    count = webhook_delivery.fan_out(get_deps(), event, queued_at)
    logger.info("event fanned out", extra={"type": event.get("detail-type"), "deliveries": count})


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
