from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from functions.models.assets import AssetUpdate, UploadRequest

VALID = {"filename": "photo.jpg", "content_type": "image/jpeg", "size": 10}


def test_valid_upload_request_strips_whitespace() -> None:
    request = UploadRequest.model_validate({**VALID, "title": "  Sunset  ", "tags": ["a", "b"]})
    assert request.title == "Sunset"
    assert request.tags == ["a", "b"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"filename": ""}, "filename"),
        ({"filename": "../etc/passwd"}, "filename"),
        ({"filename": "a\nb.jpg"}, "filename"),
        ({"content_type": "jpeg"}, "content_type"),
        ({"content_type": "image/jpeg; charset=x"}, "content_type"),
        ({"size": 0}, "size"),
        ({"title": "x" * 501}, "title"),
        ({"tags": ["x"] * 51}, "tags"),
        ({"tags": [""]}, "tags"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_invalid_upload_requests_name_the_field(change: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        UploadRequest.model_validate({**VALID, **change})
    assert caught.value.errors()[0]["loc"][0] == field


def test_missing_required_field() -> None:
    with pytest.raises(ValidationError) as caught:
        UploadRequest.model_validate({"filename": "a.jpg", "size": 1})
    assert caught.value.errors()[0]["loc"] == ("content_type",)


def test_update_distinguishes_absent_from_null() -> None:
    update = AssetUpdate.model_validate({"title": None, "alt": "a cat"})
    assert update.model_dump(exclude_unset=True) == {"title": None, "alt": "a cat"}


@pytest.mark.parametrize("blank", [" ", "\t", "\u00a0", "   "])
def test_blank_names_and_tags_are_refused_by_the_schema_not_only_after_stripping(blank: str) -> None:
    """Whitespace is stripped; a value that is only whitespace must fail the documented pattern too."""
    schema = UploadRequest.model_json_schema()
    tag_pattern = schema["properties"]["tags"]["anyOf"][0]["items"]["pattern"]
    filename_pattern = schema["properties"]["filename"]["pattern"]
    assert re.search(tag_pattern, blank) is None
    assert re.search(filename_pattern, blank) is None
    with pytest.raises(ValidationError):
        UploadRequest.model_validate({"filename": "a.jpg", "content_type": "image/jpeg", "size": 1, "tags": [blank]})
    assert re.search(tag_pattern, " a ")
    assert re.search(filename_pattern, " a.jpg ")
