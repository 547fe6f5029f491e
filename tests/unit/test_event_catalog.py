"""`docs/events/` is what the models say: regenerate with `make openapi` when a model changes. Each type's example
(`docs/events/examples/`, an event a lifecycle really sent) fits the schema published next to it."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from functions.models.events import BY_TYPE
from local import event_catalog

EXAMPLES = event_catalog.DOCS / "examples"


def test_the_committed_event_schemas_match_the_models() -> None:
    assert event_catalog.stale() == []


def test_every_type_has_one_example_and_no_example_names_another_type() -> None:
    assert {path.stem for path in EXAMPLES.glob("*.json")} == set(BY_TYPE)


@pytest.mark.parametrize("name", sorted(BY_TYPE))
def test_each_example_is_an_event_of_its_type_that_fits_the_schema(name: str) -> None:
    example = json.loads((EXAMPLES / f"{name}.json").read_text())
    schema = json.loads((event_catalog.DOCS / f"{name}.json").read_text())
    assert example["detail-type"] == name
    assert [error.message for error in Draft202012Validator(schema).iter_errors(example["detail"])] == []
