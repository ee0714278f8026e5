"""Client factory: API clients for the configured target, the embedded sandbox or a real URL."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from .api import AsyncCroissantClient, CroissantClient, RetryPolicy
from .settings import Settings

EMBEDDED_URL = "http://croissant.embedded/v0"


@dataclass(frozen=True)
class _Target:
    """Where a client sends its calls, as whom, and through which transport (None: the network)."""

    url: str
    client_id: str
    client_secret: str = ""
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None

    def __repr__(self) -> str:
        return f"_Target(url={self.url!r}, client_id={self.client_id!r})"


def _target(settings: Settings, *, asynchronous: bool) -> _Target:
    """The target of the settings: the embedded sandbox in-process, or the API URL with the credentials."""
    if settings.uses_embedded_sandbox:
        # imported here: a sync to a real API never needs the sandbox (some 6 MB of a large sync's memory)
        from .sandbox import AsyncSandboxTransport, SandboxTransport, embedded_sandbox

        app = embedded_sandbox(settings.state_dir)
        transport = AsyncSandboxTransport(app) if asynchronous else SandboxTransport(app)
        return _Target(EMBEDDED_URL, app.credentials.client_id, app.credentials.client_secret, transport)
    assert settings.client_id is not None and settings.client_secret is not None  # checked when the settings were loaded
    return _Target(settings.api_base_url, settings.client_id, settings.client_secret.reveal())


def async_client(settings: Settings) -> AsyncCroissantClient:
    """An async client for bulk sync, bounded by ``settings.concurrency``."""
    target = _target(settings, asynchronous=True)
    return AsyncCroissantClient(target.url, client_id=target.client_id, client_secret=target.client_secret, transport=target.transport,  # type: ignore[arg-type]
                                timeout=settings.timeout, retry=RetryPolicy(attempts=settings.retries), max_concurrency=settings.concurrency)


def sync_client(settings: Settings) -> CroissantClient:
    """A synchronous client for one-off calls (carts, check)."""
    target = _target(settings, asynchronous=False)
    return CroissantClient(target.url, client_id=target.client_id, client_secret=target.client_secret, transport=target.transport,  # type: ignore[arg-type]
                           timeout=settings.timeout, retry=RetryPolicy(attempts=settings.retries))
