"""The bucket and the table, against the same definitions the local stack and the tests use."""

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


def test_browser_may_post_to_presigned_urls(synth):
    (rule,) = _bucket(synth, synth.stack.storage.bucket)["Properties"]["CorsConfiguration"]["CorsRules"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "POST"]
    assert rule["AllowedOrigins"] == ["*"]
    assert rule["AllowedHeaders"] == ["*"]


def test_incomplete_multipart_uploads_are_aborted_after_a_day(synth):
    rules = _bucket(synth, synth.stack.storage.bucket)["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}.items() <= rules[0].items()
    assert rules[0]["Status"] == "Enabled"
    assert "Prefix" not in rules[0]


def test_table_is_on_demand_recoverable_expiring_and_retained(synth):
    table = synth.resources[synth.logical_id(synth.stack.storage.table)]
    assert table["DeletionPolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": schema.TTL_ATTRIBUTE, "Enabled": True}


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
