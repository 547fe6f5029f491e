"""EventBridge access."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from functions.adapters import clients
from functions.errors import TransientError

if TYPE_CHECKING:
    from functions.services.events import Event

ENTRIES_PER_CALL = 10
BYTES_PER_CALL = 256 * 1024
"""PutEvents takes at most 10 entries, 256 KB in all."""


class Refused(TransientError):
    """The bus took the first `accepted` events and refused the next (and sent none after it)."""

    def __init__(self, accepted: int, reason: str):
        super().__init__(f"EventBridge refused an event after {accepted}: {reason}")
        self.accepted = accepted


class EventBus:
    def __init__(self, name: str, source: str, client: Any = None):
        self.name = name
        self.source = source
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("events")

    def _size(self, event: Event) -> int:
        return len(self.source) + len(event.detail_type) + len(event.detail.encode())

    def _calls(self, events: list[Event]) -> Iterator[list[Event]]:
        call: list[Event] = []
        for event in events:
            if call and (len(call) == ENTRIES_PER_CALL or sum(map(self._size, [*call, event])) > BYTES_PER_CALL):
                yield call
                call = []
            call.append(event)
        if call:
            yield call

    def put(self, events: list[Event]) -> None:
        """Put `events` in order. `Refused` at the first one the bus refuses: it and those after it are to be
        sent again (a call's entries after it may have been accepted too, so they may arrive twice)."""
        accepted = 0
        for call in self._calls(events):
            entries = [
                {"EventBusName": self.name, "Source": self.source, "DetailType": e.detail_type, "Detail": e.detail}
                for e in call
            ]
            try:
                results = self.client.put_events(Entries=entries)["Entries"]
            except (BotoCoreError, ClientError) as error:
                raise Refused(accepted, str(error)) from error
            refused = next((i for i, result in enumerate(results) if result.get("ErrorCode")), None)
            if refused is not None:
                raise Refused(accepted + refused, str(results[refused].get("ErrorCode")))
            accepted += len(call)
