"""Upload processing: S3 ObjectCreated under `uploads/` -> SQS (with a dead-letter queue) -> processor.

The processor seals each upload into `originals/` and writes `renditions/`; neither prefix triggers.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from constructs import Construct

from functions import schema
from infra import names
from infra.permissions import PROCESSOR_ACCESS
from infra.queues import queue_with_dead_letters
from infra.runtime import FunctionBasis, PythonFunction

BATCH_SIZE = 1
"""A batch's uploads are processed one after another, so batching saves little but an invocation each, and it would
make the processor's timeout cover several multi-GiB files: one upload per invocation keeps it to one."""


class Processing(Construct):
    """Only `uploads/` triggers, so the sealed copies and renditions the processor writes never re-trigger it.

    The queue's visibility timeout is six times the processor's timeout, a message moves to the dead-letter
    queue after `schema.QUEUE_MAX_RECEIVES` deliveries, and at most `schema.PROCESSOR_MAX_CONCURRENCY`
    processors run at once, so a burst of uploads cannot take the concurrency the API needs.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        basis: FunctionBasis,
    ) -> None:
        super().__init__(scope, id)
        self.queue, self.dead_letters = queue_with_dead_letters(
            self,
            names.QUEUE,
            names.DEAD_LETTER_QUEUE,
            visibility_seconds=schema.QUEUE_VISIBILITY_SECONDS,
            max_receives=schema.QUEUE_MAX_RECEIVES,
        )
        basis.targets.bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.SqsDestination(self.queue),
            s3.NotificationKeyFilter(prefix=schema.UPLOADS_PREFIX),
        )
        self.processor = PythonFunction(
            self,
            names.PROCESSOR,
            module=names.PROCESSOR,
            basis=basis,
            access=PROCESSOR_ACCESS,
            memory_mib=1024,
            timeout_seconds=schema.PROCESSOR_TIMEOUT_SECONDS,
            ephemeral_storage_mib=1024,
        )
        self.processor.function.add_event_source(
            sources.SqsEventSource(
                self.queue,
                batch_size=BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=schema.PROCESSOR_MAX_CONCURRENCY,
            )
        )
        _acknowledge_notifications_handler(Stack.of(self))


def _acknowledge_notifications_handler(stack: Stack) -> None:
    """CDK adds one function per stack that writes bucket notification configurations at deploy time."""
    handlers = [child for child in stack.node.children if child.node.id.startswith("BucketNotificationsHandler")]
    if len(handlers) != 1:
        raise LookupError(f"expected one BucketNotificationsHandler in {stack.node.path}, found {len(handlers)}")
    Validations.of(handlers[0]).acknowledge(
        Acknowledgment(
            id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole]",
            reason="CDK's own custom-resource function for the bucket notification configuration; CDK manages "
            "its role (this logging policy plus s3:PutBucketNotification on the asset bucket only).",
        )
    )
