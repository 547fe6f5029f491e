"""Handlers of the `/v1/trash` routes, one module per operation."""
