"""Turning HTTP answers and transport failures into the package's typed errors."""

from __future__ import annotations

import email.utils
import json
import time
from typing import Callable

import httpx

from ..errors import (
    ApiError,
    AuthError,
    ConflictError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestInfo,
    ServerError,
    ValidationError,
)

Redact = Callable[[str], str]
"""Masks the secrets (client secret, tokens) in a text that quotes the server or the transport."""

_EXCERPT = 200  # characters of a body without a JSON message
_MESSAGE = 1000  # characters of a server's message: it is repeated in every report entry


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def server_message(response: httpx.Response, *, redact: Redact) -> str:
    """The ``message`` of a JSON error body, else a short excerpt of the body, redacted.

    Redaction comes before the cut, so an excerpt never ends in the first half of a secret.
    """
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return redact(text)[:_EXCERPT] if text else redact(response.reason_phrase or "no message")
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return redact(body["message"])[:_MESSAGE]
    return redact(json.dumps(body, ensure_ascii=False))[:_EXCERPT]


def error_from_response(response: httpx.Response, request: RequestInfo, *, redact: Redact) -> ApiError:
    """The typed error for a non-success answer; ``redact`` masks the secrets it may echo."""
    status = response.status_code
    message = server_message(response, redact=redact)
    if status in (401, 403):
        return AuthError(message, request=request, status=status)
    if status == 404:
        return NotFoundError(message, request=request, status=status)
    if status in (400, 422):
        return ValidationError(message, request=request, status=status)
    if status == 409:
        return ConflictError(message, request=request, status=status)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 429:
        return RateLimitedError(message, request=request, status=status, retry_after=retry_after)
    if status >= 500:
        return ServerError(message, request=request, status=status, retry_after=retry_after)
    return ApiError(message, request=request, status=status)


def error_from_transport(exc: httpx.TransportError, request: RequestInfo, *, redact: Redact, base_url: str = "") -> NetworkError:
    """The typed error for a request that got no answer, saying where (its text may quote a header: redacted)."""
    never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
    kind = type(exc).__name__
    detail = redact(str(exc) or "no detail")[:_MESSAGE]
    where = f" at {redact(base_url)}" if base_url else ""
    what = f"cannot reach the API{where}" if never_sent else f"no answer from the API{where}"
    return NetworkError(f"{what}: {detail} ({kind})", request=request, sent=not never_sent)
