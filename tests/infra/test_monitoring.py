"""Alarms to one encrypted topic, a dashboard, and an archive of every event."""

from __future__ import annotations

import json

from functions.routes import ROUTES
from functions.services.rejected import REASONS
from infra import names


def _alarms(synth) -> dict[str, dict]:
    return {
        synth.logical_id(alarm): synth.resources[synth.logical_id(alarm)]["Properties"]
        for alarm in synth.stack.monitoring.alarms.values()
    }


def _by_metric(synth) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for properties in _alarms(synth).values():
        found.setdefault(properties.get("MetricName", "expression"), []).append(properties)
    return found


def test_every_alarm_tells_the_topic_when_it_fires_and_when_it_clears(synth):
    topic = {"Ref": synth.logical_id(synth.stack.monitoring.topic)}
    assert len(_alarms(synth)) >= 12
    for properties in _alarms(synth).values():
        assert properties["AlarmActions"] == [topic]
        assert properties["OKActions"] == [topic]
        assert properties["TreatMissingData"] == "notBreaching"


def test_every_dead_letter_queue_is_watched(synth):
    stack = synth.stack
    queues = [
        stack.processing.dead_letters,
        stack.folder_jobs.dead_letters,
        stack.expiry.dead_letters,
        stack.publisher.dead_letters,
        stack.exports.dead_letters,
        stack.webhooks.fan_out_dead_letters,
        stack.webhooks.delivery_dead_letters,
    ]
    watched = [
        p["Dimensions"][0]["Value"]
        for p in _by_metric(synth)["ApproximateNumberOfMessagesVisible"]
        if p["Threshold"] == 1
    ]
    assert sorted(json.dumps(w, sort_keys=True) for w in watched) == sorted(
        json.dumps({"Fn::GetAtt": [synth.logical_id(q), "QueueName"]}, sort_keys=True) for q in queues
    )


def test_workers_api_table_and_stream_are_watched(synth):
    metrics = _by_metric(synth)
    functions = synth.functions()
    consumers = {
        "functions.process_upload.handler",
        "functions.run_folder_job.handler",
        "functions.run_export.handler",
        "functions.forget_expired.handler",
        "functions.publish_events.handler",
        "functions.deliver.handler",  # not a consumer, but no API Gateway 5XX metric covers it
        "functions.fan_out_webhooks.handler",
        "functions.deliver_webhooks.handler",
    }
    for name in ("Errors", "Throttles"):
        watched = {p["Dimensions"][0]["Value"]["Ref"] for p in metrics[name]}
        assert watched == {functions[handler] for handler in consumers}, name
    assert metrics["ApproximateAgeOfOldestMessage"][0]["Threshold"] == 15 * 60
    (behind,) = [p for p in metrics["expression"] if p["AlarmDescription"].startswith("The table's stream")]
    ages = {m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Ref"] for m in behind["Metrics"] if "MetricStat" in m}
    assert all(m["MetricStat"]["Metric"]["MetricName"] == "IteratorAge" for m in behind["Metrics"] if "MetricStat" in m)
    assert ages == {functions["functions.forget_expired.handler"], functions["functions.publish_events.handler"]}
    assert metrics["5XXError"][0]["Statistic"] == "Average"
    assert metrics["Latency"][0]["ExtendedStatistic"] == "p99"
    (throttles,) = [p for p in metrics["expression"] if p is not behind]
    used = {m.get("MetricStat", {}).get("Metric", {}).get("MetricName") for m in throttles["Metrics"]}
    assert {"ReadThrottleEvents", "WriteThrottleEvents"} <= used


def test_the_topic_is_encrypted_with_a_rotating_key_and_tls_only(synth):
    topic = synth.resources[synth.logical_id(synth.stack.monitoring.topic)]["Properties"]
    key_id = topic["KmsMasterKeyId"]["Fn::GetAtt"][0]
    assert synth.resources[key_id]["Properties"]["EnableKeyRotation"] is True
    policies = [p["Properties"]["PolicyDocument"]["Statement"] for p in synth.of_type("AWS::SNS::TopicPolicy").values()]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statements in policies
        for s in statements
    )


def test_the_dashboard_shows_uploads_processing_and_every_routes_latency(synth):
    (dashboard,) = synth.of_type("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    assert "AWS/ApiGateway" in body
    assert [route.path for route in ROUTES if route.path not in body] == []
    assert "Upload_ready" in body
    assert "Upload_failed" in body
    assert [reason for reason in REASONS if f'\\"reason\\",\\"{reason}\\"' not in body] == []


def test_events_are_archived_for_thirty_days_and_the_outputs_name_them(synth):
    (archive,) = synth.of_type("AWS::Events::Archive").values()
    assert archive["Properties"]["RetentionDays"] == 30
    assert archive["Properties"]["SourceArn"] == {"Fn::GetAtt": [synth.logical_id(synth.stack.events.bus), "Arn"]}
    outputs = synth.cfn["Outputs"]
    assert names.ALARM_TOPIC_OUTPUT in outputs
    assert names.EVENT_ARCHIVE_OUTPUT in outputs
