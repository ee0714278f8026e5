"""Preview: build the site for the local environment into its own folder, then serve it.

One origin on 127.0.0.1 serves the built pages, the embedded sandbox's API and the
stand-in component bundle (``/v0/...``, ``/components/dist.js``), and the store's own
checkout handler (``/checkout``) when the configuration names one, so the whole flow
(component, opt-in, order, cart) works offline. The source site is never modified.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from .api import CroissantClient
from .build import BuildOptions, BuildResult, run_build
from .errors import ConfigError
from .orders import Order, cart_payload, store_namespace
from .sandbox import BackgroundServer, SandboxApp, SandboxTransport, embedded_sandbox
from .settings import Settings
from .sitefiles import static_file

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
CHECKOUT_PATH = "/checkout"


@dataclass
class Catalogue:
    """Prices the checkout may trust: what the build extracted, by product id."""

    prices: dict[str, tuple[int, str, str]]

    @classmethod
    def from_build(cls, result: BuildResult) -> Catalogue:
        """Every synced or unchanged product of a build (id -> price, currency, name)."""
        prices = {}
        for entry in result.products:
            if entry.payload_json is not None:
                body = json.loads(entry.payload_json)
                prices[entry.id] = (int(body.get("retailPrice", 0)), str(body.get("retailCurrency", "")), str(body.get("name", "")))
        return cls(prices)


def _plain(start_response: Callable[..., Any], status: str, body: bytes, headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    """A short plain-text answer."""
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))), *(headers or [])])
    return [body]


class PreviewApp:
    """Routes one origin to the sandbox, the checkout handler or the built files."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.sandbox: SandboxApp | None = None
        self.checkout: WSGIApp | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if self.sandbox is not None and (path.startswith("/v0/") or path.startswith("/components/")):
            return self.sandbox(environ, start_response)
        if self.checkout is not None and (path == CHECKOUT_PATH or path.startswith(CHECKOUT_PATH + "/")):
            return self.checkout(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"The pages answer GET and HEAD only.", [("Allow", "GET, HEAD")])
        found = static_file(self.root, environ.get("RAW_URI") or path) if self.root else None
        if found is None:
            return _plain(start_response, "404 Not Found", b"Not found")
        if found.redirect:
            start_response("301 Moved Permanently", [("Location", found.redirect), ("Content-Length", "0")])
            return [b""]
        headers = [("Content-Type", found.content_type), ("Content-Length", str(len(found.content))), ("Cache-Control", "no-store")]
        start_response("200 OK", headers)
        return [found.content]


def load_checkout_app(settings: Settings, catalogue: Catalogue, create_cart: Callable[[Order], dict[str, Any]]) -> WSGIApp | None:
    """The store's checkout handler: ``make_app(catalogue, create_cart)`` of ``checkout_app``."""
    path = settings.checkout_app
    if path is None:
        default = settings.root / "checkout_app.py"
        path = default if default.is_file() else None
    if path is None:
        return None
    spec = importlib.util.spec_from_file_location("croissant_checkout_app", path)
    if spec is None or spec.loader is None:
        raise ConfigError([f"checkout_app: {path} cannot be imported"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "make_app"):
        raise ConfigError([f"checkout_app: {path} has no make_app(catalogue, create_cart)"])
    return module.make_app(catalogue.prices, create_cart)


class Preview:
    """A built and served preview; ``url`` is where to point a browser."""

    def __init__(self, settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, out_dir: Path | None = None) -> None:
        self.app = PreviewApp()
        self.server = BackgroundServer(self.app, host=host, port=port)
        self.url = self.server.url
        try:
            self._prepare(settings, out_dir)
        except BaseException:
            self.server.stop()  # the port is bound before the build, whose URLs depend on it
            raise

    def _prepare(self, settings: Settings, out_dir: Path | None) -> None:
        self.settings = replace(settings, environment="local", api_url=None, local_url=self.url + "/v0")
        self.out_dir = out_dir or self.settings.state_dir / "preview"
        # always: a preview syncs only its own embedded sandbox, even inside a pull-request build
        options = BuildOptions(out_dir=self.out_dir, sync_mode="always")
        self.result = run_build(self.settings, options)
        self.sandbox: SandboxApp = embedded_sandbox(self.settings.state_dir)
        self.store = self.sandbox.store
        credentials = self.sandbox.credentials
        self.client = CroissantClient(
            self.url + "/v0", client_id=credentials.client_id, client_secret=credentials.client_secret,
            transport=SandboxTransport(self.sandbox),
        )
        namespace = store_namespace(self.settings.merchant_id, self.settings.cart_namespace)
        self.catalogue = Catalogue.from_build(self.result)
        self.app.root = self.out_dir
        self.app.sandbox = self.sandbox
        self.app.checkout = load_checkout_app(self.settings, self.catalogue, lambda order: self.client.create_cart(cart_payload(order, namespace)))

    def __enter__(self) -> Preview:
        self.server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and release the database."""
        self.server.stop()
        self.client.close()
        self.store.close()
