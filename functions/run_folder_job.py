"""SQS (the folder-jobs queue) -> delete a subtree, or re-index one after a move.

A job stops before the function's time runs out and is sent again as a new message with its round
counted, so a subtree of any size is done in as many runs as it takes; a job that fails (or runs more
than `MAX_ROUNDS` times) ends in the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.models.folders import FolderJob
from functions.services import folder_jobs
from functions.services.deps import get_deps
from functions.tracing import traced

logger = Logger(service="assets")
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
RESERVE_MS = 60_000
"""Time kept back when a job stops: the asset being deleted when the check passed finishes well within it."""


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    job = FolderJob.model_validate_json(record.body)
    if job.round >= folder_jobs.MAX_ROUNDS:
        raise RuntimeError(f"{job.job} of folder {job.folder_id} did not finish in {job.round} runs")
    done = folder_jobs.run(get_deps(), job, lambda: lambda_context.get_remaining_time_in_millis() < RESERVE_MS)
    logger.info("folder job", extra={"job": job.job, "folder_id": job.folder_id, "round": job.round, "done": done})
    if not done:
        folder_jobs.enqueue(get_deps(), job.model_copy(update={"round": job.round + 1}))


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
