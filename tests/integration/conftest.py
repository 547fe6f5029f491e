"""Handlers invoked in-process with API Gateway and SQS events, against moto."""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from functions import schema
from functions.adapters import clients
from functions.routes import BY_NAME, SCOPES
from functions.services.deps import get_deps
from functions.settings import Settings, get_settings
from local.lambda_runtime import Functions, LambdaContext
from local.provision import Provisioned, provision
from local.streams import StreamReader
from local.worker import EXPORTS, FOLDER_JOBS, WEBHOOK_DELIVERIES, WEBHOOK_FAN_OUT, Worker

EVENTS = Path(__file__).resolve().parent.parent / "events"
SETTINGS = Settings(table_name="assets-test", bucket_name="assets-test-bucket", event_bus_name="assets-test")
ALL_SCOPES = " ".join(SCOPES)


def sample(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


@dataclass
class Stack:
    settings: Settings
    resources: Provisioned
    stream: StreamReader

    def call(
        self,
        route_name: str,
        *,
        path_params: dict[str, str] | None = None,
        body: Any = None,
        raw_body: str | None = None,
        query: dict[str, str | list[str]] | None = None,
        tenant: str | None = "acme",
        scopes: str = ALL_SCOPES,
        headers: dict[str, str] | None = None,
        base64_body: bool = False,
        authorizer: dict[str, str] | None = None,
    ) -> tuple[int, Any, dict[str, str]]:
        """Invoke a route's handler the way API Gateway would; returns (status, parsed body, headers). A list
        in `query` is a repeated parameter; `authorizer` adds to what the authorizer resolved (a key's label). An HTML
        body comes back as text."""
        route = BY_NAME[route_name]
        path = route.path
        for name, value in (path_params or {}).items():
            path = path.replace("{" + name + "}", value)
        event = copy.deepcopy(sample("api_request.json"))
        event.update(
            resource=route.path,
            path=path,
            httpMethod=route.method,
            pathParameters=path_params,
            queryStringParameters={k: v[-1] if isinstance(v, list) else v for k, v in query.items()} if query else None,
            multiValueQueryStringParameters={k: v if isinstance(v, list) else [v] for k, v in query.items()}
            if query
            else None,
            body=raw_body if raw_body is not None else (json.dumps(body) if body is not None else None),
            isBase64Encoded=base64_body,
        )
        event["headers"].update(headers or {})
        event["multiValueHeaders"].update({name: [value] for name, value in (headers or {}).items()})
        stage = event["requestContext"]["stage"]
        event["requestContext"].update(resourcePath=route.path, httpMethod=route.method, path=f"/{stage}{path}")
        resolved = {"tenant": tenant, "scopes": scopes, **(authorizer or {})}
        event["requestContext"]["authorizer"] = resolved if tenant else {}
        handler = importlib.import_module(route.module).handler
        response = handler(event, LambdaContext(function_name=route_name))
        text = response.get("body") or ""
        headers = dict(response.get("headers") or {})
        headers.update({k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()})
        if headers.get("Content-Type", "").startswith("text/html"):
            return response["statusCode"], text, headers
        return response["statusCode"], json.loads(text) if text else None, headers

    def put_upload(self, tenant: str, asset_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """What a POST to the asset's presigned form does: (re)write its upload object."""
        boto3.client("s3").put_object(
            Bucket=self.settings.bucket_name,
            Key=schema.upload_key(tenant, asset_id),
            Body=data,
            ContentType=content_type,
        )

    def keys(self, prefix: str = "") -> list[str]:
        listed = boto3.client("s3").list_objects_v2(Bucket=self.settings.bucket_name, Prefix=prefix)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def upload(self, data: bytes, content_type: str = "image/jpeg", tenant: str = "acme", **fields: Any) -> dict:
        """Create an upload and put the bytes where the presigned POST would have."""
        status, created, _ = self.call(
            "create_upload",
            body={"filename": "file.bin", "content_type": content_type, "size": len(data), **fields},
            tenant=tenant,
        )
        assert status == 201, created
        key = created["upload"]["fields"]["key"]
        boto3.client("s3").put_object(Bucket=self.settings.bucket_name, Key=key, Body=data, ContentType=content_type)
        return created["asset"]

    def drain(self) -> int:
        """Feed queued upload notifications to the processor handler until the queue is empty."""
        worker = Worker(self.resources.upload_queue_url, Functions())
        total = 0
        while count := worker.poll_once():
            total += count
        return total

    def run_jobs(self) -> int:
        """Feed queued folder jobs (recursive deletes, re-indexing) to their worker until the queue is empty."""
        worker = Worker(self.resources.jobs_queue_url, Functions(), batch_size=1, module=FOLDER_JOBS)
        total = 0
        while count := worker.poll_once():
            total += count
        return total

    def run_exports(self) -> int:
        """Feed queued export rounds to the export worker until the queue is empty."""
        worker = Worker(self.resources.exports_queue_url, Functions(), batch_size=1, module=EXPORTS)
        total = 0
        while count := worker.poll_once():
            total += count
        return total

    def run_webhooks(self) -> int:
        """Follow the stream, then feed the webhook fan-out queue (the bus's events) and the delivery queue (the
        attempts due now) to their functions until both are empty; how many messages they handled."""
        self.follow_stream()
        fan_out = Worker(self.resources.webhook_fanout_queue_url, Functions(), batch_size=10, module=WEBHOOK_FAN_OUT)
        deliver = Worker(
            self.resources.webhook_deliveries_queue_url, Functions(), batch_size=10, module=WEBHOOK_DELIVERIES
        )
        total = 0
        while count := fan_out.poll_once() + deliver.poll_once():
            total += count
        return total

    def follow_stream(self) -> int:
        """Hand the table's new stream records to its consumers (events, TTL removals) until none is left."""
        total = 0
        while count := self.stream.poll_once():
            total += count
        return total

    def events(self) -> list[dict[str, Any]]:
        """The events the changes so far have published (the stream followed first)."""
        self.follow_stream()
        sqs = boto3.client("sqs")
        found = []
        while messages := sqs.receive_message(QueueUrl=self.resources.events_queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            for message in messages:
                found.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=self.resources.events_queue_url, ReceiptHandle=message["ReceiptHandle"])
        return found


def _reset() -> None:
    clients.reset()
    get_settings.cache_clear()
    get_deps.cache_clear()


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    for name, value in SETTINGS.to_env().items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        _reset()
        resources = provision(SETTINGS)
        monkeypatch.setenv("JOBS_QUEUE_URL", resources.jobs_queue_url)
        monkeypatch.setenv("EXPORTS_QUEUE_URL", resources.exports_queue_url)
        monkeypatch.setenv("WEBHOOK_DELIVERIES_QUEUE_URL", resources.webhook_deliveries_queue_url)
        _reset()
        stack = Stack(SETTINGS, resources, StreamReader(SETTINGS.table_name, Functions()))
        stack.drain()  # S3 sends a test event when the notification is configured
        yield stack
    _reset()


CDN = "https://cdn.example.com"


@pytest.fixture
def cdn(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """The stack with its delivery URLs on `CDN`: assets carry URLs."""
    monkeypatch.setenv("DELIVERY_URL", CDN)
    _reset()
    yield stack
    _reset()


@pytest.fixture
def local(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """The stack with local webhook receivers allowed (`http://127.0.0.1`), as `make dev` has it."""
    monkeypatch.setenv("WEBHOOK_LOCAL_RECEIVERS", "1")
    _reset()
    yield stack
    _reset()
