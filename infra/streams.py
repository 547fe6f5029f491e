"""The functions that read the table's stream, each through a filtered event source mapping
(`schema.STREAM_CONSUMERS`) with a dead-letter queue for what it could not handle in time.

- `forget_expired`: TTL's removals of pending records, out of the counts (services.expiry).
- `publish_events`: every change of an asset record, turned into its `asset.*` events (services.events).
  A refused event is retried, in order, for as long as the record is young enough to still be on the
  stream; the `StreamBehind` alarm tells the operator within minutes.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from functions import schema
from infra.permissions import Access
from infra.queues import dead_letter_queue
from infra.runtime import FunctionBasis, PythonFunction


class StreamConsumer(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        module: str,
        dead_letters_id: str,
        basis: FunctionBasis,
        access: Access,
        timeout_seconds: int = 10,
        retries: int | None = None,
        max_record_age: Duration | None = None,
    ) -> None:
        """`retries` (None: as long as `max_record_age` allows) before a record goes to the dead letters."""
        super().__init__(scope, id)
        self.dead_letters = dead_letter_queue(self, dead_letters_id)
        Validations.of(self.dead_letters).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SQS3",
                reason="This queue is the dead-letter destination (on-failure) of the stream's event source "
                "mapping; cdk-nag only recognises a dead-letter queue named in another queue's redrive policy.",
            )
        )
        self.function = PythonFunction(
            self, module, module=module, basis=basis, access=access, timeout_seconds=timeout_seconds
        )
        self.function.function.add_event_source(
            sources.DynamoEventSource(
                basis.targets.table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=100,
                retry_attempts=retries,
                max_record_age=max_record_age,
                bisect_batch_on_error=True,
                report_batch_item_failures=True,
                on_failure=sources.SqsDlq(self.dead_letters),
                filters=[lambda_.FilterCriteria.filter(schema.STREAM_CONSUMERS[module])],
            )
        )
        Validations.of(self.function.role).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="The DynamoDB event source grants dynamodb:ListStreams, which IAM only allows on `*` (it has "
                "no resource-level permissions); reading records is granted on this table's stream ARN alone.",
            )
        )
