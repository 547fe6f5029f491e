"""EventBridge access."""

from __future__ import annotations

import json
from typing import Any

from functions.adapters import clients
from functions.adapters.aws_errors import translated
from functions.errors import TransientError


class EventBus:
    def __init__(self, name: str, source: str, client: Any = None):
        self.name = name
        self.source = source
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("events")

    def publish(self, detail_type: str, detail: dict[str, Any]) -> None:
        with translated():
            response = self.client.put_events(
                Entries=[
                    {
                        "EventBusName": self.name,
                        "Source": self.source,
                        "DetailType": detail_type,
                        "Detail": json.dumps(detail, separators=(",", ":")),
                    }
                ]
            )
        if response.get("FailedEntryCount"):
            raise TransientError(f"EventBridge rejected {detail_type}: {response['Entries'][0].get('ErrorCode')}")
