"""The asset backend stack: it composes the constructs and wires their names into the functions' settings."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from constructs import Construct

from functions.settings import Settings
from infra import names
from infra.api import Api
from infra.cursors import Cursors
from infra.delivery import Delivery, delivery_key
from infra.events import Events
from infra.exports import Exports
from infra.folder_jobs import FolderJobs
from infra.layer import PROCESSING_REQUIREMENTS, DependenciesLayer
from infra.monitoring import Monitoring, Watched
from infra.permissions import EXPIRY_ACCESS, PUBLISHER_ACCESS, Targets
from infra.processing import Processing
from infra.runtime import FunctionBasis, function_code
from infra.storage import Storage
from infra.streams import StreamConsumer
from infra.waf import protect
from infra.webhooks import Webhooks

DEFAULT_CORS_ORIGINS = ("*",)
EXPIRY_RETRIES = 5
PUBLISHER_TIMEOUT_SECONDS = 60
PUBLISHER_RETRY_HOURS = 23
"""How long a refused event is retried, in order: under the stream's 24 hours, so what is given up on is
still on the stream, named in the dead-letter message, for an hour."""


def cors_origins(scope: Construct) -> list[str]:
    """The `cors_origins` context: a list (cdk.json) or a comma-separated string (`-c`), `["*"]` by default."""
    value = scope.node.try_get_context(names.CORS_ORIGINS_CONTEXT) or list(DEFAULT_CORS_ORIGINS)
    origins = [origin.strip() for origin in value.split(",")] if isinstance(value, str) else list(value)
    return [origin for origin in origins if origin]


def delivery_presets(scope: Construct) -> str:
    """The `delivery_presets` context (a JSON object, or one in a string), else the settings' default presets."""
    value = scope.node.try_get_context(names.DELIVERY_PRESETS_CONTEXT)
    if value is None:
        return Settings.delivery_presets
    return value if isinstance(value, str) else json.dumps(value)


def snapstart(scope: Construct) -> bool:
    """The `snapstart` context: on unless `false` (cdk.json's `true`, or `-c snapstart=false`)."""
    return str(scope.node.try_get_context(names.SNAPSTART_CONTEXT)).lower() != "false"


def environment_of(settings: Settings) -> dict[str, str]:
    return {
        **settings.to_env(),
        "POWERTOOLS_SERVICE_NAME": names.SERVICE_NAME,
        "POWERTOOLS_METRICS_NAMESPACE": names.METRICS_NAMESPACE,
    }


