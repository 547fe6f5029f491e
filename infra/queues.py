"""SQS queues as the stack makes them: SQS-managed encryption, TLS only, and a dead-letter queue kept 14 days."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

DEAD_LETTER_RETENTION = Duration.days(14)


def dead_letter_queue(scope: Construct, id: str) -> sqs.Queue:
    return sqs.Queue(
        scope,
        id,
        retention_period=DEAD_LETTER_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )


def queue_with_dead_letters(
    scope: Construct, id: str, dead_letters_id: str, *, visibility_seconds: int, max_receives: int
) -> tuple[sqs.Queue, sqs.Queue]:
    """A queue whose messages move to its dead-letter queue after `max_receives` deliveries: (queue, dead letters)."""
    dead_letters = dead_letter_queue(scope, dead_letters_id)
    queue = sqs.Queue(
        scope,
        id,
        visibility_timeout=Duration.seconds(visibility_seconds),
        dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=max_receives, queue=dead_letters),
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )
    return queue, dead_letters
