"""Translations (issue 13): one id on pages that translate each other is one product, synced once
from the page of the default language, with the others in ``also_on``; a genuine conflict stops
the sync with the fields that differ, and the report is still written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from croissant_embed.rewrite import OPEN

from .conftest import invoke, puts, sandbox_of
from .sites import write_config, write_page
from .test_generators import project, tool

EN = "p/mug/index.html"
FR = "fr/p/mug/index.html"
EN_URL, FR_URL = "https://s.example/p/mug/", "https://s.example/fr/p/mug/"


def page(*, lang: str, name: str, price: str, currency: str, url: str, shown: str, sku: str = "MUG-1",
         alternates: tuple[tuple[str, str], ...] = ()) -> str:
    """A product page in ``lang`` with its JSON-LD, its visible price and its hreflang alternates."""
    links = "".join(f'<link rel="alternate" hreflang="{code}" href="{href}">\n' for code, href in alternates)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{name}</title>\n{links}'
        f'<script type="application/ld+json">{{"@type":"Product","sku":"{sku}","name":"{name}","url":"{url}",'
        f'"offers":{{"price":"{price}","priceCurrency":"{currency}"}}}}</script>\n'
        f'</head>\n<body>\n<h1>{name}</h1>\n<p class="price">{shown}</p>\n</body>\n</html>\n'
    )


def store(tmp_path: Path, *, fr_price: str = "19.99", fr_currency: str = "EUR", hreflang: bool = True) -> Path:
    """An English/French store: the mug on both language pages, and an English-only plate."""
    site = tmp_path / "site"
    alternates = (("en", EN_URL), ("fr", FR_URL), ("x-default", EN_URL)) if hreflang else ()
    write_page(site, EN, page(lang="en", name="Blue mug", price="19.99", currency="EUR", url=EN_URL, shown="€19.99",
                              alternates=alternates))
    fr_shown = f"{fr_price.replace('.', ',')} €" if fr_currency == "EUR" else f"${fr_price}"
    write_page(site, FR, page(lang="fr", name="Tasse bleue", price=fr_price, currency=fr_currency, url=FR_URL, shown=fr_shown,
                              alternates=alternates))
    write_page(site, "p/plate/index.html", page(lang="en", name="Plate", price="9.00", currency="EUR", sku="PLATE-1",
                                                url="https://s.example/p/plate/", shown="€9.00"))
    return site


def build(tmp_path: Path, site: Path, config_text: str = "", env: dict[str, str] | None = None):
    config = write_config(tmp_path, config_text or 'base_url = "https://s.example/"\n')
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    result = invoke("build", str(site), "--config", str(config), "--report", str(report), env=env)
    return result, config, report


def the_mug(report: Path) -> dict:
    [mug] = [product for product in json.loads(report.read_text("utf-8"))["products"] if product["id"] == "MUG-1"]
    return mug


def injected(site: Path, rel: str) -> bool:
    return OPEN in (site / rel).read_text("utf-8")


def test_hreflang_translations_with_one_price_are_one_product_synced_from_the_x_default_page(tmp_path):
    site = store(tmp_path)
    result, config, report = build(tmp_path, site)
    assert result.exit_code == 0, result.output
    held = {pid: payload for pid, payload, _ in sandbox_of(config).products()}
    assert held["MUG-1"]["name"] == "Blue mug" and held["MUG-1"]["url"] == EN_URL
    mug = the_mug(report)
    assert (mug["page"], mug["also_on"]) == (EN, [FR])
    assert injected(site, EN) and injected(site, FR)
    again, _, _ = build(tmp_path, site)  # the pages' languages come back from the cache alike
    assert again.exit_code == 0, again.output
    assert (the_mug(report)["page"], the_mug(report)["also_on"]) == (EN, [FR])


def test_pages_with_one_price_and_currency_but_another_name_and_url_are_translations_without_hreflang(tmp_path):
    site = store(tmp_path, hreflang=False)
    result, config, report = build(tmp_path, site)
    assert result.exit_code == 0, result.output
    held = {pid: payload for pid, payload, _ in sandbox_of(config).products()}
    assert held["MUG-1"]["name"] == "Blue mug"  # English is the site's main language: most pages declare it
    mug = the_mug(report)
    assert (mug["page"], mug["also_on"]) == (EN, [FR])
    assert injected(site, EN) and injected(site, FR)


def test_default_language_chooses_the_page_a_translated_product_is_synced_from(tmp_path):
    site = store(tmp_path)
    result, config, report = build(tmp_path, site, 'base_url = "https://s.example/"\ndefault_language = "fr"\n')
    assert result.exit_code == 0, result.output
    held = {pid: payload for pid, payload, _ in sandbox_of(config).products()}
    assert held["MUG-1"]["name"] == "Tasse bleue" and held["MUG-1"]["url"] == FR_URL
    assert (the_mug(report)["page"], the_mug(report)["also_on"]) == (FR, [EN])


def test_default_language_is_read_from_the_environment_and_checked(tmp_path):
    site = store(tmp_path)
    result, _, report = build(tmp_path, site, env={"CROISSANT_DEFAULT_LANGUAGE": "fr_FR"})
    assert result.exit_code == 0, result.output
    assert the_mug(report)["page"] == FR  # fr-fr: the French page, by its primary language
    wrong, _, _ = build(tmp_path, site, 'base_url = "https://s.example/"\ndefault_language = "French!"\n')
    assert wrong.exit_code != 0
    assert "default_language: 'French!' is not a language tag" in wrong.output and "Traceback" not in wrong.output


def test_a_genuine_conflict_stops_the_sync_naming_the_field_with_both_values_and_pages_and_writes_the_report(tmp_path):
    site = store(tmp_path, fr_price="25.00", hreflang=False)
    result, config, report = build(tmp_path, site)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert f"product 'MUG-1' has different data on {EN} and {FR}" in message
    assert f"retailPrice: 1999 on {EN} vs 2500 on {FR}" in message
    assert "[[markets]]" not in message and "state the product URL" not in message  # the URL is in the data
    assert report.exists() and the_mug(report)["page"] == EN
    assert puts(config) == 0


def test_translations_in_different_currencies_stop_the_sync_and_point_to_markets(tmp_path):
    site = store(tmp_path, fr_currency="USD")
    result, _, report = build(tmp_path, site)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert f'retailCurrency: "EUR" on {EN} vs "USD" on {FR}' in message
    assert "sections with their own currency need [[markets]]" in message
    assert report.exists()


def test_a_translated_hugo_store_with_one_currency_builds_with_only_default_language_set(tmp_path):
    hugo = tool("hugo")
    root = project(tmp_path, "hugo-i18n")
    subprocess.run([hugo, "--quiet", "--source", str(root)], check=True)
    site = root / "public"
    report = tmp_path / "report.json"
    result = invoke("build", str(site), "--config", str(root / "croissant.toml"), "--report", str(report))
    assert result.exit_code == 0, result.output
    pages = {page["path"]: page["status"] for page in json.loads(report.read_text("utf-8"))["pages"]}
    product_pages = {f"{prefix}products/{slug}/index.html" for prefix in ("", "fr/") for slug in ("lamp", "kettle")}
    assert {path for path, status in pages.items() if status == "injected"} == product_pages
    products = {p["id"]: (p["page"], p["also_on"]) for p in json.loads(report.read_text("utf-8"))["products"]}
    assert products == {"LAMP-1": ("products/lamp/index.html", ["fr/products/lamp/index.html"]),
                        "KTL-1": ("products/kettle/index.html", ["fr/products/kettle/index.html"])}
    held = {pid: payload for pid, payload, _ in sandbox_of(root / "croissant.toml").products()}
    assert held["LAMP-1"] == {"name": "Brass lamp", "retailPrice": 12000, "retailCurrency": "EUR",
                              "url": "https://hugo-i18n.example/products/lamp/", "sku": "LAMP-1"}
    assert set(held) == {"LAMP-1", "KTL-1"}
