"""`make dev` and the integration tests provision what the stack declares (local/provision.py, inside moto)."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from functions import schema
from functions.settings import Settings
from local.provision import provision

SETTINGS = Settings(
    table_name="parity", bucket_name="parity-bucket", event_bus_name="parity", cursor_secret="parity-key"
)


@pytest.fixture
def provisioned():
    with mock_aws():
        yield provision(SETTINGS)


def test_upload_notification_matches_the_stack(synth, provisioned):
    (stack_notifications,) = synth.of_type("Custom::S3BucketNotifications").values()
    (stack_rule,) = stack_notifications["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    (local_rule,) = boto3.client("s3").get_bucket_notification_configuration(Bucket=SETTINGS.bucket_name)[
        "QueueConfigurations"
    ]
    assert local_rule["Filter"] == stack_rule["Filter"]
    assert local_rule["Filter"] == {"Key": {"FilterRules": [{"Name": "prefix", "Value": schema.UPLOADS_PREFIX}]}}
    assert local_rule["Events"] == stack_rule["Events"]


@pytest.mark.parametrize(("queue", "url"), [("processing", "upload_queue_url"), ("exports", "exports_queue_url")])
def test_worker_queues_match_the_stack(synth, provisioned, queue, url):
    stack_queue = synth.resources[synth.logical_id(getattr(synth.stack, queue).queue)]["Properties"]
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=getattr(provisioned, url), AttributeNames=["VisibilityTimeout", "RedrivePolicy"]
    )["Attributes"]
    assert int(attributes["VisibilityTimeout"]) == stack_queue["VisibilityTimeout"]
    assert (
        int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"])
        == stack_queue["RedrivePolicy"]["maxReceiveCount"]
    )


def test_cursor_secret_exists_with_a_random_value():
    """Under `Settings.cursor_secret`, where list_assets reads it; a new value per emulator, like a new stack."""
    values = []
    for _ in range(2):
        with mock_aws():
            provision(SETTINGS)
            secret = boto3.client("secretsmanager").get_secret_value(SecretId=SETTINGS.cursor_secret)
            values.append(secret["SecretString"])
    assert all(len(value) >= 64 for value in values)
    assert values[0] != values[1]
