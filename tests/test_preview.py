"""The preview: its server, its static files, and the reference checkout handler it serves."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
from urllib.parse import urlencode

import httpx
import pytest

from croissant_embed.sitefiles import static_file

from .sites import copy_sample, load_checkout_app


def _checkout(app, form: dict) -> tuple[str, str]:
    body = urlencode(form).encode()
    seen = {}
    environ = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    chunks = app(environ, lambda status, headers: seen.setdefault("status", status))
    return seen["status"], b"".join(chunks).decode()


def test_the_reference_checkout_handler_trusts_the_catalogue_not_the_form():
    checkout_app = load_checkout_app()
    created = []
    app = checkout_app.make_app({"AN-JKT-001": (28900, "USD", "Fjell")}, lambda order: created.append(order) or {"id": "c1"})
    status, page = _checkout(app, {"product_id": "AN-JKT-001", "quantity": "3", "email": "a@b.example", "croissant_opt_in": "true", "price": "1"})
    assert status.startswith("200") and 'id="cart-id">c1<' in page
    [order] = created
    assert (order.lines[0].unit_price, order.lines[0].quantity, order.opted_in) == (28900, 3, True)
    status, page = _checkout(app, {"product_id": "AN-NOPE", "quantity": "0", "email": "nope"})
    assert status.startswith("400") and "choose a product" in page and "quantity" in page and "email" in page
    _checkout(app, {"product_id": "AN-JKT-001", "quantity": "1", "email": "a@b.example"})
    assert created[-1].opted_in is False and len(created) == 2


def test_static_files_stay_inside_the_preview_folder(tmp_path):
    root = tmp_path / "site"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    (root / "link").symlink_to(tmp_path / "secret.txt")
    assert static_file(root, "/a/").content == b"<p>a</p>"
    assert static_file(root, "/a").redirect == "/a/"
    for hostile in ("/../secret.txt", "/a/../../secret.txt", "/%2e%2e/secret.txt", "/link", "/a%2f..%2f..%2fsecret.txt"):
        assert static_file(root, hostile) is None, hostile


def test_preview_serves_a_separate_build_and_stops_cleanly_on_ctrl_c(tmp_path):
    config = copy_sample(tmp_path)
    source = (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "croissant_embed", "preview", "--config", str(config), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(2)]  # what is previewed, then the address
        url = re.search(r"Preview: (http://127\.0\.0\.1:\d+)/", "".join(lines)).group(1)
        page = httpx.get(url + "/products/fjell-shell-jacket/")
        assert page.status_code == 200 and f'pricing-url="{url}/v0/prices"' in page.text
        assert f'src="{url}/components/dist.js"' in page.text
        bundle = httpx.get(url + "/components/dist.js")
        assert "LOCAL STAND-IN" in bundle.text
        prices = httpx.get(url + "/v0/prices", params={"productId": "AN-JKT-001"}).json()["data"]
        assert prices["eligible"] is True and prices["cash"]["resalePrice"] == 11560
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert process.returncode == 0
    assert (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes() == source


def test_a_preview_that_cannot_build_releases_its_port(tmp_path):
    import socket

    from croissant_embed.errors import ConfigError
    from croissant_embed.preview import Preview
    from croissant_embed.settings import load_settings

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><html><body>no products</body></html>", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConfigError, match="no product pages") as caught:
        Preview(load_settings(cwd=tmp_path, env={}, overrides={"site_dir": site}), port=port)
    with socket.socket() as again:  # the traceback still holds the half-built preview
        again.bind(("127.0.0.1", port))  # yet it closed its socket
    assert caught.value.problems


def test_a_preview_syncs_its_sandbox_even_inside_a_pull_request_build(tmp_path, monkeypatch):
    from croissant_embed.preview import Preview
    from croissant_embed.settings import load_settings

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    config = copy_sample(tmp_path)
    with Preview(load_settings(config=config, env={}), port=0) as preview:
        assert len(list(preview.store.products())) == 14
