"""What stops a sync, and what a build says once for many pages (issue 12): unplaced components,
guessed currencies, ids taken from the URL."""

from __future__ import annotations

import json
from pathlib import Path

from croissant_embed import guards
from croissant_embed.contract import ProductRow

from .conftest import invoke, sandbox_of
from .sites import product_page, write_config, write_page


def priceless_page(pid: str, price: str) -> str:
    """A product page whose price is only in its JSON-LD: no element shows it."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Made to order</title>\n"
        f'<script type="application/ld+json">{{"@type":"Product","sku":"{pid}","name":"Made to order",'
        f'"url":"https://s.example/{pid}/","offers":{{"price":"{price}","priceCurrency":"EUR"}}}}</script>\n'
        "</head>\n<body>\n<main class=\"product\">\n<h1 class=\"product-title\">Made to order</h1>\n"
        "<p>Ask us for a quote.</p>\n</main>\n</body>\n</html>\n"
    )


def unplaced_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write_page(site, "placed/index.html", product_page("PLACED", "10.00"))
    write_page(site, "quote/index.html", priceless_page("QUOTE", "450.00"))
    return site


def test_a_valid_product_with_no_place_for_the_component_is_unplaced_and_stops_the_sync(tmp_path):
    site = unplaced_site(tmp_path)
    config = write_config(tmp_path)
    result = invoke("build", str(site), "--config", str(config), "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 3, result.output
    assert "unplaced: quote/index.html: product 'QUOTE': no place for the component" in result.output
    assert "1 product pages got no component (max_unplaced = 0); nothing was synced" in result.output
    assert "  quote/index.html: product QUOTE" in result.output and "[placement] selector" in result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    statuses = {page["path"]: page["status"] for page in report["pages"]}
    assert statuses == {"placed/index.html": "injected", "quote/index.html": "unplaced"}
    assert "[placement] selector" in report["pages"][1]["reason"] and "<croissant-slot>" in report["pages"][1]["reason"]
    assert {p["id"]: p["action"] for p in report["products"]} == {"PLACED": "create", "QUOTE": "create"}  # still planned
    assert not (tmp_path / ".croissant" / "sandbox.sqlite3").exists()  # nothing synced


def test_unplaced_pages_up_to_max_unplaced_are_synced_and_a_placement_selector_places_them(tmp_path):
    site = unplaced_site(tmp_path)
    config = write_config(tmp_path)
    tolerated = invoke("build", str(site), "--config", str(config), env={"CROISSANT_MAX_UNPLACED": "1"})
    assert tolerated.exit_code == 0, tolerated.output
    assert "unplaced: quote/index.html" in tolerated.output
    assert {pid for pid, _, _ in sandbox_of(config).products()} == {"PLACED", "QUOTE"}
    config.write_text('base_url = "https://s.example/"\n[placement]\nselector = ".product-title"\n', encoding="utf-8")
    placed = invoke("build", str(site), "--config", str(config))
    assert placed.exit_code == 0, placed.output
    assert "</h1><!--croissant-embed" in (site / "quote" / "index.html").read_text(encoding="utf-8")


def test_max_unplaced_is_checked_like_max_invalid(tmp_path):
    site = unplaced_site(tmp_path)
    config = write_config(tmp_path, 'base_url = "https://s.example/"\nmax_unplaced = -1\n')
    negative = invoke("build", str(site), "--config", str(config))
    assert negative.exit_code == 2 and "max_unplaced: -1 must be at least 0" in negative.output
    word = invoke("build", str(site), "--config", str(write_config(tmp_path)), env={"CROISSANT_MAX_UNPLACED": "some"})
    assert word.exit_code == 2 and "max_unplaced: 'some' must be a whole number" in word.output
    flag = invoke("build", str(site), "--config", str(write_config(tmp_path)), "--max-unplaced", "1", "--dry-run")
    assert flag.exit_code == 0, flag.output


def row(page: str, product_id: str, currency_source: str) -> ProductRow:
    payload = json.dumps({"retailPrice": 2000, "retailCurrency": "USD"})
    return ProductRow(page, product_id, payload, "hash-" + product_id, {"id": "jsonld", "price": "jsonld", "currency": currency_source})


def test_a_sync_to_sandbox_or_production_refuses_guessed_currencies_and_says_to_set_default_currency():
    rows = [row("a/index.html", "A", "jsonld"), row("b/index.html", "B", "guessed"), row("c/index.html", "C", "guessed")]
    for environment in ("sandbox", "production"):
        stop = guards.guessed_currencies(rows, environment)
        assert stop is not None and "nothing was synced" in stop.lines[0] and "default_currency" in stop.lines[0]
        assert stop.lines[0].startswith("2 products show a bare '$'") and environment in stop.lines[0]
        assert stop.lines[1:] == ("  b/index.html: product B", "  c/index.html: product C")
    assert guards.guessed_currencies(rows, "local") is None  # local builds only warn (on the pages)
    assert guards.guessed_currencies(rows[:1] + [row("d/index.html", "D", "default_currency")], "production") is None


def test_a_guessed_currency_stops_a_sync_to_sandbox_until_default_currency_is_set(tmp_path):
    site = tmp_path / "site"
    write_page(site, "p/index.html", (
        '<!DOCTYPE html>\n<html>\n<head>\n<title>Mug</title>\n<script type="application/ld+json">{"@type":"Product",'
        '"sku":"MUG","name":"Mug","url":"https://mugs.example/p/","offers":{"price":"12.00"}}</script>\n</head>\n'
        '<body>\n<h1>Mug</h1>\n<p class="price">$12.00</p>\n</body>\n</html>\n'))
    sandbox = {"CROISSANT_ENVIRONMENT": "sandbox", "CROISSANT_MERCHANT_ID": "m-1", "CROISSANT_CLIENT_ID": "c",
               "CROISSANT_CLIENT_SECRET": "s-not-used-offline"}
    refused = invoke("build", str(site), "--plan", str(tmp_path / "plan.json"), env=sandbox, cwd=tmp_path)
    assert refused.exit_code == 3, refused.output
    assert "1 products show a bare '$'" in refused.output and "set default_currency" in refused.output
    assert "  p/index.html: product MUG" in refused.output and not (tmp_path / "plan.json").exists()
    assert invoke("build", str(site), "--dry-run", cwd=tmp_path).exit_code == 0  # local: a warning only
    stated = invoke("build", str(site), "--plan", str(tmp_path / "plan.json"), env={**sandbox, "CROISSANT_DEFAULT_CURRENCY": "CAD"},
                    cwd=tmp_path)
    assert stated.exit_code == 0, stated.output
    [entry] = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["products"]
    assert entry["payload"]["retailCurrency"] == "CAD"


def skuless_page(slug: str, price: str) -> str:
    """A theme's product page whose JSON-LD names no sku, productID or mpn."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Shop</title>\n"
        f'<script type="application/ld+json">{{"@type":"Product","name":"{slug.title()}",'
        f'"offers":{{"price":"{price}","priceCurrency":"EUR"}}}}</script>\n'
        f'</head>\n<body>\n<h1>{slug.title()}</h1>\n<p class="price">€{price}</p>\n</body>\n</html>\n'
    )


def test_ids_taken_from_the_url_are_announced_in_one_line_for_the_whole_build(tmp_path):
    site = tmp_path / "site"
    for slug in ("tent", "stove", "lamp"):
        write_page(site, f"products/{slug}/index.html", skuless_page(slug, "30.00"))
    write_page(site, "mug/index.html", product_page("MUG-1", "8.00"))
    result = invoke("build", str(site), "--config", str(write_config(tmp_path)), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "URL path" in line]
    assert lines == ["warning: 3 products have no id of their own; their URL path is used: 'products/lamp', 'products/stove', "
                     "'products/tent'. A moved page becomes a new product: set data-croissant-product-id or a sku"]
