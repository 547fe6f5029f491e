"""SQS (the exports queue) -> one round of an export's zip (`functions.services.exports.run`).

A round stops between two entries a minute before the function's timeout, leaves its state under the export's
prefix in S3 and sends the export again with its round counted, so a zip of any size is made in as many runs as
it takes. A round that fails is delivered again (up to `schema.EXPORT_MAX_RECEIVES` times) and resumes from the
last state kept; the last delivery, an export that cannot be made (too many assets, its folder deleted) or one
that ran `MAX_ROUNDS` times ends `failed`, its multipart upload aborted.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions import schema
from functions.errors import DomainError
from functions.models.exports import ExportJob
from functions.services import exports
from functions.services.deps import get_deps
from functions.tracing import traced

logger = Logger(service="assets")
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
RESERVE_MS = 60_000
"""Time kept back when a round stops: the entry being streamed when the check passed, the state and the carry."""
FAILED = "the export could not be made; ask for it again"


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    job = ExportJob.model_validate_json(record.body)
    deps = get_deps()
    if job.round >= exports.MAX_ROUNDS:
        exports.fail(deps, job, f"not finished in {job.round} runs: export fewer assets at a time")
        return
    try:
        done = exports.run(deps, job, lambda: lambda_context.get_remaining_time_in_millis() < RESERVE_MS)
    except DomainError as error:
        exports.fail(deps, job, error.message)
        return
    except Exception:
        if int(record.attributes.approximate_receive_count) >= schema.EXPORT_MAX_RECEIVES:
            logger.exception("export round failed for the last time", extra={"export_id": job.export_id})
            exports.fail(deps, job, FAILED)
            return
        raise
    logger.info("export round", extra={"export_id": job.export_id, "round": job.round, "done": done})
    if not done:
        exports.enqueue(deps, job.model_copy(update={"round": job.round + 1}))


@traced
@logger.inject_lambda_context
def handler(event: dict, context: Any) -> dict:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
