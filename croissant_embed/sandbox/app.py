"""The embedded Croissant sandbox as a WSGI application (standard library only)."""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, quote, unquote

from .faults import DropConnection, FaultConfig, FaultInjector
from .pricing import buyback
from .server import MAX_REQUEST_BODY
from .store import SandboxStore
from .validation import cart_problems, product_problems

StartResponse = Callable[..., Any]
API_PREFIX = "v0"
STANDIN_BUNDLE_PATH = "/components/dist.js"


def standin_bundle() -> bytes:
    """The local stand-in for Croissant's component bundle (see static/dist.js)."""
    return (Path(__file__).with_name("static") / "dist.js").read_bytes()


_CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type"),
]


@dataclass(frozen=True)
class SandboxCredentials:
    """The client id and secret the sandbox accepts."""

    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"SandboxCredentials(client_id={self.client_id!r}, client_secret='***')"

    @classmethod
    def generate(cls) -> SandboxCredentials:
        """A fresh random pair."""
        return cls("local-" + secrets.token_hex(4), "sbx_" + secrets.token_urlsafe(24))


class _Reply(Exception):
    """Raised inside a handler to answer at once."""

    def __init__(self, status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or []


def _error(status: int, message: str, **extra: Any) -> _Reply:
    return _Reply(status, {"message": message, **extra})


def _send(start_response: StartResponse, reply: _Reply) -> list[bytes]:
    """Answer ``reply`` as JSON."""
    body = b"" if reply.body is None else json.dumps(reply.body, ensure_ascii=False).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *reply.headers]
    start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
    return [body]


def _storage_failure(exc: sqlite3.Error) -> _Reply:
    """507 when the database is full, 503 when it fails otherwise (read-only, locked, I/O)."""
    full = getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "database or disk is full" in str(exc)
    return _error(507 if full else 503, f"the sandbox database is full / cannot be written: {exc}")


def _allowed_methods(route: list[str]) -> tuple[str, ...]:
    """The methods an API route answers (none for an unknown route)."""
    if route in (["token"], ["carts"]) or (route[:1] == ["carts"] and len(route) == 3 and route[2] in ("fulfill", "cancel")):
        return ("POST",)
    if route == ["prices"]:
        return ("GET", "OPTIONS")
    if route[:1] == ["products"] and len(route) == 2:
        return ("GET", "PUT")
    if route[:1] == ["carts"] and len(route) == 2:
        return ("GET",)
    return ()


