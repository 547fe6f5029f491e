"""Folder jobs: recursive deletes and re-indexing a moved subtree, from a queue (with a dead-letter queue).

The queue is made first, because the API's functions send to it; the worker once the functions' basis
exists. A job runs until a minute before the worker's 15-minute timeout and is sent again, so a subtree of
any size never meets the timeout; at most `schema.JOB_MAX_CONCURRENCY` jobs run at once.
"""

from __future__ import annotations

from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from functions import schema
from infra import names
from infra.permissions import JOBS_ACCESS
from infra.queues import queue_with_dead_letters
from infra.runtime import FunctionBasis, PythonFunction


class FolderJobs(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.queue, self.dead_letters = queue_with_dead_letters(
            self,
            names.JOBS_QUEUE,
            names.JOBS_DEAD_LETTER_QUEUE,
            visibility_seconds=schema.JOB_VISIBILITY_SECONDS,
            max_receives=schema.JOB_MAX_RECEIVES,
        )

    def add_worker(self, basis: FunctionBasis) -> PythonFunction:
        worker = PythonFunction(
            self,
            names.JOBS_WORKER,
            module=names.JOBS_WORKER,
            basis=basis,
            access=JOBS_ACCESS,
            timeout_seconds=schema.JOB_TIMEOUT_SECONDS,
        )
        worker.function.add_event_source(
            sources.SqsEventSource(
                self.queue, batch_size=1, report_batch_item_failures=True, max_concurrency=schema.JOB_MAX_CONCURRENCY
            )
        )
        return worker
