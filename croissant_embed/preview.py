"""Preview: build the site for the local environment into its own folder, then serve it.

One origin on 127.0.0.1 serves the built pages, the embedded sandbox's API and the
stand-in component bundle (``/v0/...``, ``/components/dist.js``), and the store's own
checkout handler (``/checkout``) when the configuration names one, so the whole flow
(component, opt-in, order, cart) works offline. The source site is never modified. The
build's HTML report is at ``/_croissant/``; its links open pages with ``?croissant-highlight``,
which outlines the component on them.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from .api import CroissantClient
from .build import BuildOptions, BuildResult, run_build
from .errors import ConfigError, CroissantError
from .orders import Order, cart_payload, store_namespace
from .report_html import HIGHLIGHT_QUERY, ReportData, highlight_snippet, preview_links, render_report_html
from .sandbox import BackgroundServer, SandboxApp, SandboxTransport, embedded_sandbox
from .settings import Settings
from .sitefiles import static_file
from .watch import changes, watcher_name

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
CHECKOUT_PATH = "/checkout"
REPORT_PATH = "/_croissant/"
"""Where the preview serves the HTML report of its build."""
VERSION_PATH = "/_croissant/version"
"""How many times the preview has built the site (``preview --watch`` pages poll it to reload)."""


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
        self.report: bytes | None = None
        self.highlight = b""
        self.live_reload = b""
        """Spliced into every page when the preview watches the site: reloads it after a rebuild."""
        self.version = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if self.sandbox is not None and (path.startswith("/v0/") or path.startswith("/components/")):
            return self.sandbox(environ, start_response)
        if self.checkout is not None and (path == CHECKOUT_PATH or path.startswith(CHECKOUT_PATH + "/")):
            return self.checkout(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"The pages answer GET and HEAD only.", [("Allow", "GET, HEAD")])
        if path == VERSION_PATH:
            return _page(start_response, json.dumps({"version": self.version}).encode("ascii"), "application/json")
        if self.report is not None and path == REPORT_PATH:
            return _page(start_response, self.report, "text/html; charset=utf-8")
        if self.report is not None and path == REPORT_PATH.rstrip("/"):
            return _redirect(start_response, REPORT_PATH)
        found = static_file(self.root, environ.get("RAW_URI") or path) if self.root else None
        if found is None:
            return _plain(start_response, "404 Not Found", b"Not found")
        if found.redirect:
            return _redirect(start_response, found.redirect)
        content = found.content
        if found.content_type.startswith("text/html") and HIGHLIGHT_QUERY in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True):
            content = with_snippet(content, self.highlight)
        if found.content_type.startswith("text/html") and self.live_reload:
            content = with_snippet(content, self.live_reload)
        return _page(start_response, content, found.content_type)


def _page(start_response: Callable[..., Any], content: bytes, content_type: str) -> list[bytes]:
    start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(content))), ("Cache-Control", "no-store")])
    return [content]


def _redirect(start_response: Callable[..., Any], location: str) -> list[bytes]:
    start_response("301 Moved Permanently", [("Location", location), ("Content-Length", "0")])
    return [b""]


def with_snippet(page: bytes, snippet: bytes) -> bytes:
    """The page with ``snippet`` (the outline of the component, the live reload) spliced in before its last ``</body>``, else at its end."""
    end = page.lower().rfind(b"</body")
    return page + snippet if end < 0 else page[:end] + snippet + page[end:]


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
        self.options = BuildOptions(out_dir=self.out_dir, sync_mode="always")
        self.result = run_build(self.settings, self.options)
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
        self._show(self.result)
        self.app.highlight = highlight_snippet(self.settings).encode("utf-8")
        self._watching: threading.Thread | None = None
        self._stop = threading.Event()

    def _show(self, result: BuildResult) -> None:
        """Serve what ``result`` built: its report and the prices the checkout may trust."""
        self.result = result
        prices = Catalogue.from_build(result).prices
        self.catalogue.prices.clear()
        self.catalogue.prices.update(prices)  # the checkout handler holds this very dict
        # in memory: the report never lands in the built site, and its links are the preview's own pages
        self.app.report = render_report_html(self.settings, ReportData.of_build(result), page_url=preview_links).encode("utf-8")
        self.app.version += 1

    def rebuild(self) -> BuildResult:
        """Build the site again and serve it; open watched pages reload.

        The cache makes it incremental: only changed pages are analysed, and only changed
        products are sent to the sandbox. The build goes into the other of two folders, so a
        build that fails midway leaves the pages served untouched.
        """
        first = self.options.out_dir
        assert first is not None
        target = first.with_name(first.name + "-next") if self.app.root == first else first
        result = run_build(self.settings, replace(self.options, out_dir=target))
        self.app.root = target
        self._show(result)
        return result

    def watch(self, on_rebuild: Callable[[set[Path], BuildResult | None, str | None], None] | None = None, *,
              poll: bool = False) -> str:
        """Rebuild whenever files in the site folder change, in a background thread; open pages reload.

        ``on_rebuild(changed, result, error)`` hears of each rebuild (``error`` when it failed: the
        preview goes on serving the previous build). Returns the watcher used.
        """
        assert self.settings.site_dir is not None
        site = self.settings.site_dir
        self.app.live_reload = self._render_snippet("live-reload.html", version_url=VERSION_PATH).encode("utf-8")

        def loop() -> None:
            for changed in changes(site, self._stop, poll=poll):
                try:
                    result, error = self.rebuild(), None
                except CroissantError as exc:  # the site is mid-write, or broken: say so, keep serving
                    result, error = None, str(exc)
                if on_rebuild is not None:
                    on_rebuild(changed, result, error)

        self._watching = threading.Thread(target=loop, name="croissant-preview-watch", daemon=True)
        self._watching.start()
        return watcher_name(poll=poll)

    def _render_snippet(self, name: str, **context: Any) -> str:
        from .render import Renderer

        return Renderer(self.settings).render(name, **context)

    def __enter__(self) -> Preview:
        self.server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop watching and serving, and release the database."""
        self._stop.set()
        if self._watching is not None:
            self._watching.join(timeout=10)
        self.server.stop()
        self.client.close()
        self.store.close()
