"""The API client against hostile servers: trickles, bombs, bad tokens, echoed secrets (issue 10).

Each server here is a real loopback socket whose answers a test writes byte by byte. Every
answer ends by itself (the longest within about five seconds), and leaving a ``Hostile``
block waits for all of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socketserver
import threading
import time
import tracemalloc
import zlib
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterable, Iterator

import pytest
from click.testing import CliRunner

from croissant_embed.api import AsyncCroissantClient, CroissantClient, RetryPolicy
from croissant_embed.cli import main
from croissant_embed.errors import ApiError, AuthError, NetworkError

from .conftest import FAST_RETRY, SECRET, product
from .sites import make_store

ONCE = RetryPolicy(attempts=1)
TRICKLE_FOR = 5.0


@dataclass(frozen=True)
class Seen:
    """One request as the hostile server read it."""

    method: str
    path: str
    raw: bytes
    headers: dict[str, str]
    body: str

    @property
    def token(self) -> str:
        """The bearer token the request carried ('' when none)."""
        return self.headers.get("authorization", "").removeprefix("Bearer ")


Behaviour = Callable[[Seen, BinaryIO], None]


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline(65536)
            if not line:
                return
            head += line
        request_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, value in (line.split(":", 1) for line in lines if ":" in line)}
        body = self.rfile.read(int(headers.get("content-length", "0")))
        method, path, _ = request_line.split(" ", 2)
        seen = Seen(method, path, head + body, headers, body.decode("utf-8", "replace"))
        self.server.seen.append(seen)  # type: ignore[attr-defined]
        try:
            self.server.behaviour(seen, self.wfile)  # type: ignore[attr-defined]
        except OSError:  # the client hung up: this answer ends here
            self.server.hang_ups += 1  # type: ignore[attr-defined]


class Hostile(socketserver.ThreadingTCPServer):
    """A loopback HTTP/1.1 server whose every answer is written by ``behaviour``."""

    daemon_threads = False
    block_on_close = True  # closing waits for every answer to end by itself

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour
        self.seen: list[Seen] = []
        self.hang_ups = 0  # answers the client stopped reading before they ended
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        """The API base URL."""
        return f"http://127.0.0.1:{self.server_address[1]}/v0"

    def count(self, suffix: str) -> int:
        """How many requests reached a path ending with ``suffix``."""
        return sum(seen.path.endswith(suffix) for seen in self.seen)

    def __enter__(self) -> Hostile:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join()


def answer(status: str, body: bytes = b"", **headers: str) -> bytes:
    """A complete HTTP/1.1 answer that closes the connection."""
    fields = {"Content-Length": str(len(body)), "Connection": "close", **{k.replace("_", "-"): v for k, v in headers.items()}}
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{name}: {value}\r\n" for name, value in fields.items()) + "\r\n"
    return head.encode("latin-1") + body


def json_answer(status: str, data: Any) -> bytes:
    """A JSON answer."""
    return answer(status, json.dumps(data).encode(), Content_Type="application/json")


class Tokens:
    """Issues a new token on every ``POST /token``, and remembers them all."""

    def __init__(self) -> None:
        self.issued: list[str] = []

    def issue(self, out: BinaryIO) -> None:
        """Answer a token request with a fresh, well-formed token."""
        self.issued.append(f"tok-{len(self.issued) + 1}-canary-5d1e0b")
        out.write(json_answer("200 OK", {"access_token": self.issued[-1], "expires_in": 3600, "token_type": "Bearer"}))


def make_client(kind: str, url: str, *, secret: str = SECRET, timeout: float = 5.0, retry: RetryPolicy = FAST_RETRY) -> Any:
    """A sync or async client for ``url``."""
    factory = CroissantClient if kind == "sync" else AsyncCroissantClient
    return factory(url, client_id="hostile-client", client_secret=secret, timeout=timeout, retry=retry)


def put(client: Any) -> Any:
    """``PUT /products/p1`` with either client; returns the answer or raises."""
    if isinstance(client, CroissantClient):
        with client:
            return client.put_product("p1", product())

    async def put_async() -> Any:
        async with client:
            return await client.put_product("p1", product())

    return asyncio.run(put_async())


def trickle(out: BinaryIO, data: Iterable[bytes]) -> None:
    """Write ``data`` one piece every 0.2 s, for at most TRICKLE_FOR seconds."""
    stop = time.monotonic() + TRICKLE_FOR
    for piece in data:
        if time.monotonic() > stop:
            return
        out.write(piece)
        time.sleep(0.2)


def endless_head() -> Iterator[bytes]:
    """An answer's head that never ends, one byte at a time."""
    yield from (bytes([b]) for b in b"HTTP/1.1 200 OK\r\nX-Padding: ")
    while True:
        yield b"a"


