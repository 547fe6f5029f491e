"""Create the bucket, table, queues, bus and cursor secret from the same definitions the CDK stack uses.

Used by the local stack against the emulator and by the integration tests inside `mock_aws`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import boto3

from functions import schema
from functions.settings import Settings
from local.streams import cheap_stream_copies

EVENTS_QUEUE = "asset-events-local"
"""Local only: a rule copies every `asset.*` event here so tests and developers can read them."""
WEBHOOK_RULE = "webhook-fan-out"
"""As the stack's (infra/webhooks.py): every event of the bus to the webhook fan-out queue."""


@dataclass(frozen=True)
class Provisioned:
    upload_queue_url: str
    dead_letter_queue_url: str
    events_queue_url: str
    jobs_queue_url: str
    exports_queue_url: str
    webhook_fanout_queue_url: str
    webhook_deliveries_queue_url: str


def provision(settings: Settings) -> Provisioned:
    dynamodb, s3, sqs, events, secretsmanager = (
        boto3.client(name) for name in ("dynamodb", "s3", "sqs", "events", "secretsmanager")
    )

    cheap_stream_copies()
    dynamodb.create_table(**schema.create_table_kwargs(settings.table_name))
    dynamodb.create_table(**schema.create_idempotency_table_kwargs(settings.idempotency_table))
    dynamodb.update_time_to_live(
        TableName=settings.table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": schema.TTL_ATTRIBUTE},
    )

    queue_url, dlq_url = _queue_with_dead_letters(
        sqs, f"{settings.bucket_name}-uploads", schema.QUEUE_MAX_RECEIVES, schema.QUEUE_VISIBILITY_SECONDS
    )
    jobs_url, _ = _queue_with_dead_letters(
        sqs, f"{settings.bucket_name}-folder-jobs", schema.JOB_MAX_RECEIVES, schema.JOB_VISIBILITY_SECONDS
    )
    exports_url, _ = _queue_with_dead_letters(
        sqs, f"{settings.bucket_name}-exports", schema.EXPORT_MAX_RECEIVES, schema.EXPORT_VISIBILITY_SECONDS
    )
    fanout_url, _ = _queue_with_dead_letters(
        sqs,
        f"{settings.bucket_name}-webhook-fan-out",
        schema.WEBHOOK_FANOUT_MAX_RECEIVES,
        schema.WEBHOOK_FANOUT_VISIBILITY_SECONDS,
    )
    deliveries_url, _ = _queue_with_dead_letters(
        sqs,
        f"{settings.bucket_name}-webhook-deliveries",
        schema.WEBHOOK_DELIVERY_MAX_RECEIVES,
        schema.WEBHOOK_DELIVERY_VISIBILITY_SECONDS,
    )
    queue_arn = _arn(sqs, queue_url)

    s3.create_bucket(Bucket=settings.bucket_name)
    s3.put_bucket_cors(
        Bucket=settings.bucket_name,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": list(schema.BUCKET_CORS_METHODS),
                    "AllowedOrigins": list(settings.cors_origins),
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": list(schema.BUCKET_CORS_EXPOSED),
                },
            ]
        },
    )
    s3.put_bucket_notification_configuration(
        Bucket=settings.bucket_name,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": schema.UPLOADS_PREFIX}]}},
                }
            ]
        },
    )

    events.create_event_bus(Name=settings.event_bus_name)
    events_url = sqs.create_queue(QueueName=EVENTS_QUEUE)["QueueUrl"]
    for rule, target in (("all-asset-events", events_url), (WEBHOOK_RULE, fanout_url)):
        events.put_rule(
            Name=rule,
            EventBusName=settings.event_bus_name,
            EventPattern=json.dumps({"source": [settings.event_source]}),
        )
        events.put_targets(
            Rule=rule, EventBusName=settings.event_bus_name, Targets=[{"Id": "queue", "Arn": _arn(sqs, target)}]
        )
    # The stack generates this value (infra/cursors.py); a fresh one per emulator only invalidates old cursors.
    secretsmanager.create_secret(Name=settings.cursor_secret, SecretString=secrets.token_urlsafe(48))
    # Likewise the delivery key (infra/delivery.py): a fresh one only invalidates signed delivery URLs.
    secretsmanager.create_secret(Name=settings.delivery_secret, SecretString=secrets.token_urlsafe(48))
    return Provisioned(
        upload_queue_url=queue_url,
        dead_letter_queue_url=dlq_url,
        events_queue_url=events_url,
        jobs_queue_url=jobs_url,
        exports_queue_url=exports_url,
        webhook_fanout_queue_url=fanout_url,
        webhook_deliveries_queue_url=deliveries_url,
    )


def _arn(sqs: Any, queue_url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _queue_with_dead_letters(sqs: Any, name: str, max_receives: int, visibility_seconds: int) -> tuple[str, str]:
    """A queue that moves a message to its dead-letter queue after `max_receives` deliveries: (url, dlq url)."""
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    redrive = {"deadLetterTargetArn": _arn(sqs, dlq_url), "maxReceiveCount": str(max_receives)}
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": str(visibility_seconds)},
    )["QueueUrl"]
    return queue_url, dlq_url