class AssetBackendStack(Stack):
    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        origins = cors_origins(self)
        self.storage = Storage(self, names.STORAGE, cors_origins=origins)
        self.events = Events(self, names.EVENTS)
        self.cursors = Cursors(self, names.CURSORS)
        self.delivery_key = delivery_key(self, names.DELIVERY_KEY)
        layer = DependenciesLayer(self, names.LAYER).layer
        self.folder_jobs = FolderJobs(self, names.FOLDER_JOBS)
        self.exports = Exports(self, names.EXPORTS)
        self.webhooks = Webhooks(self, names.WEBHOOKS, bus=self.events.bus)
        targets = Targets(
            table=self.storage.table,
            bucket=self.storage.bucket,
            bus=self.events.bus,
            cursor_secret=self.cursors.secret,
            delivery_secret=self.delivery_key,
            jobs=self.folder_jobs.queue,
            exports=self.exports.queue,
            webhook_deliveries=self.webhooks.delivery_queue,
            idempotency=self.storage.idempotency,
        )
        settings = Settings(
            table_name=targets.table.table_name,
            bucket_name=targets.bucket.bucket_name,
            event_bus_name=targets.bus.event_bus_name,
            cors_allow_origin=",".join(origins),
            cursor_secret=targets.cursor_secret.secret_arn,
            delivery_secret=self.delivery_key.secret_arn,
            delivery_presets=delivery_presets(self),
            jobs_queue_url=targets.jobs.queue_url,
            exports_queue_url=targets.exports.queue_url,
            webhook_deliveries_queue_url=targets.webhook_deliveries.queue_url,
            idempotency_table=targets.idempotency.table_name,
            tracing=True,
        )
        processing_layer = DependenciesLayer(self, names.PROCESSING_LAYER, PROCESSING_REQUIREMENTS).layer
        # The delivery function is the distribution's origin, so it is told neither its URL nor its id.
        self.delivery = Delivery(
            self,
            names.DELIVERY,
            basis=FunctionBasis(
                code=function_code(),
                layers=(layer, processing_layer),
                environment=environment_of(settings),
                targets=targets,
            ),
            cors_origins=settings.cors_origins,
            domain=self.node.try_get_context(names.DELIVERY_DOMAIN_CONTEXT),
            certificate_arn=self.node.try_get_context(names.DELIVERY_CERTIFICATE_CONTEXT),
        )
        settings = replace(
            settings,
            delivery_url=self.delivery.url,
            delivery_distribution_id=self.delivery.distribution.distribution_id,
        )
        targets = replace(targets, distribution_arn=self.delivery.distribution_arn)
        basis = FunctionBasis(
            code=function_code(), layers=(layer,), environment=environment_of(settings), targets=targets
        )
        self.processing = Processing(self, names.PROCESSING, basis=replace(basis, layers=(layer, processing_layer)))
        jobs_worker = self.folder_jobs.add_worker(basis)
        export_worker = self.exports.add_worker(basis)
        webhook_fan_out, webhook_delivery = self.webhooks.add_workers(basis)
        self.expiry = StreamConsumer(
            self,
            names.EXPIRY,
            module=names.EXPIRY_FUNCTION,
            dead_letters_id=names.EXPIRY_DEAD_LETTER_QUEUE,
            basis=basis,
            access=EXPIRY_ACCESS,
            retries=EXPIRY_RETRIES,
        )
        self.publisher = StreamConsumer(
            self,
            names.PUBLISHER,
            module=names.PUBLISHER_FUNCTION,
            dead_letters_id=names.PUBLISHER_DEAD_LETTER_QUEUE,
            basis=basis,
            access=PUBLISHER_ACCESS,
            timeout_seconds=PUBLISHER_TIMEOUT_SECONDS,
            max_record_age=Duration.hours(PUBLISHER_RETRY_HOURS),
        )
        self.api = Api(
            self,
            names.API,
            basis=basis,
            cors_origins=settings.cors_origins,
            snapstart=snapstart(self),
        )
        self.web_acl = protect(self, self.api.rest_api, settings.cors_origins)

        self.monitoring = Monitoring(
            self,
            names.MONITORING,
            watched=Watched(
                dead_letters={
                    "Uploads": self.processing.dead_letters,
                    "FolderJobs": self.folder_jobs.dead_letters,
                    "Exports": self.exports.dead_letters,
                    "Expiry": self.expiry.dead_letters,
                    "Publisher": self.publisher.dead_letters,
                    **self.webhooks.dead_letters,
                },
                upload_queue=self.processing.queue,
                workers={
                    names.PROCESSOR: self.processing.processor.function,
                    names.JOBS_WORKER: jobs_worker.function,
                    names.EXPORT_WORKER: export_worker.function,
                    names.EXPIRY_FUNCTION: self.expiry.function.function,
                    names.PUBLISHER_FUNCTION: self.publisher.function.function,
                    names.DELIVER_FUNCTION: self.delivery.function.function,
                    names.WEBHOOK_FANOUT_FUNCTION: webhook_fan_out.function,
                    names.WEBHOOK_DELIVERY_FUNCTION: webhook_delivery.function,
                },
                stream_functions=[self.expiry.function.function, self.publisher.function.function],
                rest_api=self.api.rest_api,
                table=targets.table,
            ),
        )
        CfnOutput(
            self, names.API_URL_OUTPUT, value=self.api.rest_api.url, description="Base URL; routes start with /v1"
        )
        CfnOutput(self, names.BUCKET_NAME_OUTPUT, value=targets.bucket.bucket_name)
        CfnOutput(self, names.TABLE_NAME_OUTPUT, value=targets.table.table_name)
        CfnOutput(self, names.EVENT_BUS_NAME_OUTPUT, value=targets.bus.event_bus_name)
        CfnOutput(
            self,
            names.EVENT_ARCHIVE_OUTPUT,
            value=self.events.archive.archive_name,
            description="30 days of events, to replay (README runbook)",
        )
        CfnOutput(
            self,
            names.ALARM_TOPIC_OUTPUT,
            value=self.monitoring.topic.topic_arn,
            description="Subscribe to hear about trouble: every alarm, and when it is OK again",
        )
        CfnOutput(
            self,
            names.DELIVERY_URL_OUTPUT,
            value=self.delivery.url,
            description="Base of every delivery URL (assets carry theirs; DELIVERY_URL)",
        )
        CfnOutput(self, names.DISTRIBUTION_ID_OUTPUT, value=self.delivery.distribution.distribution_id)
        for tier, plan in self.api.usage_plans.items():
            CfnOutput(
                self,
                f"{names.USAGE_PLAN_OUTPUT}{tier.title()}",
                value=plan.usage_plan_id,
                description=f"The {tier} tier's usage plan, which its tenants' API keys are in (README: tiers)",
            )
        CfnOutput(
            self,
            names.DELIVERY_KEY_OUTPUT,
            value=self.delivery_key.secret_arn,
            description="Derives the tenants' delivery signing keys; rotating it breaks every signed delivery URL",
        )
        CfnOutput(
            self,
            names.CURSOR_KEY_OUTPUT,
            value=targets.cursor_secret.secret_arn,
            description="Signs list cursors; to rotate, put a new random value (only cursors in flight break)",
        )
