"""The deploy-time key pair that signs redirects to large files behind the CDN (functions/make_signing_key.py)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from cryptography.hazmat.primitives import serialization
from moto import mock_aws

from functions import make_signing_key
from functions.adapters import clients
from local.lambda_runtime import LambdaContext


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        clients.reset()
        client = boto3.client("secretsmanager")
        yield client, client.create_secret(Name="signing-key")["ARN"]
    clients.reset()


def invoke(kind: str, secret_arn: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []

    class Answer:
        def __init__(self, request, timeout):
            answers.append(json.loads(request.data))

        def __enter__(self):
            return self

        def __exit__(self, *args: object) -> None:
            pass

    monkeypatch.setattr(make_signing_key.urllib.request, "urlopen", Answer)
    event = {
        "RequestType": kind,
        "ResponseURL": "https://cloudformation-custom-resource-response.example/answer",
        "StackId": "arn:aws:cloudformation:us-east-1:000000000000:stack/S/1",
        "RequestId": "r1",
        "LogicalResourceId": "SigningKeyPair",
        "ResourceProperties": {"SecretArn": secret_arn},
    }
    make_signing_key.handler(event, LambdaContext(function_name="make_signing_key"))
    (answer,) = answers
    return answer


def test_the_key_pair_is_made_once_and_kept(secrets, monkeypatch):
    client, arn = secrets
    created = invoke("Create", arn, monkeypatch)
    assert created["Status"] == "SUCCESS"
    public = serialization.load_pem_public_key(created["Data"]["PublicKey"].encode())
    stored = serialization.load_pem_private_key(client.get_secret_value(SecretId=arn)["SecretString"].encode(), None)
    assert stored.public_key().public_numbers() == public.public_numbers()
    assert public.key_size == 2048
    assert invoke("Update", arn, monkeypatch)["Data"] == created["Data"]  # kept, not rotated
    assert invoke("Delete", arn, monkeypatch)["Status"] == "SUCCESS"


def test_a_failure_is_reported_not_left_hanging(secrets, monkeypatch):
    answer = invoke("Update", "arn:aws:secretsmanager:us-east-1:000000000000:secret:missing", monkeypatch)
    assert answer["Status"] == "FAILED"
    assert "ResourceNotFound" in answer["Reason"]
