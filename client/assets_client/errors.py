"""The one exception the SDK raises for an API answer that is an error, or for an API it cannot reach."""

from __future__ import annotations

import httpx


class ApiError(Exception):
    """An error answer: its HTTP `status` and the body's `error` code, `message` and `field` (the API's
    `{"error", "message", "field"}`). A request that got no answer has `status` None and `error`
    `connection_error`."""

    def __init__(self, status: int | None, error: str, message: str, field: str | None = None):
        super().__init__(f"{status or 'no answer'} {error}: {message}" + (f" (field: {field})" if field else ""))
        self.status = status
        self.error = error
        self.message = message
        self.field = field

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        """From the API's error body; another body (S3's XML, a proxy's page) is kept as the message."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            return cls(response.status_code, body["error"], str(body.get("message", "")), body.get("field"))
        text = response.text.strip()[:500] or response.reason_phrase
        return cls(response.status_code, f"http_{response.status_code}", text)

    @classmethod
    def from_transport(cls, error: httpx.TransportError) -> ApiError:
        return cls(None, "connection_error", f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
