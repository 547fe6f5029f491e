"""The asset backend's Python SDK: `Client` (every route, typed), `ApiError`, delivery URL signing, uploads."""

from assets_client.client import Backoff, Client
from assets_client.errors import ApiError
from assets_client.signing import sign_url

__all__ = ["ApiError", "Backoff", "Client", "sign_url"]
