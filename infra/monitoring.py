"""An operator hears about trouble: CloudWatch alarms to one SNS topic (a stack output), and a dashboard.

Alarms: a message in any dead-letter queue (uploads, folder jobs, the stream's failures); an upload
waiting too long in its queue; errors or throttles of the processor, the folder-jobs worker or the
stream's function; the stream falling behind; the API's 5XX rate and p99 latency; throttled DynamoDB
requests. Each alarm also tells the topic when it is OK again. The dashboard: uploads per minute by
outcome, failed uploads by reason, processing time, every route's p99 latency, and the alarms.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from functions.routes import ROUTES
from functions.services.rejected import REASONS
from infra import names

PERIOD = Duration.minutes(5)
OLDEST_UPLOAD_SECONDS = 15 * 60
"""An upload waiting this long means the processor is stuck or starved."""
API_5XX_RATE = 0.01
API_P99_MS = 3000
STREAM_BEHIND_MS = 5 * 60 * 1000


@dataclass(frozen=True)
class Watched:
    """What the alarms and the dashboard look at."""

    dead_letters: dict[str, sqs.IQueue]
    upload_queue: sqs.IQueue
    workers: dict[str, lambda_.IFunction]
    """The queue and stream consumers, by name."""
    stream_functions: list[lambda_.IFunction]
    rest_api: apigw.RestApi
    table: dynamodb.ITable


class Monitoring(Construct):
    def __init__(self, scope: Construct, id: str, *, watched: Watched) -> None:
        super().__init__(scope, id)
        key = kms.Key(self, names.ALARM_KEY, enable_key_rotation=True, description="Encrypts the alarm topic.")
        # CloudWatch publishes to an encrypted topic only with a key that lets it
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        self.topic = sns.Topic(self, names.ALARM_TOPIC, master_key=key, enforce_ssl=True)
        self.alarms: dict[str, cloudwatch.Alarm] = {}

        for name, queue in watched.dead_letters.items():
            self._alarm(
                f"{name}DeadLetters",
                queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
                threshold=1,
                description=f"Messages in the {name} dead-letter queue: see the runbook (README) to redrive them.",
            )
        self._alarm(
            "OldestUpload",
            watched.upload_queue.metric_approximate_age_of_oldest_message(period=PERIOD, statistic="Maximum"),
            threshold=OLDEST_UPLOAD_SECONDS,
            description="An upload has waited over 15 minutes to be processed.",
        )
        for name, function in watched.workers.items():
            for metric, happened in (("Errors", "failed"), ("Throttles", "was throttled")):
                self._alarm(
                    f"{name}{metric}",
                    function.metric(metric, period=PERIOD, statistic="Sum"),
                    threshold=1,
                    description=f"The {name} function {happened}.",
                )
        ages = {
            f"age{i}": f.metric("IteratorAge", period=PERIOD, statistic="Maximum")
            for i, f in enumerate(watched.stream_functions)
        }
        self._alarm(
            "StreamBehind",
            cloudwatch.MathExpression(expression=f"MAX([{', '.join(ages)}])", using_metrics=ages, period=PERIOD),
            threshold=STREAM_BEHIND_MS,
            description="The table's stream is read more than 5 minutes behind (events or TTL removals are waiting).",
        )
        self._alarm(
            "Api5xxRate",
            watched.rest_api.metric_server_error(period=PERIOD, statistic="Average"),
            threshold=API_5XX_RATE,
            description="Over 1% of API requests answered 5XX.",
        )
        self._alarm(
            "ApiLatencyP99",
            watched.rest_api.metric_latency(period=PERIOD, statistic="p99"),
            threshold=API_P99_MS,
            description="The API's p99 latency is over 3 s.",
        )
        throttled = [
            cloudwatch.Metric(
                namespace="AWS/DynamoDB",
                metric_name=metric,
                dimensions_map={"TableName": watched.table.table_name},
                period=PERIOD,
                statistic="Sum",
            )
            for metric in ("ReadThrottleEvents", "WriteThrottleEvents")
        ]
        self._alarm(
            "TableThrottles",
            cloudwatch.MathExpression(
                expression="reads + writes",
                using_metrics={"reads": throttled[0], "writes": throttled[1]},
                period=PERIOD,
            ),
            threshold=1,
            description="DynamoDB throttled requests to the table.",
        )
        self.dashboard = self._dashboard(watched)

    def _alarm(self, id: str, metric: cloudwatch.IMetric, *, threshold: float, description: str) -> None:
        alarm = cloudwatch.Alarm(
            self,
            id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms[id] = alarm

    def _dashboard(self, watched: Watched) -> cloudwatch.Dashboard:
        uploads = [
            cloudwatch.Metric(
                namespace=names.METRICS_NAMESPACE,
                metric_name=f"Upload_{outcome}",
                dimensions_map={"service": names.SERVICE_NAME},
                period=Duration.minutes(1),
                statistic="Sum",
                label=outcome,
            )
            for outcome in ("ready", "failed", "missing", "raced", "already_processed")
        ]
        failures = [
            cloudwatch.Metric(
                namespace=names.METRICS_NAMESPACE,
                metric_name="UploadFailed",
                dimensions_map={"service": names.SERVICE_NAME, "reason": reason},
                period=PERIOD,
                statistic="Sum",
                label=reason,
            )
            for reason in REASONS
        ]
        processor = watched.workers[names.PROCESSOR]
        stage = watched.rest_api.deployment_stage.stage_name
        latency = [
            cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name="Latency",
                dimensions_map={
                    "ApiName": watched.rest_api.rest_api_name,
                    "Method": route.method,
                    "Resource": route.path,
                    "Stage": stage,
                },
                period=PERIOD,
                statistic="p99",
                label=f"{route.method} {route.path}",
            )
            for route in ROUTES
        ]
        dashboard = cloudwatch.Dashboard(self, names.DASHBOARD, dashboard_name=f"{Stack.of(self).stack_name}-assets")
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Uploads per minute, by outcome", left=uploads, width=12),
            cloudwatch.GraphWidget(
                title="Processing time (ms)",
                left=[processor.metric_duration(period=PERIOD, statistic=p, label=p) for p in ("p50", "p90", "p99")],
                width=12,
            ),
            cloudwatch.GraphWidget(title="Failed uploads by reason", left=failures, width=12, stacked=True),
            cloudwatch.GraphWidget(title="API p99 latency per route (ms)", left=latency, width=12),
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24),
        )
        return dashboard
