"""The custom event bus the functions publish `asset.*` events to."""

from __future__ import annotations

from aws_cdk import Stack
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
