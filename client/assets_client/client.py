"""The HTTP client behind every generated operation: authentication, retries with backoff, one error type."""

from __future__ import annotations

import email.utils
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any
from urllib.parse import quote

import httpx

from assets_client._generated import Asset, DeliveryInfo, Operations
from assets_client.errors import ApiError
from assets_client.signing import delivery_path, sign_url

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "PATCH"})
"""Methods sent again after a 5xx or a lost answer: the API's PUT, PATCH and DELETE set state, they do not add to
it. A POST is sent again only with an `Idempotency-Key`."""
USER_AGENT = "assets-client/0.1"


def retry_after(response: httpx.Response) -> float | None:
    """`Retry-After` in seconds (a number of seconds or an HTTP date), None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Backoff:
    """Exponential backoff with full jitter (a delay drawn between 0 and `base * 2**attempt`, at most `cap`),
    and `Retry-After` honoured when the server sends it (never waiting less than it asks)."""

    def __init__(
        self, retries: int = 5, base: float = 0.5, cap: float = 30.0, sleep: Callable[[float], None] = time.sleep
    ):
        self.retries = retries
        self.base = base
        self.cap = cap
        self.sleep = sleep

    def delay(self, attempt: int, asked: float | None = None) -> float:
        jitter = random.uniform(0, min(self.cap, self.base * 2**attempt))  # noqa: S311 - jitter, not a secret
        return max(jitter, asked) if asked is not None else jitter

    def wait(self, attempt: int, asked: float | None = None) -> None:
        self.sleep(self.delay(attempt, asked))


def retryable(method: str, keyed: bool, response: httpx.Response | None, error: Exception | None) -> bool:
    """429 always (nothing was done); a connection that never opened always; a 5xx or a lost answer only when
    sending the request again cannot do the work twice."""
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    repeatable = method in SAFE_METHODS or keyed
    if error is not None:
        return repeatable and isinstance(error, httpx.TransportError)
    assert response is not None
    if response.status_code == 429:
        return True
    return repeatable and response.status_code in RETRIED_STATUSES


class Client(Operations):
    """Typed access to every route of the API (`Operations`, generated from `openapi.json`).

    >>> with Client("http://127.0.0.1:8000", "dam_...") as client:
    ...     asset = client.get_asset("0123...")

    Requests that fail with 429, a 5xx or a connection error are sent again after an exponential, jittered
    backoff (`Retry-After` honoured); POSTs that take an `Idempotency-Key` get one (a UUID, the same across the
    retries of one call), so a retry never does the work twice. Answers other than 2xx/3xx raise `ApiError`.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        backoff: Backoff | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.backoff = backoff or Backoff()
        self.http = httpx.Client(
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def send(self, request: httpx.Request, *, keyed: bool = False, stream: bool = False) -> httpx.Response:
        """Sends `request`, again while it is retryable and retries are left; raises `ApiError` for a 4xx/5xx."""
        attempt = 0
        while True:
            response: httpx.Response | None = None
            try:
                response = self.http.send(request, stream=stream)
            except httpx.TransportError as error:
                if attempt >= self.backoff.retries or not retryable(request.method, keyed, None, error):
                    raise ApiError.from_transport(error) from error
                self.backoff.wait(attempt)
            else:
                if response.status_code < 400:
                    return response
                if attempt >= self.backoff.retries or not retryable(request.method, keyed, response, None):
                    if stream:
                        response.read()
                    raise ApiError.from_response(response)
                response.close()
                self.backoff.wait(attempt, retry_after(response))
            attempt += 1

    def _call(
        self,
        method: str,
        template: str,
        *,
        path: dict[str, Any],
        query: dict[str, Any],
        body: Any = None,
        if_match: str | None = None,
        idempotency_key: str | None = None,
        idempotent: bool = False,
        auth: bool = True,
    ) -> Any:
        headers = {}
        if if_match is not None:
            headers["If-Match"] = if_match
        if idempotent:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        response = self.send(
            self.request(method, template, path=path, query=query, body=body, headers=headers, auth=auth),
            keyed=idempotent,
        )
        if 300 <= response.status_code < 400:
            return {"status": response.status_code, "location": response.headers["location"]}
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def request(
        self,
        method: str,
        template: str,
        *,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> httpx.Request:
        """An API request: the path's parameters filled in, None-valued query parameters left out."""
        url = self.base_url + template.format(**{k: quote(str(v), safe="") for k, v in (path or {}).items()})
        params = [(k, _query_value(v)) for k, v in (query or {}).items() if v is not None and not isinstance(v, list)]
        params += [(k, _query_value(x)) for k, v in (query or {}).items() if isinstance(v, list) for x in v]
        headers = dict(headers or {})
        if auth and self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return self.http.build_request(method, url, params=params, json=body, headers=headers)

    @contextmanager
    def stream(self, url: str) -> Iterator[httpx.Response]:
        """GETs a URL the API handed out (a presigned download) as a stream, with the same retries."""
        response = self.send(self.http.build_request("GET", url, headers={"Accept": "*/*"}), stream=True)
        try:
            yield response
        finally:
            response.close()

    @cached_property
    def delivery(self) -> DeliveryInfo:
        """The tenant's delivery settings and signing key (`GET /v1/delivery`), read once."""
        return self.get_delivery()

    def transform_url(self, asset: Asset, *, expires_in: float | None = None, **params: str) -> str:
        """A signed delivery URL of `asset`'s original with transform parameters (`w`, `h`, `fit`, `fm`, ...).
        A private asset's expires (after `expires_in` seconds, by default the stack's URL lifetime)."""
        info = self.delivery
        path = delivery_path(info["base_url"], str(asset.get("url")))
        if expires_in is None and not asset.get("is_public"):
            expires_in = info["url_ttl_seconds"]
        return sign_url(info["base_url"], info["secret"], path, params, expires_in=expires_in)

    def iterate(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Every item of a paginated listing (`{items, next_cursor}`), page after page."""
        cursor = None
        while True:
            page = operation(*args, **kwargs, cursor=cursor)
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return


def _query_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
