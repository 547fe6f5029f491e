from __future__ import annotations

import hashlib
import json
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from functions import process_upload, schema
from functions.adapters import clients
from functions.services import processing
from local.lambda_runtime import Functions, LambdaContext
from local.worker import RETRY_DELAY_SECONDS, Worker, sqs_event
from tests import files
from tests.integration.conftest import Stack, sample


def asset(stack: Stack, asset_id: str) -> dict:
    return stack.call("get_asset", path_params={"asset_id": asset_id})[1]


def queued(stack: Stack) -> dict:
    """The S3 notification events currently on the upload queue, as the SQS event source delivers them."""
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=stack.resources.upload_queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
    )["Messages"]
    return sqs_event(messages, "arn:aws:sqs:us-east-1:123456789012:uploads")


def invoke(event: dict) -> dict:
    return process_upload.handler(event, LambdaContext(function_name="process_upload"))


def test_rotated_jpeg_becomes_ready_with_displayed_dimensions(stack: Stack) -> None:
    data = files.jpeg(120, 80, orientation=8)
    asset_id = stack.upload(data)["id"]
    assert stack.drain() == 1
    found = asset(stack, asset_id)
    assert found["status"] == "ready"
    assert found["error"] is None
    assert found["metadata"]["dimensions"] == {
        "width": 80,
        "height": 120,
        "stored_width": 120,
        "stored_height": 80,
        "orientation": 8,
        "aspect_ratio": 0.6667,
    }
    assert found["size"] == len(data)
    assert found["sha256"] == hashlib.sha256(data).hexdigest()
    events = stack.events()
    assert [(e["detail-type"], e["detail"]["asset"]["id"]) for e in events] == [("asset.ready", asset_id)]
    assert events[0]["detail"]["tenant"] == "acme"


def test_same_event_twice_gives_same_record_and_one_event(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    event = queued(stack)
    assert invoke(event) == {"batchItemFailures": []}
    first = asset(stack, asset_id)
    assert invoke(event) == {"batchItemFailures": []}
    assert asset(stack, asset_id) == first
    assert [e["detail-type"] for e in stack.events()] == ["asset.ready"]


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (files.truncated_jpeg(), "image/jpeg", "corrupt or truncated"),
        (files.text_as_png(), "image/png", "not a image/png"),
    ],
)
def test_bad_files_fail_once_with_a_reason(stack: Stack, data: bytes, content_type: str, reason: str) -> None:
    asset_id = stack.upload(data, content_type=content_type)["id"]
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "failed"
    assert reason in found["error"]
    assert [e["detail-type"] for e in stack.events()] == ["asset.failed"]


def test_object_larger_than_declared_fails(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    stack.put_upload("acme", asset_id, files.jpeg(800, 800))
    stack.drain()
    found = asset(stack, asset_id)
    assert found["status"] == "failed"
    assert "more than" in found["error"]


def test_event_for_a_deleted_asset_changes_nothing(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    event = queued(stack)
    assert stack.call("delete_asset", path_params={"asset_id": asset_id})[0] == 204
    stack.events()
    assert invoke(event) == {"batchItemFailures": []}
    assert stack.call("get_asset", path_params={"asset_id": asset_id})[0] == 404
    assert stack.events() == []


def test_s3_test_event_is_ignored(stack: Stack) -> None:
    event = sqs_event(
        [{"MessageId": "m1", "ReceiptHandle": "r", "Body": json.dumps(sample("s3_test_event.json")), "MD5OfBody": ""}],
        "arn:aws:sqs:us-east-1:123456789012:uploads",
    )
    assert invoke(event) == {"batchItemFailures": []}


class Throttled:
    """An AWS client that is always throttled."""

    def __getattr__(self, name: str):
        def fail(**kwargs):
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, name)

        return fail


def test_transient_error_fails_only_that_message_for_sqs_to_retry(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    event = queued(stack)
    real = clients.get("dynamodb")
    clients.override("dynamodb", Throttled())
    result = invoke(event)
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    clients.override("dynamodb", real)
    assert asset(stack, asset_id)["status"] == "pending"
    assert invoke(event) == {"batchItemFailures": []}
    assert asset(stack, asset_id)["status"] == "ready"


def test_local_worker_redelivers_a_batch_whose_invocation_crashed(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    calls = []

    class CrashOnce(Functions):
        def invoke(self, module: str, event: dict) -> dict:
            calls.append(module)
            if len(calls) == 1:
                raise RuntimeError("container crashed")
            return super().invoke(module, event)

    worker = Worker(stack.resources.upload_queue_url, CrashOnce())
    assert worker.poll_once() == 1
    assert asset(stack, asset_id)["status"] == "pending"
    time.sleep(RETRY_DELAY_SECONDS + 0.5)
    assert worker.poll_once() == 1
    assert asset(stack, asset_id)["status"] == "ready"


def test_deliveries_that_never_reached_the_processor_do_not_count_as_attempts(stack: Stack) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    event = queued(stack)
    event["Records"][0]["attributes"]["ApproximateReceiveCount"] = str(schema.QUEUE_MAX_RECEIVES)
    assert invoke(event) == {"batchItemFailures": []}
    assert asset(stack, asset_id)["status"] == "ready"


def test_a_file_that_crashed_every_attempt_fails_on_the_next_delivery(stack: Stack, monkeypatch) -> None:
    asset_id = stack.upload(files.jpeg())["id"]
    event = queued(stack)

    def crash(*args, **kwargs):
        raise MemoryError("the decoder blew up")

    monkeypatch.setattr(processing, "inspect", crash)
    for _ in range(schema.PROCESSING_ATTEMPTS):
        assert invoke(event)["batchItemFailures"]
        assert asset(stack, asset_id)["status"] == "pending"
    assert invoke(event) == {"batchItemFailures": []}
    found = asset(stack, asset_id)
    assert found["status"] == "failed"
    assert found["error"] == f"processing crashed or timed out on {schema.PROCESSING_ATTEMPTS} attempts"
    assert [e["detail-type"] for e in stack.events()] == ["asset.failed"]
    assert stack.keys() == []


@pytest.mark.parametrize(
    ("data", "fields", "reason"),
    [
        (b"not an image at all" * 10, {"content_type": "image/png"}, "mismatch"),
        (b"MZ\x90\x00" + b"\x00" * 200, {"content_type": "application/octet-stream"}, "disallowed"),
        (None, {"sha256": "0" * 64}, "checksum"),
    ],
)
def test_a_failure_is_counted_by_its_reason(
    stack: Stack, capsys: pytest.CaptureFixture[str], data: bytes | None, fields: dict, reason: str
) -> None:
    """The dashboard's failures by reason: one `UploadFailed` metric (EMF) with a `reason` dimension."""
    stack.upload(data or files.jpeg(), **fields)
    capsys.readouterr()
    stack.drain()

    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"UploadFailed"' in line]
    assert [(m["reason"], m["service"], m["UploadFailed"]) for m in emitted] == [(reason, "assets", [1.0])]
