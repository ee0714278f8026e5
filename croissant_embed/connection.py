"""Clients for the configured environment: the embedded sandbox in-process, or a real URL."""

from __future__ import annotations

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


def _retry(settings: Settings) -> RetryPolicy:
    return RetryPolicy(attempts=settings.retries)


def async_client(settings: Settings) -> AsyncCroissantClient:
    """An async client for bulk sync, bounded by ``settings.concurrency``."""
    if settings.uses_embedded_sandbox:
        credentials = SandboxCredentials.generate()
        app = embedded_sandbox(settings, credentials)
        return AsyncCroissantClient(
            EMBEDDED_URL, client_id=credentials.client_id, client_secret=credentials.client_secret,
            transport=AsyncSandboxTransport(app), timeout=settings.timeout, retry=_retry(settings),
            max_concurrency=settings.concurrency,
        )
    client_id, secret = _credentials(settings)
    return AsyncCroissantClient(
        settings.api_base_url, client_id=client_id, client_secret=secret, timeout=settings.timeout,
        retry=_retry(settings), max_concurrency=settings.concurrency,
    )


def sync_client(settings: Settings) -> CroissantClient:
    """A synchronous client for one-off calls (carts, check)."""
    if settings.uses_embedded_sandbox:
        credentials = SandboxCredentials.generate()
        app = embedded_sandbox(settings, credentials)
        return CroissantClient(
            EMBEDDED_URL, client_id=credentials.client_id, client_secret=credentials.client_secret,
            transport=SandboxTransport(app), timeout=settings.timeout, retry=_retry(settings),
        )
    client_id, secret = _credentials(settings)
    return CroissantClient(settings.api_base_url, client_id=client_id, client_secret=secret, timeout=settings.timeout, retry=_retry(settings))
