"""The bucket, the table and the cursor secret, against the same definitions the local stack and the tests use."""

from __future__ import annotations

from aws_cdk.assertions import Match

from functions import schema


def _bucket(synth, construct):
    return synth.resources[synth.logical_id(construct)]


def test_buckets_are_private_encrypted_and_retained(synth):
    for construct in (synth.stack.storage.bucket, synth.stack.storage.access_logs):
        bucket = _bucket(synth, construct)
        assert bucket["DeletionPolicy"] == "Retain"
        assert bucket["Properties"]["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert bucket["Properties"]["BucketEncryption"] == {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        }


def test_buckets_refuse_plain_http(synth):
    for construct in (synth.stack.storage.bucket, synth.stack.storage.access_logs):
        synth.template.has_resource_properties(
            "AWS::S3::BucketPolicy",
            {
                "Bucket": {"Ref": synth.logical_id(construct)},
                "PolicyDocument": {
                    "Statement": Match.array_with(
                        [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                    )
                },
            },
        )


def test_bucket_logs_access_to_the_log_bucket(synth):
    logging = _bucket(synth, synth.stack.storage.bucket)["Properties"]["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": synth.logical_id(synth.stack.storage.access_logs)}


def test_browser_may_post_files_put_parts_and_read_their_etags_and_file_names(synth):
    (rule,) = _bucket(synth, synth.stack.storage.bucket)["Properties"]["CorsConfiguration"]["CorsRules"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "POST", "PUT"]
    assert rule["AllowedOrigins"] == ["*"]
    assert rule["AllowedHeaders"] == ["*"]
    assert rule["ExposedHeaders"] == ["ETag", "Content-Disposition"]


def _lifecycle_rules(synth) -> dict[str, dict]:
    rules = _bucket(synth, synth.stack.storage.bucket)["Properties"]["LifecycleConfiguration"]["Rules"]
    return {rule["Id"]: rule for rule in rules}


def test_incomplete_multipart_uploads_are_aborted_after_a_day(synth):
    rule = _lifecycle_rules(synth)["abort-incomplete-multipart-uploads"]
    assert {"AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}.items() <= rule.items()
    assert rule["Status"] == "Enabled"
    assert "Prefix" not in rule
    assert "Filter" not in rule


def test_leftover_uploads_stored_transforms_and_exports_expire_and_nothing_else_does(synth):
    """Only `uploads/`, the `transforms/` cache and `exports/` expire: sealed originals and renditions live as long
    as their asset."""
    rules = _lifecycle_rules(synth)
    assert set(rules) == {"abort-incomplete-multipart-uploads", "expire-uploads", "expire-transforms", "expire-exports"}
    assert rules["expire-exports"] == {
        "Id": "expire-exports",
        "Prefix": schema.EXPORTS_PREFIX,
        "ExpirationInDays": schema.EXPORT_EXPIRY_DAYS,
        "Status": "Enabled",
    }
    assert rules["expire-transforms"]["Prefix"] == schema.TRANSFORMS_PREFIX
    assert rules["expire-transforms"]["ExpirationInDays"] == schema.TRANSFORM_EXPIRY_DAYS
    assert rules["expire-uploads"] == {
        "Id": "expire-uploads",
        "Prefix": schema.UPLOADS_PREFIX,
        "ExpirationInDays": schema.UPLOAD_EXPIRY_DAYS,
        "Status": "Enabled",
    }


def test_table_is_on_demand_recoverable_expiring_and_retained(synth):
    table = synth.resources[synth.logical_id(synth.stack.storage.table)]
    assert table["DeletionPolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": schema.TTL_ATTRIBUTE, "Enabled": True}


def test_table_has_deletion_protection(synth):
    """Retained with the stack, and not deletable by any API call until someone turns this off."""
    properties = synth.resources[synth.logical_id(synth.stack.storage.table)]["Properties"]
    assert properties["DeletionProtectionEnabled"] is True


def test_cursor_secret_is_generated_and_not_retained(synth):
    """64 letters and digits; losing it only invalidates page cursors in flight."""
    secret = synth.resources[synth.logical_id(synth.stack.cursors.secret)]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["DeletionPolicy"] == "Delete"
    assert secret["Properties"]["GenerateSecretString"] == {
        "PasswordLength": 64,
        "ExcludePunctuation": True,
        "IncludeSpace": False,
    }
    assert "SecretString" not in secret["Properties"]
    assert synth.of_type("AWS::SecretsManager::RotationSchedule") == {}


def test_table_keys_and_indexes_match_the_schema(synth):
    """The local stack and the integration tests create the table from `create_table_kwargs`."""
    properties = synth.resources[synth.logical_id(synth.stack.storage.table)]["Properties"]
    expected = schema.create_table_kwargs("assets")

    def by_name(items, key):
        return sorted(items, key=lambda item: item[key])

    assert by_name(properties["AttributeDefinitions"], "AttributeName") == by_name(
        expected["AttributeDefinitions"], "AttributeName"
    )
    assert properties["KeySchema"] == expected["KeySchema"]
    assert by_name(properties["GlobalSecondaryIndexes"], "IndexName") == by_name(
        expected["GlobalSecondaryIndexes"], "IndexName"
    )
