"""Serving a WSGI app on a real loopback socket, threaded, for the sandbox and the preview."""

from __future__ import annotations

import socket
import sys
import threading
from socketserver import ThreadingMixIn
from typing import Any, Callable
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from .faults import DropConnection


class _Handler(WSGIRequestHandler):
    """Request handler that passes the raw path on and can drop the connection."""

    def get_environ(self) -> dict[str, Any]:
        """The WSGI environ, plus the raw request path as ``RAW_URI``."""
        environ = super().get_environ()
        environ["RAW_URI"] = self.path
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests only when the server is verbose."""
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def handle(self) -> None:
        """Answer one request, or close the connection without an answer on DropConnection."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536 or not self.parse_request():
            return
        handler = _DroppingServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True
        )
        handler.request_handler = self
        try:
            handler.run(self.server.get_app())
        except DropConnection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _DroppingServerHandler(ServerHandler):
    """Lets :class:`DropConnection` through instead of answering 500."""

    def handle_error(self) -> None:
        """Let a deliberate drop through; answer 500 for anything else."""
        if isinstance(sys.exc_info()[1], DropConnection):
            raise sys.exc_info()[1]
        super().handle_error()

    def close(self) -> None:
        """Finish the request, logging it only when an answer was sent."""
        if self.status is None:  # dropped before any answer: nothing to log
            SimpleHandler.close(self)
        else:
            super().close()


class ThreadedWSGIServer(ThreadingMixIn, WSGIServer):
    """A WSGI server answering each connection in its own thread."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    verbose = False


class BackgroundServer:
    """Runs a WSGI app on ``host:port`` in a background thread (port 0 picks a free one)."""

    def __init__(self, app: Callable[..., Any], *, host: str = "127.0.0.1", port: int = 0, verbose: bool = False) -> None:
        self.server = ThreadedWSGIServer((host, port), _Handler)
        self.server.verbose = verbose
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
