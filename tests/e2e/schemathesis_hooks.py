"""schemathesis hooks, loaded through `schemathesis.toml` by the CLI and by `tests/e2e/test_contract.py`."""

from __future__ import annotations

import schemathesis


@schemathesis.hook
def filter_query(ctx, query) -> bool:
    """No made-up cursors: a cursor is signed, so one that fits the documented shape is still a 400 by design
    (tests/unit/test_small_rules.py covers forged and foreign ones). Real cursors come from `next_cursor`."""
    return not (query or {}).get("cursor")
