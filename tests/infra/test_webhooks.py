"""Webhooks: a rule with every event of the bus -> the fan-out queue -> its function -> the delivery queue -> the
delivery function; each queue with a dead-letter queue, each bounded."""

from __future__ import annotations

from functions import schema
from functions.settings import Settings
from infra.webhooks import BATCH_SIZE, DELIVERY_MAX_CONCURRENCY, FANOUT_TIMEOUT_SECONDS
from tests.infra.test_processing import mapping_of

FAN_OUT = "functions.fan_out_webhooks.handler"
DELIVER = "functions.deliver_webhooks.handler"


def test_every_event_of_the_bus_goes_to_the_fan_out_queue_and_what_cannot_to_its_dead_letters(synth):
    webhooks = synth.stack.webhooks
    (rule,) = [
        r["Properties"]
        for r in synth.of_type("AWS::Events::Rule").values()
        if r["Properties"].get("EventBusName") == {"Ref": synth.logical_id(synth.stack.events.bus)}
    ]
    assert rule["EventPattern"] == {"source": [Settings.event_source]}
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [synth.logical_id(webhooks.fan_out_queue), "Arn"]}
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [synth.logical_id(webhooks.fan_out_dead_letters), "Arn"]}


def test_each_queue_moves_what_fails_to_its_dead_letters_and_waits_six_timeouts(synth):
    webhooks = synth.stack.webhooks
    functions = synth.functions()
    for queue, dead_letters, handler, receives in (
        (webhooks.fan_out_queue, webhooks.fan_out_dead_letters, FAN_OUT, schema.WEBHOOK_FANOUT_MAX_RECEIVES),
        (webhooks.delivery_queue, webhooks.delivery_dead_letters, DELIVER, schema.WEBHOOK_DELIVERY_MAX_RECEIVES),
    ):
        properties = synth.resources[synth.logical_id(queue)]["Properties"]
        assert properties["RedrivePolicy"] == {
            "deadLetterTargetArn": {"Fn::GetAtt": [synth.logical_id(dead_letters), "Arn"]},
            "maxReceiveCount": receives,
        }
        assert properties["SqsManagedSseEnabled"] is True
        timeout = synth.resources[functions[handler]]["Properties"]["Timeout"]
        assert properties["VisibilityTimeout"] == 6 * timeout


def test_the_workers_take_batches_report_partial_failures_and_deliveries_are_bounded(synth):
    webhooks = synth.stack.webhooks
    fan_out = mapping_of(synth, FAN_OUT)["Properties"]
    deliver = mapping_of(synth, DELIVER)["Properties"]
    assert fan_out["EventSourceArn"] == {"Fn::GetAtt": [synth.logical_id(webhooks.fan_out_queue), "Arn"]}
    assert deliver["EventSourceArn"] == {"Fn::GetAtt": [synth.logical_id(webhooks.delivery_queue), "Arn"]}
    for properties in (fan_out, deliver):
        assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert properties["BatchSize"] == BATCH_SIZE
    assert deliver["ScalingConfig"] == {"MaximumConcurrency": DELIVERY_MAX_CONCURRENCY}
    functions = synth.functions()
    assert synth.resources[functions[FAN_OUT]]["Properties"]["Timeout"] == FANOUT_TIMEOUT_SECONDS
    assert synth.resources[functions[DELIVER]]["Properties"]["Timeout"] == schema.WEBHOOK_DELIVERY_TIMEOUT_SECONDS


def test_only_the_fan_out_the_delivery_function_and_the_retry_route_send_deliveries(synth):
    arn = f"<{synth.logical_id(synth.stack.webhooks.delivery_queue)}.Arn>"
    senders = {
        handler
        for handler, lid in synth.functions().items()
        for statement in synth.statements(synth.role_of(lid))
        if "sqs:SendMessage" in synth.actions(statement) and arn in synth.arns(statement)
    }
    assert senders == {FAN_OUT, DELIVER, "functions.webhooks.retry_webhook_delivery.handler"}


def test_every_function_knows_the_delivery_queue_and_no_deployed_one_accepts_local_receivers(synth):
    for handler, lid in synth.functions().items():
        variables = synth.resources[lid]["Properties"]["Environment"]["Variables"]
        queue = {"Ref": synth.logical_id(synth.stack.webhooks.delivery_queue)}
        assert variables["WEBHOOK_DELIVERIES_QUEUE_URL"] == queue, handler
        assert variables["WEBHOOK_LOCAL_RECEIVERS"] == "0", handler
