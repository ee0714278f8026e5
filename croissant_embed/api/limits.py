"""What a server can make the client wait for and read: a deadline per attempt, a cap per answer.

httpx's ``timeout`` bounds each single read, so a server that trickles a byte every few
seconds holds a request forever, and it decodes gzip without bound, so a small answer can
expand to gigabytes. Here every answer is decoded and counted as it arrives (both clients
install :func:`guard_answer` or :func:`guard_answer_async` as a response hook), and a
:class:`Deadline` bounds each attempt: the async client cancels the attempt when it
passes; the sync client has its sockets wait no longer than the time left
(:func:`bound_sockets`) and checks it between the chunks of an answer.
"""

from __future__ import annotations

import ssl
import time
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterable, Iterator

import httpcore
import httpx

from ..errors import ApiError, NetworkError, RequestInfo

MAX_ANSWER_BYTES = 1 << 20
"""The most an API answer may hold once decoded: its answers are small JSON documents."""

ACCEPT_ENCODING = "gzip, deflate"
"""The content codings :class:`_Answer` decodes (httpx would also offer br and zstd)."""


@dataclass(frozen=True)
class Deadline:
    """The moment (``time.monotonic``) by which an attempt must have its complete answer."""

    seconds: float
    at: float

    @classmethod
    def start(cls, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now."""
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - time.monotonic()

    @property
    def message(self) -> str:
        """What an attempt that ran out of time failed with."""
        return f"no complete answer within {self.seconds:g} s"

    def error(self, request: RequestInfo | None) -> NetworkError:
        """The retryable error of an attempt that ran out of time."""
        return NetworkError(self.message, request=request)

    @contextmanager
    def applies(self) -> Iterator[None]:
        """Make this the deadline of the sync client's socket operations in this context."""
        token = _current.set(self)
        try:
            yield
        finally:
            _current.reset(token)


_current: ContextVar[Deadline | None] = ContextVar("croissant_deadline", default=None)


class _Answer:
    """Decodes an answer's bytes as they arrive; refuses to produce more than MAX_ANSWER_BYTES.

    gzip and deflate are inflated here with a bound on each step's output, so a bomb never
    expands in memory; the Content-Encoding header is then dropped so httpx does not decode
    a second time.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.info = RequestInfo(response.request.method, response.request.url.path)
        self._status = response.status_code
        self._size = 0
        codings = [c.strip().lower() for c in response.headers.get_list("content-encoding", split_commas=True)]
        codings = [c for c in codings if c not in ("", "identity")]
        if codings and (len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise ApiError(f"the answer came in an unsupported content encoding ({', '.join(codings)})",
                           request=self.info, status=self._status)
        self._inflate = zlib.decompressobj(32 + zlib.MAX_WBITS) if codings else None  # 32: a gzip or a zlib header
        if "content-encoding" in response.headers:
            del response.headers["content-encoding"]

    def feed(self, raw: bytes) -> bytes:
        """The decoded bytes of the next raw chunk."""
        if self._inflate is None:
            return self._count(raw)
        pieces = []
        try:
            while raw and not self._inflate.eof:
                pieces.append(self._count(self._inflate.decompress(raw, MAX_ANSWER_BYTES - self._size + 1)))
                raw = self._inflate.unconsumed_tail
        except zlib.error as exc:
            raise ApiError(f"the answer's compressed body is corrupt ({exc})", request=self.info, status=self._status) from exc
        return b"".join(pieces)

    def _count(self, data: bytes) -> bytes:
        self._size += len(data)
        if self._size > MAX_ANSWER_BYTES:
            raise ApiError(f"the answer was too large (over {MAX_ANSWER_BYTES >> 20} MiB decoded); stopped reading it",
                           request=self.info, status=self._status)
        return data


class _SyncAnswer(httpx.SyncByteStream):
    """An answer's body for the sync client: decoded, capped, and given up at the deadline."""

    def __init__(self, raw: httpx.SyncByteStream, answer: _Answer, deadline: Deadline | None) -> None:
        self._raw, self._answer, self._deadline = raw, answer, deadline

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._raw:
            if self._deadline is not None and self._deadline.remaining() <= 0:
                raise self._deadline.error(self._answer.info)
            yield self._answer.feed(chunk)

    def close(self) -> None:
        self._raw.close()


class _AsyncAnswer(httpx.AsyncByteStream):
    """An answer's body for the async client: decoded and capped (its deadline cancels it)."""

    def __init__(self, raw: httpx.AsyncByteStream, answer: _Answer) -> None:
        self._raw, self._answer = raw, answer

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._raw:
            yield self._answer.feed(chunk)

    async def aclose(self) -> None:
        await self._raw.aclose()


def guard_answer(response: httpx.Response) -> None:
    """Response hook of the sync client: read the answer decoded, capped and within the deadline."""
    assert isinstance(response.stream, httpx.SyncByteStream)
    response.stream = _SyncAnswer(response.stream, _Answer(response), _current.get())


async def guard_answer_async(response: httpx.Response) -> None:
    """Response hook of the async client: read the answer decoded and capped."""
    assert isinstance(response.stream, httpx.AsyncByteStream)
    response.stream = _AsyncAnswer(response.stream, _Answer(response))


def _time_left(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """``timeout`` shortened to what is left of the current deadline (if any)."""
    deadline = _current.get()
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise expired(deadline.message)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every wait ends at the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with :class:`_DeadlineStream` sockets."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_sockets(client: httpx.Client) -> None:
    """Make the sockets of ``client``'s own transports wait no longer than the current deadline.

    Without this, a server that sends its status line one byte a second keeps the sync
    client waiting as long as it likes: the deadline is only checked between chunks of a
    body. httpx offers no setting for httpcore's network backend, so it is swapped on the
    pools httpx built; a transport that is not httpcore's (the in-process sandbox) is left
    alone.
    """
    transports = [client._transport, *client._mounts.values()]  # noqa: SLF001 - see the docstring
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