def endless_body() -> Iterator[bytes]:
    """A complete head announcing a body that then comes one byte at a time."""
    yield answer("200 OK", Content_Type="application/json").replace(b"Content-Length: 0", b"Content-Length: 100000")
    while True:
        yield b" "


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("phase", ["token", "headers", "body"])
def test_a_trickling_server_gets_no_more_than_the_timeout_per_attempt(kind, phase):
    tokens = Tokens()

    def behaviour(seen: Seen, out: BinaryIO) -> None:
        if seen.path.endswith("/token") and phase != "token":
            tokens.issue(out)
        else:
            trickle(out, endless_body() if phase == "body" else endless_head())

    with Hostile(behaviour) as server:
        with pytest.raises(NetworkError) as caught:
            put(make_client(kind, server.url, timeout=1.0, retry=ONCE))
    assert "no complete answer within 1 s" in str(caught.value)
    assert caught.value.retryable
    assert server.hang_ups == 1  # the client left; it did not wait for the trickle to end
    assert server.count("/token") == 1 and server.count("/products/p1") == (phase != "token")


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 400 KB of gzip that expands to 400 MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(400)) + packer.flush()


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("where", ["answer", "error", "refused", "token"])
def test_a_gzip_bomb_is_refused_after_a_mebibyte_without_reading_it_all(kind, where, gzip_bomb):
    tokens = Tokens()
    status = {"answer": "200 OK", "error": "500 Internal Server Error", "refused": "401 Unauthorized", "token": "200 OK"}[where]
    bomb = answer(status, gzip_bomb, Content_Type="application/json", Content_Encoding="gzip")

    def behaviour(seen: Seen, out: BinaryIO) -> None:
        if seen.path.endswith("/token") and where != "token":
            tokens.issue(out)
        else:
            out.write(bomb)

    with Hostile(behaviour) as server:
        tracemalloc.start()
        try:
            with pytest.raises(ApiError) as caught:
                put(make_client(kind, server.url))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "answer was too large" in str(caught.value) and "1 MiB" in str(caught.value)
    assert not caught.value.retryable and server.count("/products/p1") <= 1
    assert peak < 50 * 2**20


@pytest.mark.parametrize("token", ["TokABC-123\n", "", " ", "tok en", "t\u00f6ken", "tok\x00", 12345, None, ["tok"]])
def test_an_unusable_token_is_an_auth_error_that_is_never_retried_or_shown(token):
    def behaviour(seen: Seen, out: BinaryIO) -> None:
        if seen.path.endswith("/token"):
            out.write(json_answer("200 OK", {"access_token": token, "expires_in": 3600}))
        else:
            out.write(json_answer("200 OK", {"data": {"id": "p1"}}))

    with Hostile(behaviour) as server:
        client = make_client("sync", server.url)
        with client:
            for _ in range(2):  # the second call fails at once, without asking again
                with pytest.raises(AuthError) as caught:
                    client.put_product("p1", product())
                assert "the token endpoint returned an unusable token" in str(caught.value)
                if isinstance(token, str) and token.strip():
                    assert token.strip() not in str(caught.value)
    assert server.count("/token") == 1 and server.count("/products/p1") == 0


QUOTED_SECRET = 'sbx_"quoted"\\canary-secret-41c7'


def _echoes(scenario: str, tokens: Tokens) -> Behaviour:
    """Servers that put the request (secret, tokens, headers) back into their error answers."""

    def behaviour(seen: Seen, out: BinaryIO) -> None:
        text = seen.raw.decode("utf-8", "replace")
        if seen.path.endswith("/token"):
            if scenario == "token-400-text":
                out.write(answer("400 Bad Request", f"cannot parse: {seen.body}".encode(), Content_Type="text/plain"))
            elif scenario == "token-401-json":
                out.write(json_answer("401 Unauthorized", {"message": f"refused {seen.body}"}))
            elif scenario == "token-400-cut":  # the 200-character excerpt ends inside the secret
                padding = "x" * (192 - seen.body.find(SECRET))
                out.write(answer("400 Bad Request", (padding + seen.body).encode(), Content_Type="text/plain"))
            else:
                tokens.issue(out)
        elif seen.token == tokens.issued[0]:  # the first token is refused: the client renews it
            out.write(json_answer("401 Unauthorized", {"message": f"expired: {text}"}))
        elif scenario == "put-500-headers":
            echo = f"authorization={seen.headers.get('authorization')}; request={text}"
            out.write(answer("500 Internal Server Error", echo.encode(), Content_Type="text/plain"))
        elif scenario == "put-400-all-tokens":
            out.write(json_answer("400 Bad Request", {"message": f"tokens seen: {' and '.join(tokens.issued)}", "echo": text}))
        elif scenario == "put-500-reason":
            out.write(answer(f"500 Bearer {seen.token} was used"))
        elif scenario == "put-422-list":
            out.write(json_answer("422 Unprocessable Entity", [tokens.issued, text]))

    return behaviour


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("scenario", ["token-400-text", "token-401-json", "token-400-cut", "put-500-headers", "put-400-all-tokens",
                                      "put-500-reason", "put-422-list", "token-400-quoted"])
