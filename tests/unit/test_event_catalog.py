"""`docs/events/` is what the models say: regenerate with `make openapi` when a model changes."""

from __future__ import annotations

from local import event_catalog


def test_the_committed_event_schemas_match_the_models() -> None:
    assert event_catalog.stale() == []