def raw_path(environ: dict[str, Any]) -> str:
    """The request path still percent-encoded, so ``%2F`` inside an id stays one segment."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw.split("?", 1)[0]
    return quote(environ.get("PATH_INFO", ""), safe="/")


class SandboxApp:
    """A local Croissant: token, products, carts and prices, with optional faults."""

    def __init__(
        self,
        store: SandboxStore | None = None,
        *,
        credentials: SandboxCredentials | None = None,
        faults: FaultConfig = FaultConfig(),
        token_lifetime: int = 3600,
        clock: Callable[[], float] = time.monotonic,
        static: dict[str, tuple[str, bytes]] | None = None,
    ) -> None:
        self.store = store or SandboxStore()
        self.credentials = credentials or SandboxCredentials.generate()
        self.faults = FaultInjector(faults)
        self.token_lifetime = token_lifetime
        self._clock = clock
        self._tokens: dict[str, float] = {}
        self._tokens_lock = threading.Lock()
        self.static = {STANDIN_BUNDLE_PATH: ("text/javascript; charset=utf-8", standin_bundle()), **(static or {})}

    def __repr__(self) -> str:
        return f"SandboxApp(store={self.store.path!r}, credentials={self.credentials!r})"

    def revoke_tokens(self) -> None:
        """Invalidate every token issued so far (clients must ask for a new one)."""
        with self._tokens_lock:
            self._tokens.clear()

    # -- WSGI entry point ----------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = raw_path(environ)
        segments = [unquote(part) for part in path.strip("/").split("/")]
        if path in self.static:
            return self._static(method, path, start_response)
        is_api = segments[:1] == [API_PREFIX] and segments[1:2] != ["prices"]
        fault = self.faults.draw(method, path) if is_api else "none"
        if is_api and self.faults.config.latency:
            time.sleep(self.faults.config.latency)
        if fault == "drop_request":
            self.store.log_request(method, path, 0)
            raise DropConnection(f"{method} {path} dropped before processing")
        if fault == "slow":
            time.sleep(self.faults.config.slow_seconds)
        try:
            if fault in ("429", "500", "503"):
                retry = [("Retry-After", str(self.faults.config.retry_after))]
                raise _Reply(int(fault), {"message": f"injected fault {fault}"}, retry if fault != "500" else [])
            try:
                self._dispatch(environ, method, segments)
            except sqlite3.Error as exc:
                raise _storage_failure(exc) from None
            raise _error(404, f"no route for {method} {path}")
        except _Reply as reply:
            if fault == "drop_response":
                self.store.log_request(method, path, 499)
                raise DropConnection(f"{method} {path} processed, answer dropped") from None
            self.store.log_request(method, path, reply.status)
            return _send(start_response, reply)

    def _static(self, method: str, path: str, start_response: StartResponse) -> Iterable[bytes]:
        if method not in ("GET", "HEAD"):
            return _send(start_response, _Reply(405, {"message": f"{path} answers GET and HEAD"}, [("Allow", "GET, HEAD")]))
        content_type, content = self.static[path]
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(content))), *_CORS])
        return [content]

    # -- routing -------------------------------------------------------------------------
    def _dispatch(self, environ: dict[str, Any], method: str, segments: list[str]) -> None:
        """Answer an API route by raising its reply; return for an unknown route (404)."""
        route = segments[1:]
        allowed = _allowed_methods(route) if segments[:1] == [API_PREFIX] else ()
        if not allowed:
            return
        if method not in allowed:
            raise _Reply(405, {"message": f"{method} is not answered here; use {' or '.join(allowed)}"}, [("Allow", ", ".join(allowed))])
        if route == ["token"]:
            self._token(self._json(environ))
        if route == ["prices"]:
            self._prices(method, environ)
        self._authenticate(environ)
        if route[0] == "products":
            self._product(method, route[1], environ)
        if route == ["carts"]:
            self._create_cart(self._json(environ))
        if len(route) == 2:
            raise _Reply(200, {"data": self._cart_view(self._cart(route[1]))})
        self._transition(route[1], route[2])

    @staticmethod
    def _json(environ: dict[str, Any]) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:  # read(-1) would wait for the client to close
            raise _error(400, "Content-Length must be a non-negative whole number")
        if length > MAX_REQUEST_BODY:
            raise _error(413, f"the body is over the {MAX_REQUEST_BODY:,}-byte limit")
        try:
            return json.loads(environ["wsgi.input"].read(length) or b"null")
        except (ValueError, UnicodeDecodeError):
            raise _error(400, "the body must be JSON") from None
        except RecursionError:
            raise _error(400, "the body must be JSON nested less deeply") from None

    # -- token ---------------------------------------------------------------------------
    def _token(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("clientId"), str) or not isinstance(body.get("clientSecret"), str):
            raise _error(400, 'the body must be JSON {"clientId": "...", "clientSecret": "..."}')
        id_ok = secrets.compare_digest(body["clientId"].encode(), self.credentials.client_id.encode())
        secret_ok = secrets.compare_digest(body["clientSecret"].encode(), self.credentials.client_secret.encode())
        if not (id_ok and secret_ok):
            raise _error(401, "invalid client credentials")
        token = "sbx_tok_" + secrets.token_urlsafe(24)
        ttl = self.faults.config.token_ttl
        lifetime = self.token_lifetime if ttl is None else min(ttl, self.token_lifetime)
        with self._tokens_lock:
            self._tokens[token] = self._clock() + lifetime
        raise _Reply(200, {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"})

    def _authenticate(self, environ: dict[str, Any]) -> None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            raise _error(401, "missing bearer token")
        with self._tokens_lock:
            expires = self._tokens.get(header[7:])
        if expires is None or expires <= self._clock():
            raise _error(401, "invalid or expired token")

    # -- products ------------------------------------------------------------------------
    def _product(self, method: str, product_id: str, environ: dict[str, Any]) -> None:
        if method == "GET":
            stored = self.store.get_product(product_id)
            if stored is None:
                raise _error(404, f"unknown product {product_id!r}")
            raise _Reply(200, {"data": {"id": product_id, **stored}})
        body = self._json(environ)
        problems = product_problems(body)
        if problems:
            raise _error(422, f"invalid product {product_id!r}: " + "; ".join(problems), errors=problems)
        created = self.store.put_product(product_id, body)
        raise _Reply(201 if created else 200, {"data": {"id": product_id, **body}})

    def _prices(self, method: str, environ: dict[str, Any]) -> None:
        if method == "OPTIONS":
            raise _Reply(204, None, _CORS)
        query = parse_qs(environ.get("QUERY_STRING", ""))
        product_id = (query.get("productId") or query.get("product_id") or [""])[0]
        try:
            quantity = int((query.get("quantity") or ["1"])[0])
        except ValueError:
            quantity = 0
        if not product_id or quantity < 1:
            raise _Reply(400, {"message": "productId and a positive quantity are required"}, _CORS)
        stored = self.store.get_product(product_id)
        offer = buyback(stored, quantity) if stored else None
        data = {"productId": product_id, "eligible": offer is not None, **(offer or {})}
        raise _Reply(200, {"data": data}, _CORS)

    # -- carts ---------------------------------------------------------------------------
    def _create_cart(self, body: Any) -> None:
        problems = cart_problems(body)
        if problems:
            raise _error(422, "invalid cart: " + "; ".join(problems), errors=problems)
        stored, created = self.store.create_cart(body)
        if not created:
            same = {k: v for k, v in stored.items() if k != "state"} == body
            if not same:
                raise _error(409, f"cart {body['id']!r} already exists with different content")
        raise _Reply(201 if created else 200, {"data": self._cart_view(stored)})

    def _cart(self, cart_id: str) -> dict[str, Any]:
        cart = self.store.get_cart(cart_id)
        if cart is None:
            raise _error(404, f"unknown cart {cart_id!r}")
        return cart

    def _transition(self, cart_id: str, action: str) -> None:
        target = "fulfilled" if action == "fulfill" else "cancelled"
        cart, moved = self.store.move_cart(cart_id, target)
        if cart is None:
            raise _error(404, f"unknown cart {cart_id!r}")
        if not moved:
            raise _error(409, f"cart {cart_id!r} is {cart['state']}; a {cart['state']} cart cannot be {target}")
        raise _Reply(200, {"data": self._cart_view(cart)})

    def _cart_view(self, cart: dict[str, Any]) -> dict[str, Any]:
        lines = []
        for line in cart["products"]:
            product = self.store.get_product(line["retailerProductId"])
            offer = buyback(product, line["quantity"]) if product else None
            value = None
            if offer is not None:
                value = {"value": offer["cash"]["resalePrice"], "timespan": offer["timespan"], "currency": offer["currency"], "payoutType": "cash"}
            lines.append({**line, "buyback": value})
        return {**cart, "products": lines}