def test_errors_never_carry_the_secret_or_any_token_a_server_echoes(kind, scenario, caplog):
    caplog.set_level(logging.DEBUG, logger="croissant_embed")
    secret = QUOTED_SECRET if scenario == "token-400-quoted" else SECRET
    tokens = Tokens()
    with Hostile(_echoes(scenario.replace("quoted", "text"), tokens)) as server:
        client = make_client(kind, server.url, secret=secret)
        with pytest.raises(ApiError) as caught:
            put(client)
    texts = [str(caught.value), repr(caught.value), caught.value.message, repr(client), repr(client.auth), caplog.text]
    assert "***" in str(caught.value)  # the echo did arrive, masked
    leaks = [secret, json.dumps(secret)[1:-1], secret[:6], *tokens.issued]
    for text in texts:
        for leak in leaks:
            assert leak not in text, (leak, text)


@pytest.mark.parametrize("server_kind", ["echo", "unusable-token"])
def test_build_against_an_echoing_server_shows_no_secret_or_token_anywhere(tmp_path, server_kind, caplog):
    caplog.set_level(logging.DEBUG, logger="croissant_embed")
    tokens = Tokens()
    site = tmp_path / "site"
    make_store(site, 3)
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://s.example/"\n', encoding="utf-8")
    echo = {"P00000": "put-400-all-tokens", "P00001": "put-500-headers", "P00002": "put-500-reason"}

    def behaviour(seen: Seen, out: BinaryIO) -> None:
        if seen.path.endswith("/token") and server_kind == "unusable-token":
            out.write(json_answer("200 OK", {"access_token": "TokABC-123\n", "expires_in": 3600}))
        else:
            _echoes(echo.get(seen.path.rsplit("/", 1)[-1], ""), tokens)(seen, out)

    with Hostile(behaviour) as server:
        env = {"CROISSANT_CLIENT_ID": "hostile-client", "CROISSANT_CLIENT_SECRET": SECRET, "CROISSANT_RETRIES": "2"}
        result = CliRunner().invoke(main, [
            "build", str(site), "--config", str(config), "--environment", "local", "--api-url", server.url,
            "--sync", "always", "--report", str(tmp_path / "report.json"),
        ], env=env)
    if server_kind == "echo":
        errors = [entry["error"] for entry in json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["products"]]
        assert result.exit_code == 1 and len(errors) == 3 and all("***" in error for error in errors), result.output
    else:  # refused credentials stop the build; its report still says what was not sent
        assert result.exit_code == 2 and "the token endpoint returned an unusable token" in result.output
        report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        assert [entry["result"] for entry in report["products"]] == ["failed"] * 3
    leaks = [SECRET, "TokABC-123", *tokens.issued]
    files = [path.read_bytes().decode("utf-8", "replace") for path in tmp_path.rglob("*") if path.is_file()]
    assert files and server.count("/token") >= 1
    for text in [result.output, result.stderr, caplog.text, *files]:
        for leak in leaks:
            assert leak not in text, (leak, text[:2000])


def test_debug_logging_of_a_real_build_shows_no_echoed_token(tmp_path):
    """``-vv`` in a real process: httpx's own log lines (reason phrases, headers) are held back."""
    import os
    import subprocess
    import sys

    tokens = Tokens()
    site = tmp_path / "site"
    make_store(site, 2)
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://s.example/"\n', encoding="utf-8")
    with Hostile(_echoes("put-500-reason", tokens)) as server:
        env = {**os.environ, "CROISSANT_CLIENT_ID": "hostile-client", "CROISSANT_CLIENT_SECRET": SECRET, "CROISSANT_RETRIES": "2"}
        done = subprocess.run(
            [sys.executable, "-m", "croissant_embed", "-vv", "build", str(site), "--config", str(config),
             "--environment", "local", "--api-url", server.url, "--sync", "always"],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )
    assert done.returncode == 1 and "DEBUG" in done.stderr + done.stdout, done.stderr
    for leak in [SECRET, *tokens.issued]:
        assert leak not in done.stdout + done.stderr
