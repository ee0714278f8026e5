"""Markets (issue 13) on a real Hugo build: English in USD at the root, French in EUR under /fr/, the
same skus on both; ``[[markets]]`` gives the French pages their own merchant and ids, each market
syncs on its own, and without it the build stops and points to ``[[markets]]``."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from .conftest import invoke, puts, sandbox_of
from .sites import snapshot
from .test_generators import project, tool

ENGLISH = {"MUG-1": ("mug", 2400), "TEA-1": ("teapot", 5800), "PLANT-1": ("planter", 124900), "APRON-1": ("apron", 1800)}
FRENCH = {"MUG-1": ("mug", 2250), "TEA-1": ("teapot", 5400), "PLANT-1": ("planter", 115000)}  # the apron is sold in English only
EN_PAGES = {sku: f"products/{slug}/index.html" for sku, (slug, _) in ENGLISH.items()}
FR_PAGES = {sku: f"fr/products/{slug}/index.html" for sku, (slug, _) in FRENCH.items()}


def hugo_store(tmp_path: Path) -> Path:
    """The hugo-markets project built by Hugo into its public/ folder."""
    root = project(tmp_path, "hugo-markets")
    subprocess.run([tool("hugo"), "--quiet", "--source", str(root)], check=True)
    return root


def build(root: Path, config: Path, report: Path):
    """``croissant-embed build public`` as the project's own build step runs it."""
    report.unlink(missing_ok=True)
    return invoke("build", str(root / "public"), "--config", str(config), "--report", str(report))


def read(report: Path) -> dict:
    return json.loads(report.read_text("utf-8"))


def component(root: Path, rel: str) -> tuple[str, str]:
    """The (merchant-id, product-id) of the page's one component."""
    [element] = BeautifulSoup((root / "public" / rel).read_text("utf-8"), "html.parser").find_all("croissant-toggle-pdp")
    return element["merchant-id"], element["product-id"]


def test_a_hugo_store_in_two_currencies_syncs_each_market_under_its_own_ids_prices_and_merchant(tmp_path):
    root = hugo_store(tmp_path)
    config, report = root / "croissant.toml", tmp_path / "report.json"
    result = build(root, config, report)
    assert result.exit_code == 0, result.output

    statuses = {page["path"]: page["status"] for page in read(report)["pages"]}
    assert {path for path, status in statuses.items() if status == "injected"} == {*EN_PAGES.values(), *FR_PAGES.values()}

    expected = {sku: ("default", EN_PAGES[sku], [], "USD", cents) for sku, (_, cents) in ENGLISH.items()}
    expected |= {f"{sku}-eur": ("eu", FR_PAGES[sku], [], "EUR", cents) for sku, (_, cents) in FRENCH.items()}
    reported = {p["id"]: (p["market"], p["page"], p["also_on"], p["payload"]["retailCurrency"], p["payload"]["retailPrice"])
                for p in read(report)["products"]}
    assert reported == expected

    held = {pid: payload for pid, payload, _ in sandbox_of(config).products()}
    assert {pid: (payload["retailCurrency"], payload["retailPrice"]) for pid, payload in held.items()} == {
        pid: (currency, cents) for pid, (_, _, _, currency, cents) in expected.items()}
    assert held["MUG-1-eur"]["name"] == "Tasse mouchetée"
    assert held["MUG-1-eur"]["url"] == "https://hugo-markets.example/fr/products/mug/"
    assert held["MUG-1"]["url"] == "https://hugo-markets.example/products/mug/"

    assert {rel: component(root, rel) for rel in FR_PAGES.values()} == {
        rel: ("merchant-eu", f"{sku}-eur") for sku, rel in FR_PAGES.items()}
    assert {rel: component(root, rel) for rel in EN_PAGES.values()} == {
        rel: ("merchant-us", sku) for sku, rel in EN_PAGES.items()}

    assert re.search(r"\bdefault\b", result.output) and re.search(r"\beu\b", result.output), result.output


def test_a_second_build_of_the_two_market_hugo_store_changes_no_page_and_sends_nothing(tmp_path):
    root = hugo_store(tmp_path)
    config, report = root / "croissant.toml", tmp_path / "report.json"
    first = build(root, config, report)
    assert first.exit_code == 0, first.output
    pages, sent = snapshot(root / "public"), puts(config)

    again = build(root, config, report)
    assert again.exit_code == 0, again.output
    assert snapshot(root / "public") == pages
    assert puts(config) == sent
    assert {(p["id"], p["market"], p["action"]) for p in read(report)["products"]} == {
        *((sku, "default", "unchanged") for sku in ENGLISH), *((f"{sku}-eur", "eu", "unchanged") for sku in FRENCH)}


def test_the_two_currency_hugo_store_without_markets_stops_and_points_to_markets(tmp_path):
    root = hugo_store(tmp_path)
    config = root / "croissant.toml"
    config.write_text(config.read_text("utf-8").split("[[markets]]")[0], "utf-8")  # default_language alone
    report = tmp_path / "report.json"
    result = build(root, config, report)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert 'retailCurrency: "USD" on products/mug/index.html vs "EUR" on fr/products/mug/index.html' in message
    assert "sections with their own currency need [[markets]]" in message
    assert "Traceback" not in result.output
    assert report.exists() and puts(config) == 0
