"""`make openapi` (with the OpenAPI document): the JSON Schema of every event's `detail`, one file per type in
`docs/events/`, generated from the models (`functions.models.events.CATALOG`). `--check` fails when one is stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from functions.models.events import CATALOG, EventType

DOCS = Path(__file__).resolve().parent.parent / "docs" / "events"


def schema(event: EventType) -> str:
    """The schema of the event's `detail` as sent (its JSON form), titled with its `detail-type`."""
    body = event.detail.model_json_schema(mode="serialization")
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{event.name}.json",
        "title": event.name,
        "description": f"{event.when} EventBridge `detail` of `detail-type` {event.name}, source `assets` by default.",
        **{key: value for key, value in body.items() if key not in ("title", "description")},
    }
    return json.dumps(document, indent=2) + "\n"


def stale() -> list[str]:
    """The files that differ from the models, or are missing, or name no event type."""
    wanted = {f"{event.name}.json": schema(event) for event in CATALOG}
    present = {path.name for path in DOCS.glob("*.json")} if DOCS.exists() else set()
    differ = [name for name, text in wanted.items() if not (DOCS / name).exists() or (DOCS / name).read_text() != text]
    return sorted(differ + sorted(present - set(wanted)))


def write() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for path in DOCS.glob("*.json"):
        path.unlink()
    for event in CATALOG:
        (DOCS / f"{event.name}.json").write_text(schema(event))


if __name__ == "__main__":
    if "--check" in sys.argv:
        found = stale()
        sys.exit(f"docs/events is stale ({', '.join(found)}): run `make openapi`" if found else 0)
    write()
    print(f"wrote {len(CATALOG)} event schemas to {DOCS}")
