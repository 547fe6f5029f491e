"""DynamoDB TTL, which the emulator lacks: remove the items whose `expires_at` has passed.

The removals reach `functions.forget_expired` the way they do on AWS, through the table's stream
(`local.streams`), which is told first that TTL is making them. Emulator only: it scans the local table, as
DynamoDB's own TTL process reads every partition.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import boto3

from functions import schema
from local.streams import StreamReader

log = logging.getLogger("local.expiry")
SWEEP_SECONDS = 30


class Expiry(threading.Thread):
    def __init__(self, table_name: str, stream: StreamReader):
        super().__init__(name="ttl-expiry", daemon=True)
        self.table_name = table_name
        self.stream = stream
        self.stopping = threading.Event()
        self.dynamodb = boto3.client("dynamodb")

    def run(self) -> None:
        while not self.stopping.wait(SWEEP_SECONDS):
            try:
                self.sweep_once()
            except Exception:
                log.exception("the TTL sweep failed")

    def sweep_once(self, now: float | None = None) -> int:
        """Remove every item whose TTL has passed (at `now`); returns how many."""
        moment = str(int(now if now is not None else time.time()))
        scan: dict[str, Any] = {
            "TableName": self.table_name,
            "FilterExpression": "#ttl < :now",
            "ExpressionAttributeNames": {"#ttl": schema.TTL_ATTRIBUTE},
            "ExpressionAttributeValues": {":now": {"N": moment}},
        }
        removed = 0
        while True:
            page = self.dynamodb.scan(**scan)
            for item in page.get("Items", []):
                key = {name: item[name] for name in (schema.PARTITION_KEY, schema.SORT_KEY)}
                self.stream.removing_by_ttl(key)
                self.dynamodb.delete_item(TableName=self.table_name, Key=key)
                removed += 1
            if "LastEvaluatedKey" not in page:
                break
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return removed
