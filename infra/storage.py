"""The asset bucket (with its access-log bucket) and the asset table, keyed exactly as `functions.schema` says."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from functions import schema
from infra import names

ACCESS_LOG_DAYS = 365
INCOMPLETE_MULTIPART_DAYS = 1


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Storage(Construct):
    """Private, TLS-only, encrypted storage. Bucket and table are retained when the stack is deleted, and the
    table cannot be deleted at all until its deletion protection is turned off."""

    def __init__(self, scope: Construct, id: str, *, cors_origins: Sequence[str]) -> None:
        super().__init__(scope, id)
        private = {
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "encryption": s3.BucketEncryption.S3_MANAGED,
            "enforce_ssl": True,
            "removal_policy": RemovalPolicy.RETAIN,
        }
        self.access_logs = s3.Bucket(
            self,
            names.ACCESS_LOGS_BUCKET,
            lifecycle_rules=[s3.LifecycleRule(id="expire-access-logs", expiration=Duration.days(ACCESS_LOG_DAYS))],
            **private,
        )
        # A browser POSTs the file (or PUTs its parts) straight to the presigned URLs (under `uploads/`), so the
        # bucket answers CORS itself, and lets the script read each part's ETag to complete the upload.
        # Incomplete multipart uploads are aborted by the lifecycle rule below. A presigned POST that never
        # completes leaves no object at all, only its `pending` record, which DynamoDB TTL
        # (`schema.TTL_ATTRIBUTE`, set at creation) deletes. The processor empties `uploads/`; an upload it
        # never finished (its event left in the dead-letter queue) expires after `schema.UPLOAD_EXPIRY_DAYS`.
        self.bucket = s3.Bucket(
            self,
            names.BUCKET,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix=f"{names.BUCKET.lower()}/",
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods(method) for method in schema.BUCKET_CORS_METHODS],
                    allowed_origins=list(cors_origins),
                    allowed_headers=["*"],
                    exposed_headers=list(schema.BUCKET_CORS_EXPOSED),
                    max_age=3000,
                )
            ],
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="abort-incomplete-multipart-uploads",
                    abort_incomplete_multipart_upload_after=Duration.days(INCOMPLETE_MULTIPART_DAYS),
                ),
                s3.LifecycleRule(
                    id="expire-uploads",
                    prefix=schema.UPLOADS_PREFIX,
                    expiration=Duration.days(schema.UPLOAD_EXPIRY_DAYS),
                ),
                # stored transform results are a cache: one asked for again is made again
                s3.LifecycleRule(
                    id="expire-transforms",
                    prefix=schema.TRANSFORMS_PREFIX,
                    expiration=Duration.days(schema.TRANSFORM_EXPIRY_DAYS),
                ),
                # an export's zip (and a failed one's state) goes with its record, which TTL removes
                s3.LifecycleRule(
                    id="expire-exports",
                    prefix=schema.EXPORTS_PREFIX,
                    expiration=Duration.days(schema.EXPORT_EXPIRY_DAYS),
                ),
            ],
            **private,
        )
        self.table = dynamodb.Table(
            self,
            names.TABLE,
            partition_key=_string(schema.PARTITION_KEY),
            sort_key=_string(schema.SORT_KEY),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=schema.TTL_ATTRIBUTE,
            stream=dynamodb.StreamViewType(schema.STREAM_VIEW),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.idempotency = dynamodb.Table(
            self,
            names.IDEMPOTENCY_TABLE,
            partition_key=_string(schema.IDEMPOTENCY_KEY),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=schema.IDEMPOTENCY_EXPIRY,
            removal_policy=RemovalPolicy.DESTROY,
        )
        """Answers kept for 24 hours to repeat to a retried POST: nothing to keep when the stack goes."""
        for index in schema.INDEXES:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_string(index.partition_key),
                sort_key=_string(index.sort_key),
                projection_type=dynamodb.ProjectionType.KEYS_ONLY,
            )
