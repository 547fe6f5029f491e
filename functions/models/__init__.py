"""Pydantic models, one module per resource; `common` holds what they share."""
