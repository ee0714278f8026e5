"""Shared fixtures: the embedded sandbox, reached in-process or over a loopback socket."""

from __future__ import annotations

from typing import Callable, Iterator

import pytest

from croissant_embed.api import AsyncCroissantClient, CroissantClient, RetryPolicy
from croissant_embed.sandbox import (
    AsyncSandboxTransport,
    BackgroundServer,
    FaultConfig,
    SandboxApp,
    SandboxCredentials,
    SandboxTransport,
)

SECRET = "sbx_SECRET-canary-7f3a9c"
CREDENTIALS = SandboxCredentials("test-client", SECRET)
FAST_RETRY = RetryPolicy(attempts=6, backoff_base=0.001, backoff_cap=0.01, retry_after_cap=0.01)
IN_PROCESS_URL = "http://croissant.test/v0"


@pytest.fixture
def make_app() -> Callable[..., SandboxApp]:
    """Build a sandbox app with the test credentials."""

    def build(faults: FaultConfig = FaultConfig(), **options) -> SandboxApp:
        return SandboxApp(credentials=CREDENTIALS, faults=faults, **options)

    return build


@pytest.fixture
def app(make_app) -> SandboxApp:
    """A fault-free in-memory sandbox."""
    return make_app()


class Reach:
    """How a test reaches a sandbox app: in-process or over a real socket."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._servers: list[BackgroundServer] = []

    def base_url(self, app: SandboxApp) -> str:
        if self.mode == "wsgi":
            return IN_PROCESS_URL
        server = BackgroundServer(app)
        server.start()
        self._servers.append(server)
        return server.url + "/v0"

    def client(self, app: SandboxApp, *, secret: str = SECRET, timeout: float = 5.0, retry: RetryPolicy = FAST_RETRY) -> CroissantClient:
        transport = SandboxTransport(app) if self.mode == "wsgi" else None
        return CroissantClient(self.base_url(app), client_id=CREDENTIALS.client_id, client_secret=secret, transport=transport, timeout=timeout, retry=retry)

    def async_client(self, app: SandboxApp, *, timeout: float = 5.0, concurrency: int = 8) -> AsyncCroissantClient:
        transport = AsyncSandboxTransport(app) if self.mode == "wsgi" else None
        return AsyncCroissantClient(
            self.base_url(app), client_id=CREDENTIALS.client_id, client_secret=SECRET, transport=transport,
            timeout=timeout, retry=FAST_RETRY, max_concurrency=concurrency,
        )

    def close(self) -> None:
        for server in self._servers:
            server.stop()


@pytest.fixture(params=["wsgi", "socket"])
def reach(request) -> Iterator[Reach]:
    """Each test using this runs twice: through httpx.WSGITransport and over loopback."""
    reach = Reach(request.param)
    yield reach
    reach.close()


def product(name: str = "Linen shirt", price: int = 8900, **extra) -> dict:
    """A valid product payload."""
    return {"name": name, "retailPrice": price, "retailCurrency": "USD", "url": "https://shop.example/p/1", **extra}


def cart(cart_id: str = "0b6f1c1e-1111-4c5e-9b1a-000000000001", opted_in: bool = True, **extra) -> dict:
    """A valid cart payload."""
    return {
        "id": cart_id,
        "confirmationNumber": "A-1001",
        "isOptedIn": opted_in,
        "retailerCreatedAt": "2026-11-27T10:00:00Z",
        "source": "web",
        "email": "shopper@example.com",
        "products": [{"retailerProductId": "shirt-1", "quantity": 1, "retailSalePrice": 8900, "retailSaleCurrency": "USD"}],
        **extra,
    }
