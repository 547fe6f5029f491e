"""CloudFront access: invalidations, so that a change to an asset reaches the edge before its cache lifetime."""

from __future__ import annotations

import uuid
from typing import Any

from functions.adapters import clients
from functions.adapters.aws_errors import translated


class Cdn:
    def __init__(self, distribution_id: str, client: Any = None):
        self.distribution_id = distribution_id
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or clients.get("cloudfront")

    def invalidate(self, paths: list[str], reference: str | None = None) -> None:
        """Forget the cached answers under `paths` (`*` wildcards). Without a distribution (locally there is no
        cache) there is nothing to forget. `reference` makes a retried batch one invalidation, not two."""
        if not self.distribution_id or not paths:
            return
        with translated():
            self.client.create_invalidation(
                DistributionId=self.distribution_id,
                InvalidationBatch={
                    "Paths": {"Quantity": len(paths), "Items": sorted(set(paths))},
                    "CallerReference": reference or uuid.uuid4().hex,
                },
            )
