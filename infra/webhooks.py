"""Webhooks: every event of the bus -> a fan-out queue -> one delivery per subscribed endpoint -> a delivery queue
-> the function that sends each attempt (see `functions.services.webhook_delivery`).

The queues are made first (the API's retry route and the fan-out send deliveries), the workers once the
functions' basis exists. Each queue has a dead-letter queue for messages that could not be handled (DynamoDB or
SQS failing, not an endpoint failing: those are rescheduled), and the rule's target sends what EventBridge could
not deliver to the fan-out queue to the fan-out's dead letters.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from functions import schema
from functions.settings import Settings
from infra import names
from infra.permissions import WEBHOOK_DELIVERY_ACCESS, WEBHOOK_FANOUT_ACCESS
from infra.queues import queue_with_dead_letters
from infra.runtime import FunctionBasis, PythonFunction

FANOUT_TIMEOUT_SECONDS = schema.WEBHOOK_FANOUT_VISIBILITY_SECONDS // 6
BATCH_SIZE = 10
DELIVERY_MAX_CONCURRENCY = 20
"""Delivery functions at once (each sends up to `BATCH_SIZE` attempts side by side): webhooks never take the
concurrency the API needs."""
RULE_RETRY = Duration.hours(24)


class Webhooks(Construct):
    def __init__(self, scope: Construct, id: str, *, bus: events.IEventBus) -> None:
        super().__init__(scope, id)
        self.fan_out_queue, self.fan_out_dead_letters = queue_with_dead_letters(
            self,
            names.WEBHOOK_FANOUT_QUEUE,
            names.WEBHOOK_FANOUT_DEAD_LETTER_QUEUE,
            visibility_seconds=schema.WEBHOOK_FANOUT_VISIBILITY_SECONDS,
            max_receives=schema.WEBHOOK_FANOUT_MAX_RECEIVES,
        )
        self.delivery_queue, self.delivery_dead_letters = queue_with_dead_letters(
            self,
            names.WEBHOOK_DELIVERY_QUEUE,
            names.WEBHOOK_DELIVERY_DEAD_LETTER_QUEUE,
            visibility_seconds=schema.WEBHOOK_DELIVERY_VISIBILITY_SECONDS,
            max_receives=schema.WEBHOOK_DELIVERY_MAX_RECEIVES,
        )
        self.rule = events.Rule(
            self,
            names.WEBHOOK_RULE,
            event_bus=bus,
            description="Every event of the bus to the webhook fan-out.",
            event_pattern=events.EventPattern(source=[Settings.event_source]),
            targets=[
                targets.SqsQueue(
                    self.fan_out_queue, dead_letter_queue=self.fan_out_dead_letters, max_event_age=RULE_RETRY
                )
            ],
        )

    def add_workers(self, basis: FunctionBasis) -> tuple[PythonFunction, PythonFunction]:
        """The fan-out and the delivery functions, each on its queue: (fan-out, delivery)."""
        fan_out = PythonFunction(
            self,
            names.WEBHOOK_FANOUT_FUNCTION,
            module=names.WEBHOOK_FANOUT_FUNCTION,
            basis=basis,
            access=WEBHOOK_FANOUT_ACCESS,
            timeout_seconds=FANOUT_TIMEOUT_SECONDS,
        )
        fan_out.function.add_event_source(
            sources.SqsEventSource(self.fan_out_queue, batch_size=BATCH_SIZE, report_batch_item_failures=True)
        )
        deliver = PythonFunction(
            self,
            names.WEBHOOK_DELIVERY_FUNCTION,
            module=names.WEBHOOK_DELIVERY_FUNCTION,
            basis=basis,
            access=WEBHOOK_DELIVERY_ACCESS,
            timeout_seconds=schema.WEBHOOK_DELIVERY_TIMEOUT_SECONDS,
        )
        deliver.function.add_event_source(
            sources.SqsEventSource(
                self.delivery_queue,
                batch_size=BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=DELIVERY_MAX_CONCURRENCY,
            )
        )
        return fan_out, deliver

    @property
    def dead_letters(self) -> dict[str, sqs.IQueue]:
        return {"WebhookFanOut": self.fan_out_dead_letters, "WebhookDeliveries": self.delivery_dead_letters}
