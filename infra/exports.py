"""Zip exports: a queue (with a dead-letter queue) of export rounds, and the worker that streams each zip.

The queue is made first, because `create_export` sends to it; the worker once the functions' basis exists. A
round runs until a minute before the worker's 15-minute timeout and sends the export again, so a zip of any size
never meets the timeout; at most `schema.EXPORT_MAX_CONCURRENCY` exports stream at once.
"""

from __future__ import annotations

from dataclasses import replace

from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from functions import schema
from infra import names
from infra.permissions import EXPORT_WORKER_ACCESS
from infra.queues import queue_with_dead_letters
from infra.runtime import FunctionBasis, PythonFunction

WORKER_MEMORY_MIB = 1769
"""One full vCPU (Lambda gives CPU by memory): deflating and hashing the zip's bytes is what a round spends its
time on. The memory itself holds one part (16 MiB, up to about 105 MiB for a 1 TiB zip) and a chunk."""


class Exports(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.queue, self.dead_letters = queue_with_dead_letters(
            self,
            names.EXPORTS_QUEUE,
            names.EXPORTS_DEAD_LETTER_QUEUE,
            visibility_seconds=schema.EXPORT_VISIBILITY_SECONDS,
            max_receives=schema.EXPORT_MAX_RECEIVES,
        )

    def add_worker(self, basis: FunctionBasis) -> PythonFunction:
        worker = PythonFunction(
            self,
            names.EXPORT_WORKER,
            module=names.EXPORT_WORKER,
            basis=replace(basis, environment={**basis.environment, **schema.EXPORT_WORKER_ENVIRONMENT}),
            access=EXPORT_WORKER_ACCESS,
            memory_mib=WORKER_MEMORY_MIB,
            timeout_seconds=schema.EXPORT_TIMEOUT_SECONDS,
        )
        worker.function.add_event_source(
            sources.SqsEventSource(
                self.queue,
                batch_size=1,
                report_batch_item_failures=True,
                max_concurrency=schema.EXPORT_MAX_CONCURRENCY,
            )
        )
        return worker
