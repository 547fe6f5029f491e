"""GET /v1/assets/{asset_id} written "the usual way": the baseline of the cold-start benchmark.

Everything is created at import: a DynamoDB *resource*, S3 and EventBridge clients (unused by this route,
as in a typical one-module-per-service Lambda), powertools Logger, Tracer and Metrics, and a validating
resolver with a pydantic response model. Do not "optimise" this file: it is the yardstick.

The benchmark runs it with the variables the Lambda runtime sets (`LAMBDA_TASK_ROOT`, `_X_AMZN_TRACE_ID`),
so the Tracer is enabled and patches botocore as in a deployed function; segments go by UDP to a daemon
address where nothing listens, which never blocks. Without those variables the Tracer disables itself, yet
the X-Ray SDK then builds its non-Lambda recorder and two botocore `xray` clients at import, which makes
this handler about 200 ms *slower* than it is in Lambda; the benchmark reports that figure for reference only.
"""

import os
from datetime import datetime

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, UnauthorizedError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
s3 = boto3.client("s3")
events = boto3.client("events")

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)


class AssetOut(BaseModel):
    id: str
    status: str
    kind: str
    filename: str
    content_type: str
    size: int
    title: str | None = None
    description: str | None = None
    tags: list[str] = []
    created_at: datetime
    updated_at: datetime
    sha256: str | None = None


@app.get("/v1/assets/<asset_id>")
@tracer.capture_method
def get_asset(asset_id: str) -> AssetOut:
    tenant = (app.current_event.request_context.authorizer or {}).get("tenant")
    if not tenant:
        raise UnauthorizedError("no tenant")
    item = table.get_item(Key={"pk": f"T#{tenant}#A#{asset_id}", "sk": "ASSET"}, ConsistentRead=True).get("Item")
    if not item:
        raise NotFoundError(f"asset {asset_id} not found")
    metrics.add_metric(name="AssetRead", unit=MetricUnit.Count, value=1)
    return AssetOut.model_validate(item)


@tracer.capture_lambda_handler
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
