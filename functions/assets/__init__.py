"""Handlers of the `/v1/assets` routes, one module per operation."""
