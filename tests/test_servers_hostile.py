"""The project's own HTTP servers against hostile clients, over real loopback sockets.

The sandbox served by ``BackgroundServer``, and the preview (built pages, checkout handler,
sandbox on one origin) started as ``croissant-embed preview`` starts it. Malformed requests
go through a raw ``socket``; every read has a guard timeout so that a server that never
answers fails the test instead of hanging it.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.sandbox import BackgroundServer, SandboxApp, SandboxStore

from .conftest import CREDENTIALS, SECRET, cart, product
from .sites import copy_sample, load_checkout_app

GUARD = 10.0  # seconds a read may wait before the test fails: a server that hangs is a failure


def address(url: str) -> tuple[str, int]:
    """(host, port) of a server URL."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    return host, int(port)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def exchange(url: str, data: bytes) -> bytes:
    """Send raw bytes on a fresh connection, then read the whole answer."""
    with socket.create_connection(address(url), timeout=GUARD) as sock:
        sock.sendall(data)
        return read_all(sock)


def status_of(answer: bytes) -> int:
    """The status code of a raw HTTP answer."""
    assert answer.startswith(b"HTTP/"), answer[:200]
    return int(answer.split(b" ", 2)[1])


def split_answer(answer: bytes) -> tuple[dict[str, str], bytes]:
    """(headers by lower-case name, body) of a raw HTTP answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {name.strip().lower(): value.strip() for name, value in (line.split(":", 1) for line in lines)}, body


def bearer(url: str) -> str:
    """An access token from a sandbox served at ``url``."""
    answer = httpx.post(url + "/v0/token", json={"clientId": CREDENTIALS.client_id, "clientSecret": SECRET})
    return answer.json()["access_token"]


@pytest.fixture
def sandbox() -> Iterator[BackgroundServer]:
    """A fault-free in-memory sandbox on a loopback socket."""
    with BackgroundServer(SandboxApp(credentials=CREDENTIALS)) as server:
        yield server


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The sample store's preview (pages, checkout handler and sandbox) on a loopback socket."""
    from croissant_embed.preview import Preview
    from croissant_embed.settings import load_settings

    config = copy_sample(tmp_path_factory.mktemp("preview"))
    with Preview(load_settings(config=config, env={}), port=0) as running:
        yield running


