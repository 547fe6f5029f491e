"""SnapStart priming: what a route function's first request would load, loaded before Lambda snapshots it.

With SnapStart (`infra/route_functions.py`) Lambda initializes a published version once and resumes every new
environment from a snapshot of it, so what is loaded before the snapshot costs no cold start. Importing the handler
module happens then anyway; a before-snapshot hook also builds what the handler builds lazily (the resolver, a
POST's idempotency guard, the adapters and their boto3 clients) and, where tracing is on, loads the X-Ray SDK. It
makes no network call: a snapshot must hold no connection, and credentials are fetched after the restore.

`snapshot_restore_py` ships with the Lambda Python runtime (3.12 and later), whose hooks are the ones run; it must
not be in a layer, where a copy would shadow the runtime's. `requirements-dev.txt` pins the same module from PyPI
for the tests. Without it (or without SnapStart) nothing runs the hook and everything stays lazy.
"""

from __future__ import annotations

from collections.abc import Callable


def before_snapshot(prime: Callable[[], object]) -> None:
    """Run `prime` before Lambda takes the snapshot, where the runtime has the hooks."""
    try:
        from snapshot_restore_py import register_before_snapshot
    except ImportError:
        return
    register_before_snapshot(prime)
