"""Drains a queue into its handler (uploads: the processor; folder jobs, exports, webhook fan-out and webhook
deliveries: their workers), as the SQS event source mapping does."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import boto3

from local.lambda_runtime import Functions

log = logging.getLogger("local.worker")
PROCESSOR = "functions.process_upload"
FOLDER_JOBS = "functions.run_folder_job"
EXPORTS = "functions.run_export"
WEBHOOK_FAN_OUT = "functions.fan_out_webhooks"
WEBHOOK_DELIVERIES = "functions.deliver_webhooks"
RETRY_DELAY_SECONDS = 2


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


class Worker(threading.Thread):
    def __init__(self, queue_url: str, functions: Functions, batch_size: int = 5, module: str = PROCESSOR):
        super().__init__(name=f"{module}-worker", daemon=True)
        self.module = module
        self.queue_url = queue_url
        self.functions = functions
        self.batch_size = batch_size
        self.stopping = threading.Event()
        self.sqs = boto3.client("sqs")
        self.queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]

    def run(self) -> None:
        """Like the event source mapping, a failed invocation never stops the polling."""
        while not self.stopping.is_set():
            try:
                self.poll_once(wait_seconds=1)
            except Exception:
                log.exception("polling %s's queue failed", self.module)
                time.sleep(RETRY_DELAY_SECONDS)

    def poll_once(self, wait_seconds: int = 0) -> int:
        """Process one batch. Failed messages become visible again shortly, and end in the DLQ."""
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        try:
            result = self.functions.invoke(self.module, sqs_event(messages, self.queue_arn))
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception:
            log.exception("%s failed; the whole batch will be delivered again", self.module)
            failed = {m["MessageId"] for m in messages}
        for message in messages:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=RETRY_DELAY_SECONDS,
                )
            else:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)
