"""A queue of background work: folder jobs (`functions.run_folder_job`) and export runs (`functions.run_export`)."""

from __future__ import annotations

from typing import Any

from functions.adapters import clients
from functions.adapters.aws_errors import translated


class Jobs:
    def __init__(self, queue_url: str, client: Any = None):
        self.queue_url = queue_url
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("sqs")

    def send(self, body: str, delay_seconds: int = 0) -> None:
        with translated():
            self.client.send_message(QueueUrl=self.queue_url, MessageBody=body, DelaySeconds=delay_seconds)
