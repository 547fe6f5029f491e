"""Handlers of the `/v1/tags` routes, one module per operation."""