# -- 1. files outside the build folder ------------------------------------------------------
def test_preview_refuses_an_index_html_that_links_outside_the_build_folder(preview, tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_text("SECRET-OUTSIDE-THE-BUILD", encoding="utf-8")
    (preview.out_dir / "leak").mkdir()
    (preview.out_dir / "leak" / "index.html").symlink_to(secret)
    answer = exchange(preview.url, b"GET /leak/ HTTP/1.0\r\n\r\n")
    assert status_of(answer) == 404 and b"SECRET-OUTSIDE" not in answer
    assert status_of(exchange(preview.url, b"GET /products/fjell-shell-jacket/ HTTP/1.0\r\n\r\n")) == 200


def test_a_folder_redirect_cannot_point_to_another_host(preview):
    (preview.out_dir / "evil.example").mkdir()
    headers, _ = split_answer(exchange(preview.url, b"GET /%2F%2Fevil.example HTTP/1.0\r\n\r\n"))
    assert headers["location"].startswith("/") and not headers["location"].startswith("//")


# -- 2. timeouts and limits -----------------------------------------------------------------
def test_idle_and_half_sent_connections_are_dropped_after_the_timeout_while_others_are_answered():
    with BackgroundServer(SandboxApp(credentials=CREDENTIALS), timeout=0.5) as server:
        idle = [socket.create_connection(address(server.url), timeout=GUARD) for _ in range(10)]
        for sock in idle[5:]:
            sock.sendall(b"GET /v0/prices?productId=a HTTP/1.1\r\nHost: x\r\n")  # half a request
        try:
            assert httpx.get(server.url + "/components/dist.js").status_code == 200
            assert [read_all(sock) for sock in idle] == [b""] * 10  # closed by the server
        finally:
            for sock in idle:
                sock.close()


def test_connections_over_the_cap_are_refused_with_503_until_slots_free_up():
    with BackgroundServer(SandboxApp(credentials=CREDENTIALS), timeout=30, max_connections=2) as server:
        held = [socket.create_connection(address(server.url), timeout=GUARD) for _ in range(2)]
        answer = exchange(server.url, b"GET /components/dist.js HTTP/1.0\r\n\r\n")
        assert status_of(answer) == 503 and "busy" in json.loads(split_answer(answer)[1])["message"]
        for sock in held:
            sock.close()
        for _ in range(100):  # the handler threads see the closes and give their slots back
            if status_of(exchange(server.url, b"GET /components/dist.js HTTP/1.0\r\n\r\n")) == 200:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the server never took connections again after the held ones closed")


@pytest.mark.parametrize("length", [b"-1", b"12x", b"1, 2"])
def test_an_invalid_content_length_is_answered_400(sandbox, preview, length):
    request = b"POST %s HTTP/1.0\r\nContent-Length: " + length + b"\r\n\r\n{}"
    assert status_of(exchange(sandbox.url, request % b"/v0/token")) == 400
    assert status_of(exchange(preview.url, request % b"/checkout")) == 400


def test_a_body_over_the_limit_is_refused_with_413_and_not_stored(sandbox):
    token = bearer(sandbox.url).encode()
    head = b"PUT /v0/products/big HTTP/1.0\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n" % (token, 50 * 1024 * 1024)
    with socket.create_connection(address(sandbox.url), timeout=GUARD) as sock:
        sock.sendall(head + b'{"name": "' + b"x" * 65536)  # the rest of the 50 MB never comes
        answer = read_all(sock)
    assert status_of(answer) == 413
    assert list(sandbox.server.get_app().store.products()) == []


def test_the_in_process_sandbox_refuses_oversized_and_negative_bodies_too(app):
    from croissant_embed.sandbox import SandboxTransport

    with httpx.Client(base_url="http://croissant.test/v0", transport=SandboxTransport(app)) as http:
        token = http.post("/token", json={"clientId": CREDENTIALS.client_id, "clientSecret": SECRET}).json()["access_token"]
        big = http.put("/products/big", json=product(name="x" * 2 * 1024 * 1024), headers={"Authorization": f"Bearer {token}"})
        assert big.status_code == 413 and big.json()["message"]
        negative = http.post("/token", content=b"{}", headers={"Content-Length": "-1"})
        assert negative.status_code == 400
    assert list(app.store.products()) == []


def test_the_reference_checkout_handler_refuses_a_negative_or_oversized_form_itself():
    checkout_app = load_checkout_app()
    created = []
    app = checkout_app.make_app({"AN-JKT-001": (28900, "USD", "Fjell")}, lambda order: created.append(order) or {"id": "c1"})
    form = b"product_id=AN-JKT-001&quantity=1&email=a%40b.example"
    for length, expected in (("-1", "400"), (str(checkout_app.MAX_BODY + 1), "413")):
        seen = {}
        environ = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": length, "wsgi.input": io.BytesIO(form)}
        b"".join(app(environ, lambda status, headers: seen.setdefault("status", status)))
        assert seen["status"].startswith(expected)
    assert created == []


def test_json_nested_too_deeply_is_answered_400_with_a_message(sandbox):
    body = b"[" * 100_000 + b"]" * 100_000
    answer = exchange(sandbox.url, b"POST /v0/token HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert status_of(answer) == 400
    assert "nested" in json.loads(split_answer(answer)[1])["message"]


def test_concurrent_fulfill_and_cancel_of_one_cart_let_exactly_one_win(sandbox):
    headers = {"Authorization": f"Bearer {bearer(sandbox.url)}"}
    ids = [f"0b6f1c1e-1111-4c5e-9b1a-{n:012d}" for n in range(40)]
    with httpx.Client(base_url=sandbox.url + "/v0", headers=headers) as http:
        for cart_id in ids:
            assert http.post("/carts", json=cart(cart_id)).status_code == 201

    def race(cart_id: str) -> list[int]:
        gate = threading.Barrier(2)
        statuses: list[int] = []

        def act(action: str) -> None:
            with httpx.Client(base_url=sandbox.url + "/v0", headers=headers) as http:
                gate.wait()
                statuses.append(http.post(f"/carts/{cart_id}/{action}").status_code)

        workers = [threading.Thread(target=act, args=(action,)) for action in ("fulfill", "cancel")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(GUARD)
        return sorted(statuses)

    outcomes = [race(cart_id) for cart_id in ids]
    assert outcomes == [[200, 409]] * len(ids)
    states = {c["id"]: c["state"] for c in sandbox.server.get_app().store.carts()}
    assert set(states.values()) <= {"fulfilled", "cancelled"} and len(states) == len(ids)


def test_head_answers_the_headers_without_a_body(sandbox, preview):
    for url, path in ((sandbox.url, b"/components/dist.js"), (preview.url, b"/products/fjell-shell-jacket/")):
        answer = exchange(url, b"HEAD %s HTTP/1.0\r\n\r\n" % path)
        headers, body = split_answer(answer)
        assert status_of(answer) == 200 and int(headers["content-length"]) > 0 and body == b""


@pytest.mark.parametrize("method", [b"DELETE", b"TRACE", b"PATCH", b"BREW"])
def test_unsupported_methods_are_answered_405_with_allow(sandbox, preview, method):
    cases = [
        (preview.url, b"/products/fjell-shell-jacket/", {"GET", "HEAD"}),
        (preview.url, b"/checkout", {"POST"}),
        (sandbox.url, b"/v0/products/a", {"GET", "PUT"}),
        (sandbox.url, b"/components/dist.js", {"GET", "HEAD"}),
    ]
    for url, path, allowed in cases:
        answer = exchange(url, b"%s %s HTTP/1.0\r\n\r\n" % (method, path))
        headers, body = split_answer(answer)
        assert status_of(answer) == 405, (path, answer[:200])
        assert {m.strip() for m in headers["allow"].split(",")} == allowed
        assert b"Fjell" not in body


@pytest.mark.parametrize("path", ["/" + "a/" * 3000, "/" + "x" * 300 + "/", "/%00/"])
def test_a_very_deep_or_long_path_is_answered_404_not_500(sandbox, preview, path):
    for url, prefix in ((preview.url, ""), (sandbox.url, "/v0")):
        assert status_of(exchange(url, f"GET {prefix}{path} HTTP/1.0\r\n\r\n".encode())) == 404


def test_a_request_line_over_64_kib_is_answered_414(sandbox, preview):
    for url in (sandbox.url, preview.url):
        answer = exchange(url, b"GET /" + b"a" * 70_000 + b" HTTP/1.0\r\n\r\n")
        assert status_of(answer) == 414


def _serve(args: list[str], cwd: Path) -> str:
    """Start a serving command, fetch a file from it over loopback, stop it with Ctrl-C; its stderr."""
    process = subprocess.Popen(
        [sys.executable, "-m", "croissant_embed", *args], cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CROISSANT_SANDBOX_CLIENT_SECRET": SECRET},
    )
    err = ""
    try:
        out = "".join(process.stdout.readline() for _ in range(3))  # the URL is on one of the first lines
        while "Press Ctrl-C" not in err:  # printed once it serves
            line = process.stderr.readline()
            assert line, out + err
            err += line
        port = int(re.search(r"http://[\d.]+:(\d+)", out).group(1))
        assert httpx.get(f"http://127.0.0.1:{port}/components/dist.js").status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        err += process.communicate(timeout=60)[1]
    assert process.returncode == 0, err
    return err


def test_serving_on_a_non_loopback_address_warns_on_stderr(tmp_path):
    config = copy_sample(tmp_path)
    assert "Warning" not in _serve(["sandbox", "serve", "--port", "0", "--db", ":memory:"], tmp_path)
    for args in (["sandbox", "serve", "--db", ":memory:"], ["preview", "--config", str(config)]):
        assert "Warning: 0.0.0.0 is not a loopback address" in _serve([*args, "--host", "0.0.0.0", "--port", "0"], tmp_path)


def test_a_port_in_use_is_a_clean_error_not_a_traceback(sandbox):
    _, port = address(sandbox.url)
    result = CliRunner().invoke(main, ["sandbox", "serve", "--port", str(port), "--db", ":memory:"])
    assert result.exit_code == 2 and f"127.0.0.1:{port}" in result.output
    assert not isinstance(result.exception, OSError)


# -- 3. a full sandbox database ---------------------------------------------------------------
FULL_MESSAGE = "the sandbox database is full"


def full_store(path: str) -> SandboxStore:
    """A sandbox store whose database has no room left, as on a full disk."""
    store = SandboxStore(path, max_pages=64)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for n in itertools.count():
            store.put_product(f"filler-{n:06d}", product(name="f" * 500))
    return store


def test_a_full_sandbox_database_answers_507_and_the_build_reports_it(tmp_path):
    config = copy_sample(tmp_path)
    with BackgroundServer(SandboxApp(full_store(str(tmp_path / "full.sqlite3")), credentials=CREDENTIALS)) as server:
        answer = httpx.put(f"{server.url}/v0/products/new", json=product(), headers={"Authorization": f"Bearer {bearer(server.url)}"})
        assert answer.status_code == 507 and answer.json()["message"].startswith(FULL_MESSAGE)
        env = {"CROISSANT_API_URL": server.url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id,
               "CROISSANT_CLIENT_SECRET": SECRET, "CROISSANT_RETRIES": "1"}
        result = CliRunner().invoke(main, ["build", "--config", str(config)], env=env)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert FULL_MESSAGE in result.output and "Traceback" not in result.output


def test_a_full_embedded_sandbox_fails_the_products_not_the_build(tmp_path, monkeypatch):
    config = copy_sample(tmp_path)
    monkeypatch.setattr("croissant_embed.sandbox.embedded.SandboxStore", full_store)  # the build's in-process sandbox
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--report", str(report)], env={"CROISSANT_RETRIES": "1"})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert FULL_MESSAGE in result.output and "Traceback" not in result.output
    failed = [p for p in json.loads(report.read_text())["products"] if p["result"] == "failed"]
    assert failed and all(FULL_MESSAGE in p["error"] for p in failed)
