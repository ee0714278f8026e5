"""Serving a WSGI app on a real loopback socket, threaded, for the sandbox and the preview.

Hostile or broken clients meet the limits here, before any app code runs: a per-connection
timeout (a client that sends nothing, or half a request, is dropped), a cap on concurrent
connections (over it, an immediate 503 rather than a queue), a cap on the request line
(414) and on the declared body (413), and a Content-Length that must be one non-negative
number (400). Answers to HEAD carry the headers only.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
import threading
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import Any, Callable
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from ..errors import ConfigError
from .faults import DropConnection

DEFAULT_TIMEOUT = 10.0
"""Seconds a connection may stay silent (before or inside a request) before it is dropped."""
DEFAULT_MAX_CONNECTIONS = 512
"""Connections served at once (a thread each); past it, new ones get an immediate 503."""
MAX_REQUEST_BODY = 1024 * 1024
MAX_REQUEST_LINE = 65536
_LINGER_BYTES = 1024 * 1024
_BUSY_BODY = json.dumps({"message": "the server is busy: too many open connections; retry shortly"}).encode()
_BUSY_ANSWER = (
    b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY)
)
# clients that stall or vanish (or a deliberate drop): the connection closes without an answer
_HANG_UP = (DropConnection, TimeoutError, ConnectionError)


def exposure_warning(host: str) -> str | None:
    """The warning to print before serving on ``host``, or None for a loopback address."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    return (
        f"Warning: {host} is not a loopback address: anyone who can reach this machine on it can use "
        "this server (plain HTTP, no access control, meant for local development). "
        "Use --host 127.0.0.1 unless you mean to share it."
    )


class _Handler(WSGIRequestHandler):
    """Answers one request per connection, within the server's limits; can drop the connection."""

    server: ThreadedWSGIServer

    def setup(self) -> None:
        """Apply the server's per-connection timeout before anything is read."""
        self.timeout = self.server.connection_timeout
        super().setup()

    def get_environ(self) -> dict[str, Any]:
        """The WSGI environ, plus the raw request path as ``RAW_URI``."""
        environ = super().get_environ()
        environ["RAW_URI"] = self.path
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests only when the server is verbose."""
        if self.server.verbose:
            super().log_message(format, *args)

    def handle(self) -> None:
        """Answer one request, or close the connection without an answer."""
        try:
            self._answer()
        except _HANG_UP:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _answer(self) -> None:
        self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
        if not self.raw_requestline:
            return  # closed before sending anything
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.requestline = self.request_version = self.command = ""
            self._refuse(HTTPStatus.REQUEST_URI_TOO_LONG, f"The request line is over {MAX_REQUEST_LINE} bytes.")
            return
        if not self.parse_request():
            return  # parse_request has answered (400, 431, 505...)
        problem = self._body_problem()
        if problem:
            self._refuse(*problem)
            return
        handler = _DroppingServerHandler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())

    def _body_problem(self) -> tuple[HTTPStatus, str] | None:
        """Why the declared body cannot be read, if it cannot (a bad or oversized length)."""
        declared = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if not declared:
            return None
        value = declared.pop()
        if declared or not (value.isascii() and value.isdigit()):
            # a negative or garbled length would have a reader wait for bytes that never come
            return HTTPStatus.BAD_REQUEST, "Content-Length must be one non-negative whole number."
        if int(value) > self.server.max_body:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"The request body is over the {self.server.max_body:,}-byte limit."
        return None

    def _refuse(self, status: HTTPStatus, explain: str) -> None:
        """Answer an error before reading the rest, then let the client read it."""
        self.close_connection = True
        self.send_error(status, explain=explain)
        self.wfile.flush()
        self._linger()

    def _linger(self) -> None:
        """Half-close, then discard what the client still sends (bounded), before closing.

        Closing a socket with unread input makes the kernel reset the connection, and a
        reset can destroy the answer before the client reads it.
        """
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(min(self.timeout or 1.0, 1.0))
            discarded = 0
            while discarded < _LINGER_BYTES:
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                discarded += len(chunk)
        except OSError:
            pass


class _DroppingServerHandler(ServerHandler):
    """Runs the app: lets hang-ups through instead of answering 500, and sends no body to HEAD."""

    def handle_error(self) -> None:
        """Let a deliberate drop or a stalled client through; answer 500 for anything else."""
        error = sys.exc_info()[1]
        if isinstance(error, _HANG_UP):
            raise error
        super().handle_error()

    def write(self, data: bytes) -> None:
        """Send ``data``; for HEAD, only the headers it would have come with (RFC 9110, 9.3.2)."""
        if self.environ.get("REQUEST_METHOD") != "HEAD":
            super().write(data)
        elif not self.headers_sent:
            self.bytes_sent = len(data)  # so a computed Content-Length is the GET one
            self.send_headers()

    def close(self) -> None:
        """Finish the request, logging it only when an answer was sent."""
        if self.status is None:  # dropped before any answer: nothing to log
            SimpleHandler.close(self)
        else:
            super().close()


class ThreadedWSGIServer(ThreadingMixIn, WSGIServer):
    """A WSGI server answering each connection in its own thread, up to ``max_connections``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    verbose = False
    connection_timeout: float | None = DEFAULT_TIMEOUT
    max_body = MAX_REQUEST_BODY

    def __init__(self, address: tuple[str, int], *, max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        super().__init__(address, _Handler)
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Answer in a new thread, or at once with 503 when every slot is taken."""
        if not self._slots.acquire(blocking=False):
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Handle the connection, then give its slot back."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _turn_away(self, request: socket.socket) -> None:
        # on the accepting thread, so nothing here may wait for the client
        try:
            request.setblocking(False)
            request.sendall(_BUSY_ANSWER)  # a fresh socket's buffer always takes these few bytes
            request.recv(65536)  # what the client sent already, lest the close reset the connection
        except OSError:
            pass
        self.shutdown_request(request)


class BackgroundServer:
    """Runs a WSGI app on ``host:port`` in a background thread (port 0 picks a free one)."""

    def __init__(
        self,
        app: Callable[..., Any],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        try:
            self.server = ThreadedWSGIServer((host, port), max_connections=max_connections)
        except (OSError, OverflowError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ConfigError([f"host/port: cannot listen on {host}:{port} ({reason}); choose another --host or --port"]) from exc
        self.server.verbose = verbose
        self.server.connection_timeout = timeout
        self.server.set_app(app)
        self._thread = threading.Thread(target=self.server.serve_forever, name="croissant-sandbox", daemon=True)

    @property
    def url(self) -> str:
        """The server's root URL."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start answering."""
        self._thread.start()

    def stop(self) -> None:
        """Stop answering (if started) and close the socket."""
        if self._thread.is_alive():
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()
