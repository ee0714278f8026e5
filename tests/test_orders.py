"""Orders, the carts CLI, the reference checkout handler, and the preview server (issue 4)."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
from urllib.parse import urlencode

import httpx
import pytest
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.errors import DataError
from croissant_embed.orders import cart_id_for, cart_payload, parse_order, store_namespace
from croissant_embed.sandbox import SandboxStore
from croissant_embed.sitefiles import static_file

from .sites import REPO, copy_sample

ORDER = {
    "order_number": "AN-1001",
    "email": "shopper@example.com",
    "created_at": "2026-11-27T10:00:00Z",
    "opted_in": True,
    "lines": [{"product_id": "AN-JKT-001", "quantity": 2, "unit_price": 28900, "currency": "USD"}],
}


def test_cart_ids_are_uuid5_of_the_order_number_under_the_store_namespace():
    namespace = store_namespace("atelier-nord")
    assert cart_id_for("AN-1001", namespace) == cart_id_for("AN-1001", namespace)
    assert cart_id_for("AN-1001", namespace) != cart_id_for("AN-1002", namespace)
    assert cart_id_for("AN-1001", namespace) != cart_id_for("AN-1001", store_namespace("another-store"))
    payload = cart_payload(parse_order(ORDER), namespace)
    assert payload["id"] == cart_id_for("AN-1001", namespace) and payload["isOptedIn"] is True
    assert payload["products"] == [{"retailerProductId": "AN-JKT-001", "quantity": 2, "retailSalePrice": 28900, "retailSaleCurrency": "USD"}]
    assert cart_payload(parse_order({**ORDER, "cart_id": "given"}), namespace)["id"] == "given"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": []}, "at least one line"),
        ({"lines": [{**ORDER["lines"][0], "quantity": -1}]}, "quantity: -1 must be a positive whole number"),
        ({"lines": [{**ORDER["lines"][0], "unit_price": "289.00"}]}, "'289.00' is text; give an integer in minor units"),
        ({"lines": [{**ORDER["lines"][0], "unit_price": 289.0}]}, "is a float"),
        ({"lines": [{**ORDER["lines"][0], "currency": "DOLLARS"}]}, "'DOLLARS' is not an ISO 4217 code"),
        ({"opted_in": "yes"}, "opted_in: 'yes' must be true or false"),
        ({"created_at": "yesterday"}, "not an ISO 8601 timestamp"),
        ({"order_number": ""}, "order_number: required"),
    ],
)
def test_bad_orders_are_refused_naming_the_field_and_the_fix(change, message):
    with pytest.raises(DataError) as caught:
        parse_order({**ORDER, **change}, where="order file o.json")
    assert message in str(caught.value) and "order file o.json" in str(caught.value)


def test_carts_cli_creates_once_and_reports_bad_orders_with_exit_3(tmp_path):
    config = copy_sample(tmp_path)
    order = tmp_path / "order.json"
    order.write_text(json.dumps(ORDER), encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["carts", "create", str(order), "--config", str(config)])
    second = runner.invoke(main, ["carts", "create", str(order), "--config", str(config)])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert json.loads(first.output)["id"] == json.loads(second.output)["id"]
    store = SandboxStore(str(config.parent / ".croissant" / "sandbox.sqlite3"))
    assert len(store.carts()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**ORDER, "lines": [{**ORDER["lines"][0], "unit_price": "12.50"}]}), encoding="utf-8")
    refused = runner.invoke(main, ["carts", "create", str(bad), "--config", str(config)])
    assert refused.exit_code == 3 and "unit_price" in refused.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert runner.invoke(main, ["carts", "create", str(broken), "--config", str(config)]).exit_code == 3
    missing = runner.invoke(main, ["carts", "get", "no-such-cart", "--config", str(config)])
    assert missing.exit_code == 1 and "unknown cart" in missing.output
    assert len(store.carts()) == 1


def _checkout(app, form: dict) -> tuple[str, str]:
    body = urlencode(form).encode()
    seen = {}
    environ = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    chunks = app(environ, lambda status, headers: seen.setdefault("status", status))
    return seen["status"], b"".join(chunks).decode()


def test_the_reference_checkout_handler_trusts_the_catalogue_not_the_form():
    sys.path.insert(0, str(REPO / "sample_site"))
    try:
        import checkout_app
    finally:
        sys.path.pop(0)
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


def test_the_checkout_page_gets_the_opt_in_script_and_product_pages_do_not(tmp_path):
    config = copy_sample(tmp_path)
    assert CliRunner().invoke(main, ["build", "--config", str(config), "--dry-run"]).exit_code == 0
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0
    cart = (config.parent / "public" / "cart" / "index.html").read_text(encoding="utf-8")
    assert cart.count("<!--croissant-embed ") == 1 and 'var selector = "form#checkout";' in cart
    product = (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_text(encoding="utf-8")
    assert "croissant_opt_in\"]" not in product
    pages = {p["path"]: p for p in json.loads((tmp_path / "r.json").read_text())["pages"]}
    assert pages["cart/index.html"]["status"] == "injected" and pages["cart/index.html"]["reason"] == "checkout: opt-in script"


def test_preview_serves_a_separate_build_and_stops_cleanly_on_ctrl_c(tmp_path):
    config = copy_sample(tmp_path)
    source = (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "croissant_embed", "preview", "--config", str(config), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
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
        assert len(list(preview.store.products())) == 12
