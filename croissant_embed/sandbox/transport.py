"""In-process access to the sandbox: an ``httpx`` transport with socket-like semantics."""

from __future__ import annotations

from typing import Any, Callable

import anyio.to_thread
import httpx

from .faults import DropConnection


class SandboxTransport(httpx.WSGITransport):
    """``httpx.WSGITransport`` that gives the app the raw path and turns drops into errors.

    WSGI's ``PATH_INFO`` is percent-decoded, which would merge ``a%2Fb`` with ``a/b``;
    the raw path goes along as ``RAW_URI`` as real servers do. A dropped connection in the
    app surfaces as ``httpx.RemoteProtocolError``, as it would over a socket.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        super().__init__(app=app)
        self._inner_app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the app for one request, with the raw path, mapping drops to transport errors."""
        raw = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        inner = self._inner_app

        def with_raw_uri(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            """The app, told the raw path as real servers tell it."""
            environ["RAW_URI"] = raw
            return inner(environ, start_response)

        try:
            return httpx.WSGITransport(app=with_raw_uri).handle_request(request)
        except DropConnection as exc:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request) from exc


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    """The same for the async client: the app runs in a worker thread."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self._sync = SandboxTransport(app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run the synchronous transport in a worker thread."""
        await request.aread()
        response = await anyio.to_thread.run_sync(self._sync.handle_request, request)
        content = response.read()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)
