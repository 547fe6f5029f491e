"""SQS (the webhook delivery queue) -> the due attempt of each delivery (`services.webhook_delivery.deliver`).

The attempts of a batch run side by side, one thread each, so a slow endpoint holds up no other delivery of the
batch (each attempt is bounded anyway: `adapters.receivers`); a delivery queued twice in one batch is handled
once (two copies at once would both find its attempt due). An endpoint's failure is not a failure here: the
attempt is recorded and the next one queued with its delay. Only a delivery that could not be handled (DynamoDB
or SQS busy) is reported (partial batch failure) and comes back.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aws_lambda_powertools import Logger

from functions.services import webhook_delivery
from functions.services.deps import get_deps
from functions.tracing import traced

logger = Logger(service="assets")


def _handled(record: dict[str, Any]) -> bool:
    try:
        message = json.loads(record["body"])
        webhook_delivery.deliver(get_deps(), message["tenant"], message["webhook_id"], message["delivery_id"])
    except Exception:
        logger.exception("a delivery could not be handled; it comes back", extra={"message": record["messageId"]})
        return False
    return True


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    records = event.get("Records", [])
    if not records:
        return {"batchItemFailures": []}
    deps = get_deps()  # the clients are made here, once: boto3 does not make them safely from several threads
    _ = deps.webhooks.table.client, deps.webhook_deliveries.client
    once = {record["body"]: record for record in reversed(records)}  # a delivery queued twice is handled once
    with ThreadPoolExecutor(max_workers=len(once)) as pool:
        handled = dict(zip(once, pool.map(_handled, once.values()), strict=True))
    failed = [record["messageId"] for record in records if not handled[record["body"]]]
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}
