"""Uploads: S3 uploads/ -> SQS with a dead-letter queue -> the processor, in partial-batch mode, bounded."""

from __future__ import annotations

from functions import schema


def _queue(synth, construct):
    return synth.resources[synth.logical_id(construct)]["Properties"]


def test_only_uploads_trigger_processing(synth):
    (notifications,) = synth.of_type("Custom::S3BucketNotifications").values()
    properties = notifications["Properties"]
    assert properties["BucketName"] == {"Ref": synth.logical_id(synth.stack.storage.bucket)}
    assert properties["NotificationConfiguration"] == {
        "QueueConfigurations": [
            {
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": schema.UPLOADS_PREFIX}]}},
                "QueueArn": {"Fn::GetAtt": [synth.logical_id(synth.stack.processing.queue), "Arn"]},
            }
        ]
    }


def test_the_processors_own_writes_never_trigger_it():
    assert schema.UPLOADS_PREFIX == "uploads/"
    for prefix in (schema.ORIGINALS_PREFIX, schema.DERIVED_PREFIX):
        assert not prefix.startswith(schema.UPLOADS_PREFIX), prefix
        assert not schema.UPLOADS_PREFIX.startswith(prefix), prefix


def test_failed_uploads_end_in_the_dead_letter_queue(synth):
    queue = _queue(synth, synth.stack.processing.queue)
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [synth.logical_id(synth.stack.processing.dead_letters), "Arn"]},
        "maxReceiveCount": schema.QUEUE_MAX_RECEIVES,
    }


def test_visibility_timeout_is_six_times_the_processors_timeout(synth):
    """AWS's guidance for a Lambda event source, so a slow batch is not delivered twice while it runs."""
    queue = _queue(synth, synth.stack.processing.queue)
    timeout = synth.resources[synth.functions()["functions.process_upload.handler"]]["Properties"]["Timeout"]
    assert queue["VisibilityTimeout"] == schema.QUEUE_VISIBILITY_SECONDS == 6 * timeout


def test_queues_are_encrypted_and_tls_only(synth):
    for construct in (synth.stack.processing.queue, synth.stack.processing.dead_letters):
        assert _queue(synth, construct)["SqsManagedSseEnabled"] is True
        queue_ref = {"Ref": synth.logical_id(construct)}
        policies = [
            p["Properties"]
            for p in synth.of_type("AWS::SQS::QueuePolicy").values()
            if queue_ref in p["Properties"]["Queues"]
        ]
        denials = [
            s
            for p in policies
            for s in p["PolicyDocument"]["Statement"]
            if s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        ]
        assert denials, construct.node.path


def mapping_of(synth, handler: str) -> dict:
    """The event source mapping that invokes a handler."""
    (mapping,) = [
        mapping
        for mapping in synth.of_type("AWS::Lambda::EventSourceMapping").values()
        if mapping["Properties"]["FunctionName"] == {"Ref": synth.functions()[handler]}
    ]
    return mapping


def test_processor_reports_partial_batch_failures(synth):
    mapping = mapping_of(synth, "functions.process_upload.handler")
    properties = mapping["Properties"]
    assert properties["FunctionName"] == {"Ref": synth.functions()["functions.process_upload.handler"]}
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [synth.logical_id(synth.stack.processing.queue), "Arn"]}
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BatchSize"] == 1  # the timeout covers one upload, not a batch of them


def test_processor_concurrency_is_bounded(synth):
    """A burst of uploads cannot take the concurrency the API needs."""
    mapping = mapping_of(synth, "functions.process_upload.handler")
    assert mapping["Properties"]["ScalingConfig"] == {"MaximumConcurrency": schema.PROCESSOR_MAX_CONCURRENCY}


def test_processor_has_room_for_large_files(synth):
    properties = synth.resources[synth.functions()["functions.process_upload.handler"]]["Properties"]
    assert properties["MemorySize"] == 1024
    assert properties["Timeout"] == schema.PROCESSOR_TIMEOUT_SECONDS
    assert properties["EphemeralStorage"] == {"Size": 1024}
    assert properties["Timeout"] <= schema.QUEUE_VISIBILITY_SECONDS
