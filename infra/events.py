"""The custom event bus the functions publish `asset.*` events to, with an archive of 30 days to replay."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_events as events
from constructs import Construct

from infra import names


class Events(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.bus = events.EventBus(
            self,
            names.EVENT_BUS,
            event_bus_name=names.event_bus_name(Stack.of(self).stack_name),
            description="asset.* events of the asset backend.",
        )
        self.archive = self.bus.archive(
            names.EVENT_ARCHIVE,
            description="Every event on the bus, 30 days: replay with `aws events start-replay` (README runbook).",
            event_pattern=events.EventPattern(account=[Stack.of(self).account]),
            retention=Duration.days(ARCHIVE_DAYS),
        )


ARCHIVE_DAYS = 30
