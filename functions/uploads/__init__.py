"""Handlers of the `/v1/uploads` routes, one module per operation."""
