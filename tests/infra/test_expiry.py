"""TTL removals: the table's stream -> forget_expired, filtered to TTL's removals of asset records."""

from __future__ import annotations

import json

from tests.infra.test_permissions import STREAM_CONSUME
from tests.infra.test_processing import mapping_of

FORGET = "functions.forget_expired.handler"


def test_only_ttl_removals_of_asset_records_invoke_it(synth):
    properties = mapping_of(synth, FORGET)["Properties"]
    table = synth.logical_id(synth.stack.storage.table)
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [table, "StreamArn"]}
    (pattern,) = [json.loads(f["Pattern"]) for f in properties["FilterCriteria"]["Filters"]]
    assert pattern == {
        "eventName": ["REMOVE"],
        "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]},
        "dynamodb": {"OldImage": {"sk": {"S": ["ASSET"]}}},
    }
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    destination = properties["DestinationConfig"]["OnFailure"]["Destination"]
    assert destination == {"Fn::GetAtt": [synth.logical_id(synth.stack.expiry.dead_letters), "Arn"]}


def test_the_table_streams_old_images(synth):
    table = synth.resources[synth.logical_id(synth.stack.storage.table)]["Properties"]
    assert table["StreamSpecification"] == {"StreamViewType": "OLD_IMAGE"}


def test_the_stream_is_read_on_its_own_arn(synth):
    role = synth.role_of(synth.functions()[FORGET])
    table = synth.logical_id(synth.stack.storage.table)
    reads = [
        statement
        for statement in synth.statements(role)
        if set(synth.actions(statement)) <= STREAM_CONSUME and synth.actions(statement) != ["dynamodb:ListStreams"]
    ]
    assert reads
    for statement in reads:
        assert statement["Resource"] == {"Fn::GetAtt": [table, "StreamArn"]}
