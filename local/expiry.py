"""DynamoDB TTL and its stream, which the emulator lacks: remove expired items and hand each removal to
`functions.forget_expired` as the stream's event source mapping would (TTL removals of asset records).

Emulator only: it scans the local table, as DynamoDB's own TTL process reads every partition.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

import boto3

from functions import schema
from local.lambda_runtime import Functions

log = logging.getLogger("local.expiry")
FORGET = "functions.forget_expired"
SWEEP_SECONDS = 30


def ttl_removal(item: dict[str, Any]) -> dict[str, Any]:
    """The stream record DynamoDB writes when TTL removes `item`."""
    return {
        "eventID": uuid.uuid4().hex,
        "eventName": "REMOVE",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
        "dynamodb": {
            "Keys": {name: item[name] for name in (schema.PARTITION_KEY, schema.SORT_KEY)},
            "OldImage": item,
            "SequenceNumber": str(time.time_ns()),
            "StreamViewType": "OLD_IMAGE",
        },
    }


class Expiry(threading.Thread):
    def __init__(self, table_name: str, functions: Functions):
        super().__init__(name="ttl-expiry", daemon=True)
        self.table_name = table_name
        self.functions = functions
        self.stopping = threading.Event()
        self.dynamodb = boto3.client("dynamodb")

    def run(self) -> None:
        while not self.stopping.wait(SWEEP_SECONDS):
            try:
                self.sweep_once()
            except Exception:
                log.exception("the TTL sweep failed")

    def sweep_once(self, now: float | None = None) -> int:
        """Remove every item whose TTL has passed (at `now`); feed the asset records' removals to the handler."""
        moment = str(int(now if now is not None else time.time()))
        scan: dict[str, Any] = {
            "TableName": self.table_name,
            "FilterExpression": "#ttl < :now",
            "ExpressionAttributeNames": {"#ttl": schema.TTL_ATTRIBUTE},
            "ExpressionAttributeValues": {":now": {"N": moment}},
        }
        removals = []
        while True:
            page = self.dynamodb.scan(**scan)
            for item in page.get("Items", []):
                key = {name: item[name] for name in (schema.PARTITION_KEY, schema.SORT_KEY)}
                self.dynamodb.delete_item(TableName=self.table_name, Key=key)
                removals.append(ttl_removal(item))
            if "LastEvaluatedKey" not in page:
                break
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        if removals:
            self.functions.invoke(FORGET, {"Records": removals})
        return len(removals)
