"""Croissant Retailer API clients: async for bulk work, sync for one-off calls.

Both faces share the endpoint definitions (:class:`_Endpoints`), the retry loop
(:mod:`.retry`), the error mapping (:mod:`.responses`), the auth (:mod:`.auth`) and the
limits on what a server can make them wait for or read (:mod:`.limits`); each only
executes the steps of an operation with its own kind of I/O. ``timeout`` is the total an
attempt may take, from the token request (if one is due) to the last byte of the answer.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any
from urllib.parse import quote

import httpx

from ..errors import ApiError, DataError, NetworkError
from .auth import CroissantAuth
from .limits import ACCEPT_ENCODING, Deadline, bound_sockets, guard_answer, guard_answer_async
from .retry import Call, Operation, RetryPolicy, Sleep, run
from .responses import error_from_transport
from .types import CartPayload, ProductPayload

USER_AGENT = "croissant-embed"


def path_segment(value: str, *, what: str = "id") -> str:
    """``value`` percent-encoded as exactly one path segment.

    Everything but unreserved characters is encoded; a segment of dots only (``.``, ``..``)
    is encoded too, because URL normalisation would otherwise remove it from the path.
    """
    if not isinstance(value, str) or value == "":
        raise DataError(f"the {what} must be a non-empty string, not {value!r}", field=what)
    if set(value) == {"."}:
        return "%2E" * len(value)
    return quote(value, safe="")


class _Endpoints:
    """The API's endpoints, written once for both clients (``_perform`` differs)."""

    auth: CroissantAuth
    base_url: str

    def _failed(self, exc: httpx.TransportError, call: Call, deadline: Deadline) -> NetworkError:
        """The error of an attempt that got no answer (running out of time says so)."""
        if deadline.remaining() <= 0:
            return deadline.error(call.info)
        return error_from_transport(exc, call.info, redact=self.auth.redact, base_url=self.base_url)

    def _perform(self, operation: Operation) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def put_product(self, product_id: str, payload: ProductPayload | str) -> Any:
        """Create or update a product (``PUT /products/{id}``); ``payload`` may be its JSON text."""
        return self._perform(Operation(Call.with_json("PUT", f"/products/{path_segment(product_id, what='product id')}", payload)))

    def get_product(self, product_id: str) -> Any:
        """The product as Croissant holds it (``GET /products/{id}``)."""
        return self._perform(Operation(Call("GET", f"/products/{path_segment(product_id, what='product id')}")))

    def create_cart(self, cart: CartPayload) -> Any:
        """Report a paid order (``POST /carts``); never creates the same cart twice."""
        cart_path = f"/carts/{path_segment(cart.get('id', ''), what='cart id')}"
        return self._perform(Operation(Call.with_json("POST", "/carts", cart), verify=Call("GET", cart_path)))

    def get_cart(self, cart_id: str) -> Any:
        """The cart with its buyback values (``GET /carts/{id}``)."""
        return self._perform(Operation(Call("GET", f"/carts/{path_segment(cart_id, what='cart id')}")))

    def fulfill_cart(self, cart_id: str) -> Any:
        """Mark the order shipped (``POST /carts/{id}/fulfill``)."""
        return self._perform(Operation(Call("POST", f"/carts/{path_segment(cart_id, what='cart id')}/fulfill")))

    def cancel_cart(self, cart_id: str) -> Any:
        """Mark the order cancelled (``POST /carts/{id}/cancel``)."""
        return self._perform(Operation(Call("POST", f"/carts/{path_segment(cart_id, what='cart id')}/cancel")))


def _auth(base_url: str, client_id: str, client_secret: str) -> CroissantAuth:
    return CroissantAuth(client_id, client_secret, base_url.rstrip("/") + "/token")


def _http_options(base_url: str, timeout: float) -> dict[str, Any]:
    return {
        "base_url": base_url.rstrip("/"),
        "timeout": httpx.Timeout(timeout),
        "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        "follow_redirects": False,
    }


class CroissantClient(_Endpoints):
    """Synchronous client for one-off calls (CLI, checkout handlers)."""

    def __init__(
        self,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url
        self.auth = _auth(base_url, client_id, client_secret)
        self._timeout = timeout
        self._retry = retry
        self._rng = rng or random.Random()
        self._http = httpx.Client(auth=self.auth, transport=transport, event_hooks={"response": [guard_answer]},
                                  **_http_options(base_url, timeout))
        bound_sockets(self._http)

    def __repr__(self) -> str:
        return f"CroissantClient(base_url={self.base_url!r}, auth={self.auth!r})"

    def __enter__(self) -> CroissantClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def check_credentials(self) -> None:
        """Ask for a token now; AuthError when the credentials are refused."""
        deadline = Deadline.start(self._timeout)
        with deadline.applies():
            try:
                response = self._http.send(self.auth.token_request(), auth=httpx.Auth())
            except httpx.TransportError as exc:
                raise self._failed(exc, Call("POST", "/token"), deadline) from exc
        self.auth.accept_token(response)

    def _perform(self, operation: Operation) -> Any:
        steps = run(operation, self._retry, self._rng, redact=self.auth.redact)
        outcome: Any = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, Sleep):
                    time.sleep(step.seconds)
                    outcome = None
                else:
                    outcome = self._send(step)
        except StopIteration as done:
            return done.value

    def _send(self, call: Call) -> httpx.Response | ApiError:
        deadline = Deadline.start(self._timeout)
        with deadline.applies():  # the sockets and the answer's reader stop waiting there
            try:
                return self._http.request(call.method, call.path, content=call.body, headers=call.headers)
            except httpx.TransportError as exc:
                return self._failed(exc, call, deadline)
            except ApiError as exc:  # raised by the auth flow, or while reading the answer
                return exc


class AsyncCroissantClient(_Endpoints):
    """Asynchronous client for bulk work; at most ``max_concurrency`` calls in flight."""

    def __init__(
        self,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),
        max_concurrency: int = 16,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url
        self.auth = _auth(base_url, client_id, client_secret)
        self._timeout = timeout
        self._retry = retry
        self._rng = rng or random.Random()
        self._max_concurrency = max_concurrency
        self._slots: asyncio.Semaphore | None = None
        limits = httpx.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency)
        self._http = httpx.AsyncClient(auth=self.auth, transport=transport, limits=limits,
                                       event_hooks={"response": [guard_answer_async]}, **_http_options(base_url, timeout))

    @property
    def max_concurrency(self) -> int:
        """How many calls may be in flight at once."""
        return self._max_concurrency

    def __repr__(self) -> str:
        return f"AsyncCroissantClient(base_url={self.base_url!r}, auth={self.auth!r})"

    async def __aenter__(self) -> AsyncCroissantClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def _perform(self, operation: Operation) -> Any:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_concurrency)
        steps = run(operation, self._retry, self._rng, redact=self.auth.redact)
        outcome: Any = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                    outcome = None
                else:
                    async with self._slots:
                        outcome = await self._send(step)
        except StopIteration as done:
            return done.value

    async def _send(self, call: Call) -> httpx.Response | ApiError:
        deadline = Deadline.start(self._timeout)
        try:  # the attempt is cancelled when its time is up, wherever it is waiting
            return await asyncio.wait_for(self._http.request(call.method, call.path, content=call.body, headers=call.headers), deadline.seconds)
        except asyncio.TimeoutError:
            return deadline.error(call.info)
        except httpx.TransportError as exc:
            return self._failed(exc, call, deadline)
        except ApiError as exc:  # raised by the auth flow, or while reading the answer
            return exc
