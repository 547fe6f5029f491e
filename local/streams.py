"""The table's stream, read the way Lambda's event source mappings read it, for `schema.STREAM_CONSUMERS`.

The reader takes new records from the emulator's stream (the DynamoDB Streams API, which moto
implements), hands each consumer the ones its filter passes, in order and in batches, and when a consumer
reports a record failed (`batchItemFailures`), sends it again from that record on the next poll.

moto keeps every record for good (DynamoDB: 24 hours), so the reader drops the records every consumer has
handled, under `EMULATOR_TABLES`, the lock `make dev`'s emulator holds around each DynamoDB request. And
moto deep-copies a table, stream included, at each transaction, to put it back if the transaction fails:
`cheap_stream_copies` makes that copy of the stream a copy of its list of records, which nothing changes
once written, so a failed transaction still leaves no record and a write no longer costs more as they pile up.

moto's stream does not say which removals TTL made: `local.expiry` tells the reader before it removes an
item (`removing_by_ttl`), and that removal then carries TTL's `userIdentity`, as on AWS.
"""

from __future__ import annotations

import copy
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamShard
from moto.events.models import EventPattern

from functions import schema
from local.lambda_runtime import Functions

log = logging.getLogger("local.streams")
BATCH_SIZE = 100
POLL_SECONDS = 0.5
TTL_IDENTITY = {"type": "Service", "principalId": schema.TTL_PRINCIPAL}


def _copy_of_shard(shard: StreamShard, memo: dict[int, Any]) -> StreamShard:
    copied = copy.copy(shard)
    copied.table = memo.get(id(shard.table), shard.table)  # the table copy this shard belongs to
    copied.items = list(shard.items)
    return copied


def cheap_stream_copies() -> None:
    StreamShard.__deepcopy__ = _copy_of_shard  # type: ignore[attr-defined]


EMULATOR_TABLES = threading.Lock()
"""moto's tables are not thread-safe: one DynamoDB request at a time (local.stack), and no trim meanwhile."""


@dataclass
class Mapping:
    module: str
    pattern: EventPattern
    waiting: list[dict[str, Any]] = field(default_factory=list)
    """Records that passed the filter and have not been handled yet, oldest first."""


def _key(keys: dict[str, Any]) -> tuple[str, str]:
    return keys[schema.PARTITION_KEY]["S"], keys[schema.SORT_KEY]["S"]


class StreamReader(threading.Thread):
    def __init__(self, table_name: str, functions: Functions):
        super().__init__(name="table-stream", daemon=True)
        self.table_name = table_name
        self.functions = functions
        self.stopping = threading.Event()
        # botocore sends ARN calls to an account's own endpoint, which moto does not serve
        self.streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
        self.arn = boto3.client("dynamodb").describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        self.shard = self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.mappings = [
            Mapping(f"functions.{name}", EventPattern(None, pattern))
            for name, pattern in schema.STREAM_CONSUMERS.items()
        ]
        self.last_read: str | None = None
        self._ttl: set[tuple[str, str]] = set()
        self._ttl_lock = threading.Lock()
        self._polling = threading.Lock()

    @property
    def modules(self) -> list[str]:
        return [mapping.module for mapping in self.mappings]

    def removing_by_ttl(self, keys: dict[str, Any]) -> None:
        with self._ttl_lock:
            self._ttl.add(_key(keys))

    def run(self) -> None:
        while not self.stopping.wait(POLL_SECONDS):
            try:
                self.poll_once()
            except Exception:
                log.exception("reading the table's stream failed")

    def poll_once(self) -> int:
        """Read what is new and feed every consumer one batch; returns how many records were handled."""
        with self._polling:
            for record in self._new_records():
                for mapping in self.mappings:
                    if mapping.pattern.matches_event(record):
                        mapping.waiting.append(record)
            handled = sum(self._feed(mapping) for mapping in self.mappings)
            self._trim()
            return handled

    def _trim(self) -> None:
        """Drop from the emulator's stream the records before the oldest one a consumer still waits for."""
        waiting = [int(m.waiting[0]["dynamodb"]["SequenceNumber"]) for m in self.mappings if m.waiting]
        if self.last_read is None:
            return
        keep_from = min(waiting, default=int(self.last_read) + 1)
        with EMULATOR_TABLES:
            shard = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table(self.table_name).stream_shard
            drop = keep_from - shard.starting_sequence_number
            if drop > 0:
                del shard.items[:drop]
                shard.starting_sequence_number += drop

    def _new_records(self) -> list[dict[str, Any]]:
        records = self.read(after=self.last_read)
        if records:
            self.last_read = records[-1]["dynamodb"]["SequenceNumber"]
        return records

    def read(self, after: str | None = None) -> list[dict[str, Any]]:
        """The stream's records after sequence number `after` (from the oldest without), as Lambda hands them
        to a function."""
        # a fresh iterator each time: moto's iterators hold on to the shard a failed transaction replaced
        start = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after} if after else {}
        iterator = self.streams.get_shard_iterator(
            StreamArn=self.arn, ShardId=self.shard, **(start or {"ShardIteratorType": "TRIM_HORIZON"})
        )["ShardIterator"]
        records = self.streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]
        for record in records:
            self._as_lambda_sees_it(record)
        return records

    def _as_lambda_sees_it(self, record: dict[str, Any]) -> None:
        change = record["dynamodb"]
        change["ApproximateCreationDateTime"] = change["ApproximateCreationDateTime"].timestamp()
        record["eventSourceARN"] = self.arn
        if record["eventName"] != "REMOVE":
            return
        with self._ttl_lock:
            by_ttl = _key(change["Keys"]) in self._ttl
            self._ttl.discard(_key(change["Keys"]))
        if by_ttl:
            record["userIdentity"] = dict(TTL_IDENTITY)

    def _feed(self, mapping: Mapping) -> int:
        batch = mapping.waiting[:BATCH_SIZE]
        if not batch:
            return 0
        try:
            result = self.functions.invoke(mapping.module, {"Records": batch}) or {}
            failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        except Exception:
            log.exception("%s failed; the batch will be sent again", mapping.module)
            failures = [batch[0]["dynamodb"]["SequenceNumber"]]
        if not failures:
            del mapping.waiting[: len(batch)]
            return len(batch)
        first = min(int(sequence) for sequence in failures)
        done = [r for r in batch if int(r["dynamodb"]["SequenceNumber"]) < first]
        del mapping.waiting[: len(done)]
        return len(done)
