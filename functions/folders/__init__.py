"""Handlers of the `/v1/folders` routes, one module per operation."""
