"""The table's stream: TTL removals -> forget_expired, asset changes -> publish_events, each filtered, in
order, with a dead-letter queue."""

from __future__ import annotations

import json

import pytest

from infra.stack import PUBLISHER_RETRY_HOURS
from tests.infra.test_permissions import STREAM_CONSUME
from tests.infra.test_processing import mapping_of

FORGET = "functions.forget_expired.handler"
PUBLISH = "functions.publish_events.handler"


def pattern_of(synth, handler: str) -> dict:
    (pattern,) = [
        json.loads(f["Pattern"]) for f in mapping_of(synth, handler)["Properties"]["FilterCriteria"]["Filters"]
    ]
    return pattern


def test_only_ttl_removals_of_asset_records_reach_forget_expired(synth):
    assert pattern_of(synth, FORGET) == {
        "eventName": ["REMOVE"],
        "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]},
        "dynamodb": {"OldImage": {"sk": {"S": ["ASSET"]}}},
    }


def test_only_changes_of_asset_records_purge_markers_exports_comments_and_webhooks_reach_publish_events(synth):
    assert pattern_of(synth, PUBLISH) == {
        "dynamodb": {"Keys": {"sk": {"S": ["ASSET", "PURGED", "EXPORT", {"prefix": "CMT#"}, {"prefix": "WH#"}]}}}
    }


@pytest.mark.parametrize(("handler", "consumer"), [(FORGET, "expiry"), (PUBLISH, "publisher")])
def test_each_reads_the_stream_in_order_with_dead_letters(synth, handler, consumer):
    properties = mapping_of(synth, handler)["Properties"]
    table = synth.logical_id(synth.stack.storage.table)
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [table, "StreamArn"]}
    assert properties["StartingPosition"] == "TRIM_HORIZON"
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert "ParallelizationFactor" not in properties  # one batch per shard at a time: an item's changes in order
    destination = properties["DestinationConfig"]["OnFailure"]["Destination"]
    dead_letters = getattr(synth.stack, consumer).dead_letters
    assert destination == {"Fn::GetAtt": [synth.logical_id(dead_letters), "Arn"]}


def test_a_refused_event_is_retried_while_its_record_is_on_the_stream(synth):
    properties = mapping_of(synth, PUBLISH)["Properties"]
    assert "MaximumRetryAttempts" not in properties  # retried until too old, not a number of times
    assert properties["MaximumRecordAgeInSeconds"] == PUBLISHER_RETRY_HOURS * 3600 < 24 * 3600


def test_the_table_streams_both_images(synth):
    table = synth.resources[synth.logical_id(synth.stack.storage.table)]["Properties"]
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}


@pytest.mark.parametrize("handler", [FORGET, PUBLISH])
def test_the_stream_is_read_on_its_own_arn(synth, handler):
    role = synth.role_of(synth.functions()[handler])
    table = synth.logical_id(synth.stack.storage.table)
    reads = [
        statement
        for statement in synth.statements(role)
        if set(synth.actions(statement)) <= STREAM_CONSUME and synth.actions(statement) != ["dynamodb:ListStreams"]
    ]
    assert reads
    for statement in reads:
        assert statement["Resource"] == {"Fn::GetAtt": [table, "StreamArn"]}
