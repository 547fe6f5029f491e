"""Exports: a queue with a dead-letter queue -> the export worker, one round at a time, bounded."""

from __future__ import annotations

from functions import schema
from infra.exports import WORKER_MEMORY_MIB
from tests.infra.test_processing import mapping_of

WORKER = "functions.run_export.handler"


def test_the_worker_takes_one_round_at_a_time_and_reports_failures(synth):
    properties = mapping_of(synth, WORKER)["Properties"]
    queue = synth.stack.exports.queue
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [synth.logical_id(queue), "Arn"]}
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BatchSize"] == 1
    assert properties["ScalingConfig"] == {"MaximumConcurrency": schema.EXPORT_MAX_CONCURRENCY}


def test_a_round_has_lambdas_longest_time_a_vcpu_and_the_queue_six_times_that(synth):
    properties = synth.resources[synth.functions()[WORKER]]["Properties"]
    queue = synth.resources[synth.logical_id(synth.stack.exports.queue)]["Properties"]
    assert (properties["MemorySize"], properties["Timeout"]) == (WORKER_MEMORY_MIB, schema.EXPORT_TIMEOUT_SECONDS)
    assert schema.EXPORT_TIMEOUT_SECONDS == 900
    assert queue["VisibilityTimeout"] == 6 * properties["Timeout"]


def test_a_failing_round_ends_in_the_dead_letter_queue(synth):
    exports = synth.stack.exports
    queue = synth.resources[synth.logical_id(exports.queue)]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [synth.logical_id(exports.dead_letters), "Arn"]},
        "maxReceiveCount": schema.EXPORT_MAX_RECEIVES,
    }
    for construct in (exports.queue, exports.dead_letters):
        assert synth.resources[synth.logical_id(construct)]["Properties"]["SqsManagedSseEnabled"] is True


def test_every_function_knows_the_exports_queue(synth):
    for handler, lid in synth.functions().items():
        variables = synth.resources[lid]["Properties"]["Environment"]["Variables"]
        assert variables["EXPORTS_QUEUE_URL"] == {"Ref": synth.logical_id(synth.stack.exports.queue)}, handler


def test_only_the_export_routes_and_the_worker_send_to_the_exports_queue(synth):
    arn = f"<{synth.logical_id(synth.stack.exports.queue)}.Arn>"
    senders = {
        handler
        for handler, lid in synth.functions().items()
        for statement in synth.statements(synth.role_of(lid))
        if "sqs:SendMessage" in synth.actions(statement) and arn in synth.arns(statement)
    }
    assert senders == {"functions.exports.create_export.handler", "functions.shares.export_shared.handler", WORKER}


def test_the_worker_maps_its_parts_so_its_memory_stays_flat(synth):
    variables = synth.resources[synth.functions()[WORKER]]["Properties"]["Environment"]["Variables"]
    assert variables["MALLOC_MMAP_THRESHOLD_"] == schema.EXPORT_WORKER_ENVIRONMENT["MALLOC_MMAP_THRESHOLD_"]
