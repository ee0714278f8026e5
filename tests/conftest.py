"""Shared fixtures and helpers: the sandbox (in-process or over loopback) and the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from click.testing import CliRunner, Result

from croissant_embed.api import AsyncCroissantClient, CroissantClient, RetryPolicy
from croissant_embed.cli import main
from croissant_embed.sandbox import (
    AsyncSandboxTransport,
    BackgroundServer,
    FaultConfig,
    SandboxApp,
    SandboxCredentials,
    SandboxStore,
    SandboxTransport,
)
from croissant_embed.state import SyncState

SECRET = "sbx_SECRET-canary-7f3a9c"
CREDENTIALS = SandboxCredentials("test-client", SECRET)
FAST_RETRY = RetryPolicy(attempts=6, backoff_base=0.001, backoff_cap=0.01, retry_after_cap=0.01)
IN_PROCESS_URL = "http://croissant.test/v0"
CLEAN_CI = {"GITHUB_ACTIONS": "", "GITHUB_EVENT_NAME": "", "NETLIFY": "", "CONTEXT": "", "GITLAB_CI": "", "CI_MERGE_REQUEST_IID": ""}
"""The CI variables blanked for every CLI run, so a test behaves the same inside a pull-request build."""


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


def invoke(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, catch_exceptions: bool = True) -> Result:
    """``croissant-embed ARGS`` through click's CliRunner, outside any CI, run from ``cwd`` if given."""
    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), env={**CLEAN_CI, **(env or {})}, catch_exceptions=catch_exceptions)
    finally:
        os.chdir(previous)


def env_for(url: str, *, secret: str = SECRET, **extra: str) -> dict[str, str]:
    """The environment that points a build at the sandbox served at ``url`` with the test credentials."""
    return {"CROISSANT_API_URL": url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id, "CROISSANT_CLIENT_SECRET": secret, **extra}


def _embedded_db(config: Path) -> Path:
    return config.parent / ".croissant" / "sandbox.sqlite3"


def sandbox_of(config: Path) -> SandboxStore:
    """The embedded sandbox a local build with ``config`` syncs to."""
    return SandboxStore(str(_embedded_db(config)))


def puts(config: Path) -> int:
    """How many PUTs the embedded sandbox of ``config`` answered (0 before its first sync)."""
    return sandbox_of(config).request_count("PUT") if _embedded_db(config).exists() else 0


def spawn_build(site: Path, config: Path, env: dict[str, str]) -> subprocess.Popen:
    """``croissant-embed build`` in a child process of its own group, so that a test can kill it."""
    return subprocess.Popen(
        [sys.executable, "-m", "croissant_embed", "build", str(site), "--config", str(config), "--quiet"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll ``condition`` until it holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.005)


def leave_unconfirmed(state_dir: Path, product_id: str) -> None:
    """Append the journal line a run killed between sending ``product_id`` and hearing back leaves."""
    target = next(iter(json.loads((state_dir / "state.json").read_text(encoding="utf-8"))["targets"]))
    line = {"target": target, "started": product_id, "hash": SyncState(state_dir, target).confirmed[product_id]}
    with open(state_dir / "state.journal", "a", encoding="utf-8") as journal:
        journal.write(json.dumps(line) + "\n")
