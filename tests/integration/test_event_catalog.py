"""The event catalog (`docs/events/`): what a whole lifecycle really sends, every type of it, fits its schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from jsonschema import Draft202012Validator

from functions.models.events import BY_TYPE, CATALOG
from functions.services import export_plan
from tests import files
from tests.integration.conftest import Stack

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def lifecycle(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every kind of change, once: the events they sent."""
    photo = stack.upload(files.jpeg(40, 30))["id"]
    stack.upload(files.truncated_jpeg())
    stack.drain()
    path = {"asset_id": photo}
    stack.call("update_asset", path_params=path, body={"title": "Catalogued"})
    second = files.jpeg(50, 40)
    body = {"filename": "v2.jpg", "content_type": "image/jpeg", "size": len(second)}
    version = stack.call("create_version", path_params=path, body=body)[1]
    key = version["upload"]["fields"]["key"]
    boto3.client("s3").put_object(Bucket=stack.settings.bucket_name, Key=key, Body=second, ContentType="image/jpeg")
    stack.drain()
    comment = stack.call("create_comment", path_params=path, body={"text": "Lovely"})[1]
    stack.call("delete_comment", path_params={**path, "comment_id": comment["id"]})
    stack.call("create_export", body={"asset_ids": [photo]})
    stack.run_exports()
    monkeypatch.setattr(export_plan, "MAX_ENTRIES", 0)
    stack.call("create_export", body={"asset_ids": [photo]})
    stack.run_exports()
    stack.call("delete_asset", path_params=path)
    stack.call("restore_asset", path_params=path)
    stack.call("delete_asset", path_params=path, query={"permanent": "true"})
    hook = stack.call("create_webhook", body={"url": "https://hooks.example.com/assets", "events": ["*"]})[1]
    stack.call("send_webhook_test", path_params={"webhook_id": hook["id"]})
    stack.call("update_webhook", path_params={"webhook_id": hook["id"]}, body={"enabled": False})
    return [event for event in stack.events() if event["source"] == "assets"]


def test_every_event_type_is_sent_by_a_lifecycle_and_fits_its_published_schema(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = lifecycle(stack, monkeypatch)
    assert {event["detail-type"] for event in sent} == set(BY_TYPE)
    for event in sent:
        schema = json.loads((DOCS / f"{event['detail-type']}.json").read_text())
        errors = [error.message for error in Draft202012Validator(schema).iter_errors(event["detail"])]
        assert errors == [], event["detail-type"]


def test_the_catalog_names_each_type_once() -> None:
    assert len(BY_TYPE) == len(CATALOG)
