"""Clients for the configured environment: the embedded sandbox in-process, or a real URL."""

from __future__ import annotations

from typing import Any

from .api import AsyncCroissantClient, CroissantClient, RetryPolicy
from .errors import ConfigError
from .sandbox import AsyncSandboxTransport, SandboxApp, SandboxCredentials, SandboxStore, SandboxTransport
from .settings import Settings

EMBEDDED_URL = "http://croissant.embedded/v0"


def embedded_sandbox(settings: Settings, credentials: SandboxCredentials) -> SandboxApp:
    """The local sandbox whose database lives in the state folder."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    return SandboxApp(SandboxStore(str(settings.state_dir / "sandbox.sqlite3")), credentials=credentials)


def _credentials(settings: Settings) -> tuple[str, str]:
    if settings.client_id is None or settings.client_secret is None:
        raise ConfigError([f"credentials: {settings.api_base_url} needs CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET in the environment"])
    return settings.client_id, settings.client_secret.reveal()


def _target(settings: Settings, *, asynchronous: bool) -> tuple[str, dict[str, Any]]:
    """The base URL and credentials (and, for the embedded sandbox, the transport) to use."""
    if settings.uses_embedded_sandbox:
        credentials = SandboxCredentials.generate()
        app = embedded_sandbox(settings, credentials)
        transport = AsyncSandboxTransport(app) if asynchronous else SandboxTransport(app)
        return EMBEDDED_URL, {"client_id": credentials.client_id, "client_secret": credentials.client_secret, "transport": transport}
    client_id, secret = _credentials(settings)
    return settings.api_base_url, {"client_id": client_id, "client_secret": secret}


def async_client(settings: Settings) -> AsyncCroissantClient:
    """An async client for bulk sync, bounded by ``settings.concurrency``."""
    url, target = _target(settings, asynchronous=True)
    return AsyncCroissantClient(url, **target, timeout=settings.timeout, retry=RetryPolicy(attempts=settings.retries),
                                max_concurrency=settings.concurrency)


def sync_client(settings: Settings) -> CroissantClient:
    """A synchronous client for one-off calls (carts, check)."""
    url, target = _target(settings, asynchronous=False)
    return CroissantClient(url, **target, timeout=settings.timeout, retry=RetryPolicy(attempts=settings.retries))
