"""Every exception croissant-embed raises, in one tree.

    CroissantError                 base of everything raised by this package
    +-- ConfigError                settings invalid; carries every problem found
    +-- SiteError                  a page or the site folder cannot be read or written
    |   +-- DiskFull               no space left: the build stops (every later write would fail)
    +-- DataError                  product or order data invalid (page, product id, field)
    +-- PlanError                  the sync cannot go ahead (duplicate ids, no products, ...)
    +-- BuildFailed                a generator plugin's build did not succeed (the messages say why)
    +-- ApiError                   a Croissant API call failed (method, path, status, message)
        +-- AuthError              401/403, or the token endpoint refused the credentials
        +-- NotFoundError          404
        +-- ValidationError        400/422: the server rejected the body
        +-- ConflictError          409: the request clashes with the resource's state
        +-- RateLimitedError       429 (retryable; carries Retry-After)
        +-- ServerError            5xx (retryable)
        +-- NetworkError           timeout, refused or dropped connection (retryable)
        +-- CircuitOpen            a sync stopped: too many products failed in a row

Messages never contain a client secret or an access token: the API layer builds them from
the method, the path and the server's ``message`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


class CroissantError(Exception):
    """Base class of every error raised by croissant-embed."""


class ConfigError(CroissantError):
    """Settings are invalid; ``problems`` lists each one with its fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))


class SiteError(CroissantError):
    """A page or the site folder cannot be read or written."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class DiskFull(SiteError):
    """No space is left on the device (or the quota is used up) for a file being written."""


class DataError(CroissantError):
    """Product or order data is invalid; names the page, the product and the field."""

    def __init__(
        self,
        message: str,
        *,
        page: str | None = None,
        product_id: str | None = None,
        field: str | None = None,
        location: str | None = None,
    ) -> None:
        self.page = page
        self.location = location
        self.product_id = product_id
        self.field = field
        self.reason = message
        where = ", ".join(
            part
            for part in (
                f"page {page}" if page else location or "",
                f"product {product_id!r}" if product_id else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class PlanError(CroissantError):
    """The sync cannot go ahead as planned."""


class BuildFailed(CroissantError):
    """A build run by a generator plugin did not succeed; the message carries the build's own."""


@dataclass(frozen=True)
class RequestInfo:
    """What an API error says about the request that failed (never its headers)."""

    method: str
    path: str


class ApiError(CroissantError):
    """A Croissant API call failed."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        request: RequestInfo | None = None,
        status: int | None = None,
    ) -> None:
        self.message = message
        self.request = request
        self.status = status
        prefix = f"{request.method} {request.path}" if request else "Croissant API"
        status_part = f" -> {status}" if status is not None else ""
        super().__init__(f"{prefix}{status_part}: {message}")

    @property
    def cause(self) -> str:
        """What went wrong without the request it happened to (one cause is shared by many products)."""
        return f"HTTP {self.status}: {self.message}" if self.status is not None else self.message


class AuthError(ApiError):
    """The credentials or the token were refused (401/403)."""


class NotFoundError(ApiError):
    """The resource does not exist (404)."""


class ValidationError(ApiError):
    """The server rejected the request body (400/422)."""


class ConflictError(ApiError):
    """The request clashes with the resource's current state (409)."""


class _RetryLater(ApiError):
    """A retryable answer; ``retry_after`` is the server's hint in seconds, if any."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        request: RequestInfo | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, request=request, status=status)


class RateLimitedError(_RetryLater):
    """Too many requests (429)."""


class ServerError(_RetryLater):
    """The server failed (5xx)."""


class NetworkError(ApiError):
    """No answer was seen: timeout, refused or dropped connection.

    ``sent`` is False only when the request certainly never reached the server (connection
    refused), so a non-idempotent call may be retried without checking first.
    """

    retryable = True

    def __init__(
        self, message: str, *, request: RequestInfo | None = None, sent: bool = True
    ) -> None:
        self.sent = sent
        super().__init__(message, request=request)


class CircuitOpen(ApiError):
    """A sync stopped: the API failed too many times in a row (down or unreachable)."""


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each non-empty string of ``secrets`` replaced by ``***``."""
    for secret in sorted({secret for secret in secrets if secret}, key=len, reverse=True):  # longest first: no partial leftovers
        text = text.replace(secret, "***")
    return text
