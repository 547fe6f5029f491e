"""Folder jobs: a queue with a dead-letter queue -> the worker, one job at a time per invocation, bounded."""

from __future__ import annotations

from functions import schema
from tests.infra.test_processing import mapping_of

WORKER = "functions.run_folder_job.handler"


def test_the_worker_takes_one_job_at_a_time_and_reports_failures(synth):
    properties = mapping_of(synth, WORKER)["Properties"]
    queue = synth.stack.folder_jobs.queue
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [synth.logical_id(queue), "Arn"]}
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BatchSize"] == 1
    assert properties["ScalingConfig"] == {"MaximumConcurrency": schema.JOB_MAX_CONCURRENCY}


def test_a_job_has_lambdas_longest_time_and_the_queue_six_times_that(synth):
    timeout = synth.resources[synth.functions()[WORKER]]["Properties"]["Timeout"]
    queue = synth.resources[synth.logical_id(synth.stack.folder_jobs.queue)]["Properties"]
    assert timeout == schema.JOB_TIMEOUT_SECONDS == 900
    assert queue["VisibilityTimeout"] == 6 * timeout


def test_a_failing_job_ends_in_the_dead_letter_queue(synth):
    jobs = synth.stack.folder_jobs
    queue = synth.resources[synth.logical_id(jobs.queue)]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [synth.logical_id(jobs.dead_letters), "Arn"]},
        "maxReceiveCount": schema.JOB_MAX_RECEIVES,
    }
    for construct in (jobs.queue, jobs.dead_letters):
        assert synth.resources[synth.logical_id(construct)]["Properties"]["SqsManagedSseEnabled"] is True


def test_every_function_knows_the_jobs_queue(synth):
    for handler, lid in synth.functions().items():
        variables = synth.resources[lid]["Properties"]["Environment"]["Variables"]
        assert variables["JOBS_QUEUE_URL"] == {"Ref": synth.logical_id(synth.stack.folder_jobs.queue)}, handler
