"""TTL's removals of pending records, from the table's stream to `functions.forget_expired`.

The mapping's filter passes only removals made by DynamoDB's TTL of asset records, so nothing else on the
stream invokes the function. A record that keeps failing goes to a dead-letter queue after its retries.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from functions import schema
from infra import names
from infra.permissions import EXPIRY_ACCESS
from infra.queues import dead_letter_queue
from infra.runtime import FunctionBasis, PythonFunction

RETRIES = 5
TTL_REMOVALS = {
    "eventName": ["REMOVE"],
    "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]},
    "dynamodb": {"OldImage": {schema.SORT_KEY: {"S": [schema.ASSET_SK]}}},
}


class Expiry(Construct):
    def __init__(self, scope: Construct, id: str, *, basis: FunctionBasis) -> None:
        super().__init__(scope, id)
        self.dead_letters = dead_letter_queue(self, names.EXPIRY_DEAD_LETTER_QUEUE)
        Validations.of(self.dead_letters).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SQS3",
                reason="This queue is the dead-letter destination (on-failure) of the stream's event source "
                "mapping; cdk-nag only recognises a dead-letter queue named in another queue's redrive policy.",
            )
        )
        self.function = PythonFunction(
            self, names.EXPIRY_FUNCTION, module=names.EXPIRY_FUNCTION, basis=basis, access=EXPIRY_ACCESS
        )
        self.function.function.add_event_source(
            sources.DynamoEventSource(
                basis.targets.table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=100,
                retry_attempts=RETRIES,
                bisect_batch_on_error=True,
                report_batch_item_failures=True,
                on_failure=sources.SqsDlq(self.dead_letters),
                filters=[lambda_.FilterCriteria.filter(TTL_REMOVALS)],
            )
        )
        Validations.of(self.function.role).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="The DynamoDB event source grants dynamodb:ListStreams, which IAM only allows on `*` (it has "
                "no resource-level permissions); reading records is granted on this table's stream ARN alone.",
            )
        )
