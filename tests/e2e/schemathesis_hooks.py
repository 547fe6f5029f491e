"""schemathesis hooks, loaded through `schemathesis.toml` by the CLI and by `tests/e2e/test_contract.py`."""

from __future__ import annotations

import schemathesis


@schemathesis.hook
def filter_query(ctx, query) -> bool:
    """No made-up cursors: a cursor is signed, so one that fits the documented shape is still a 400 by design
    (tests/unit/test_small_rules.py covers forged and foreign ones). Real cursors come from `next_cursor`."""
    return not (query or {}).get("cursor")


@schemathesis.hook
def map_headers(ctx, headers):
    """No generated `Idempotency-Key`: generated keys repeat, and a key sent again with the same request answers
    what it first answered, by design, even for a folder or asset deleted since, which the stateful checks take
    for a resource that vanished. tests/integration/test_idempotency.py covers the header."""
    if headers:
        headers.pop("Idempotency-Key", None)
    return headers
