"""Retry policy and the I/O-free retry loop shared by the sync and async clients.

An API operation is a generator: it yields :class:`Call` (send this request) and
:class:`Sleep` (wait this long) and receives each call's outcome, an ``httpx.Response`` or
an :class:`~croissant_embed.errors.ApiError`. The sync and async clients only execute
those steps, so backoff, ``Retry-After`` and the create-cart check live here once.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from typing import Any, Generator, Union

import httpx

from ..errors import ApiError, ConfigError, NetworkError, RequestInfo
from .responses import Redact, error_from_response

log = logging.getLogger("croissant_embed.api")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: exponential backoff with full jitter."""

    attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    retry_after_cap: float = 60.0

    def __post_init__(self) -> None:
        problems = []
        if self.attempts < 1:
            problems.append(f"retry attempts must be at least 1, not {self.attempts}")
        if self.backoff_base < 0 or self.backoff_cap < 0 or self.retry_after_cap < 0:
            problems.append("retry delays must not be negative")
        if problems:
            raise ConfigError(problems)

    def delay(self, attempt: int, error: ApiError, rng: random.Random) -> float:
        """Seconds to wait before retry number ``attempt + 1``."""
        hint = getattr(error, "retry_after", None)
        if hint is not None:
            return min(float(hint), self.retry_after_cap)
        return rng.uniform(0.0, min(self.backoff_cap, self.backoff_base * (2**attempt)))


@dataclass(frozen=True)
class Call:
    """One HTTP request of an operation; ``path`` is relative to the base URL, encoded."""

    method: str
    path: str
    body: bytes | None = None
    """The request's JSON body, encoded once (a payload's canonical JSON is sent as it is)."""

    @classmethod
    def with_json(cls, method: str, path: str, document: Any) -> Call:
        """A call whose body is ``document``: a JSON text as it is, anything else encoded."""
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        return cls(method, path, text.encode("utf-8"))

    @property
    def headers(self) -> dict[str, str]:
        """The headers the body needs."""
        return {"Content-Type": "application/json"} if self.body is not None else {}

    @property
    def info(self) -> RequestInfo:
        """What errors may say about this call (method and path, never headers)."""
        return RequestInfo(self.method, self.path)


@dataclass(frozen=True)
class Sleep:
    """Wait before the next attempt."""

    seconds: float


Outcome = Union[httpx.Response, ApiError]
Step = Union[Call, Sleep]


@dataclass(frozen=True)
class Operation:
    """A call plus, for a non-idempotent create, the GET that tells whether it happened."""

    call: Call
    verify: Call | None = None


def body_of(response: httpx.Response) -> Any:
    """The JSON body of a success (``data`` unwrapped), or ``None`` when there is none."""
    if not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and "data" in body and len(body) == 1:
        return body["data"]
    return body


def run(operation: Operation, policy: RetryPolicy, rng: random.Random, *, redact: Redact) -> Generator[Step, Outcome, Any]:
    """Perform ``operation`` with retries; returns the answer's body or raises ApiError.

    ``redact`` masks the client's secrets in what an error answer quotes.

    For an operation with ``verify`` (creating a cart), any failure after which the request
    may have reached the server is followed by the verifying GET before the create is sent
    again: a 200 means the first attempt succeeded, a 404 that it is safe to send again.
    """
    call, verify = operation.call, operation.verify
    must_verify = False
    error: ApiError | None = None
    for attempt in range(policy.attempts):
        if attempt:
            assert error is not None
            wait = policy.delay(attempt - 1, error, rng)
            log.info("retrying %s %s in %.2fs after: %s", call.method, call.path, wait, error.message)
            yield Sleep(wait)
        if must_verify and verify is not None:
            outcome = yield verify
            if isinstance(outcome, httpx.Response) and outcome.status_code == 200:
                log.info("%s %s had succeeded before its answer was lost", call.method, call.path)
                return body_of(outcome)
            if not (isinstance(outcome, httpx.Response) and outcome.status_code == 404):
                error = _as_error(outcome, verify, redact)
                if not error.retryable:
                    raise error
                continue
            must_verify = False
        outcome = yield call
        if isinstance(outcome, httpx.Response) and outcome.is_success:
            return body_of(outcome)
        error = _as_error(outcome, call, redact)
        if not error.retryable:
            raise error
        must_verify = not (isinstance(error, NetworkError) and not error.sent)
    assert error is not None
    raise error


def _as_error(outcome: Outcome, call: Call, redact: Redact) -> ApiError:
    if isinstance(outcome, ApiError):
        return outcome
    return error_from_response(outcome, call.info, redact=redact)
