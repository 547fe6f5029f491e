"""The embedded local stack (`make dev`) and developer tooling: API keys, the OpenAPI document."""
