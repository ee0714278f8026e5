"""Real generators' output, and the generator plugins, each with a real build (issue 7).

Hugo and Jekyll come from Debian, Eleventy and Astro from the npm registry (.ci/run installs them); MkDocs,
Pelican and Jinja2 are Python packages of the test extra. A generator that is missing is a
skip on a developer's machine and a failure under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.rewrite import OPEN
from croissant_embed.settings import load_settings

from .conftest import puts, sandbox_of
from .sites import REPO, snapshot, without_insertions

FIXTURES = Path(__file__).parent / "generators"
BIN = Path(sys.executable).parent


def tool(name: str, *candidates: Path) -> str:
    found = next((str(c) for c in candidates if c.exists()), None) or shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} must be installed in CI (see .ci/run)")
        pytest.skip(f"{name} is not installed")
    return found


def project(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def held(root: Path) -> dict[str, dict]:
    return {pid: payload for pid, payload, _ in sandbox_of(root / "croissant.toml").products()}


def component_follows_price(html: str, price: str = ".price") -> bool:
    """Whether the page's one component is the element right after the price element (``price`` selects it)."""
    tree = BeautifulSoup(html, "html.parser")
    [component] = tree.find_all("croissant-toggle-pdp")
    return component.find_previous_sibling() is tree.select_one(price)


def check_site(site: Path, before: dict[str, bytes], injected: set[str], *, price: str = ".price") -> None:
    """The named pages got the component right after their price; every other byte is the generator's."""
    after = snapshot(site)
    assert after.keys() == before.keys()
    for rel, data in after.items():
        if rel in injected:
            assert data != before[rel] and without_insertions(data) == before[rel], rel
            assert component_follows_price(data.decode("utf-8"), price), rel
        else:
            assert data == before[rel], rel


def test_hugo_output_is_injected_next_to_the_price_and_synced(tmp_path):
    hugo = tool("hugo")
    root = project(tmp_path, "hugo")
    subprocess.run([hugo, "--quiet", "--source", str(root)], check=True)
    site = root / "public"
    before = snapshot(site)
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(root / "croissant.toml")])
    assert result.exit_code == 0, result.output
    check_site(site, before, {f"products/{slug}/index.html" for slug in ("lamp", "kettle", "rug")})
    products = held(root)
    assert products["RUG-1"] == {"name": "Wool rug ÅÄÖ", "retailPrice": 34900, "retailCurrency": "EUR", "url": "https://hugo-shop.example/products/rug/", "sku": "RUG-1"}
    assert set(products) == {"LAMP-1", "KTL-1", "RUG-1"}


def test_eleventy_output_is_injected_and_synced(tmp_path):
    eleventy = tool("eleventy", REPO / ".ci" / "node" / "node_modules" / ".bin" / "eleventy")
    root = project(tmp_path, "eleventy")
    subprocess.run([eleventy, "--quiet"], cwd=root, check=True, capture_output=True)
    site = root / "_site"
    before = snapshot(site)
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(root / "croissant.toml")])
    assert result.exit_code == 0, result.output
    check_site(site, before, {"products/cap/index.html", "products/coat/index.html"})
    products = held(root)
    assert products["COAT-1"]["retailPrice"] == 21000 and products["COAT-1"]["retailCurrency"] == "GBP"
    assert products["CAP-1"]["url"] == "https://eleventy-shop.example/products/cap/"


def test_jekyll_output_is_injected_right_after_the_current_price_and_synced(tmp_path):
    jekyll = tool("jekyll")
    root = project(tmp_path, "jekyll")
    subprocess.run([jekyll, "build", "--quiet", "--source", str(root), "--destination", str(root / "_site")],
                   check=True, cwd=root, capture_output=True)
    site = root / "_site"
    assert not (site / "croissant.toml").exists()  # _config.yml excludes it: the settings are never published
    before = snapshot(site)
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(root / "croissant.toml")])
    assert result.exit_code == 0, result.output
    # the sale page shows the struck price first: the component follows the current one
    check_site(site, before, {f"products/{slug}/index.html" for slug in ("enamel-mug", "canvas-tote", "trail-map")},
               price="[itemprop=price]")
    products = held(root)
    assert set(products) == {"MUG-7", "TOTE-3", "MAP-2"}
    assert products["TOTE-3"] == {"name": "Canvas tote", "retailPrice": 3200, "retailCurrency": "USD", "sku": "TOTE-3",
                                  "url": "https://jekyll-shop.example/products/canvas-tote/"}
    assert products["MAP-2"]["name"] == "Trail map & compass" and products["MAP-2"]["retailPrice"] == 2450
    assert products["MUG-7"]["retailPrice"] == 1800  # a YAML float: Liquid writes "18.0"


def test_astro_static_output_is_injected_next_to_the_current_price_and_synced(tmp_path):
    astro = tool("astro", REPO / ".ci" / "node" / "node_modules" / ".bin" / "astro")
    root = project(tmp_path, "astro")
    (root / "node_modules").symlink_to(Path(astro).resolve().parents[1])  # as `npm install` in the project would
    subprocess.run([astro, "build", "--silent"], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "ASTRO_TELEMETRY_DISABLED": "1"})
    site = root / "dist"
    before = snapshot(site)
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(root / "croissant.toml")])
    assert result.exit_code == 0, result.output
    check_site(site, before, {"products/vase/index.html", "products/bowl/index.html"})  # the bowl's struck price comes first
    products = held(root)
    assert products["BOWL-2"] == {"name": "Oak bowl", "retailPrice": 2900, "retailCurrency": "EUR", "sku": "BOWL-2",
                                  "url": "https://astro-shop.example/products/bowl/"}
    assert set(products) == {"VASE-1", "BOWL-2"}


def test_the_mkdocs_plugin_runs_the_build_step_after_mkdocs_build(tmp_path):
    mkdocs = tool("mkdocs", BIN / "mkdocs")
    root = project(tmp_path, "mkdocs")
    done = subprocess.run([mkdocs, "build", "-f", str(root / "mkdocs.yml")], check=True, cwd=root, capture_output=True, text=True)
    printed = done.stdout + done.stderr
    assert "croissant-embed: " in printed and "products: 1 to create" in printed and "sync: 1 synced, 0 failed" in printed, printed
    page = (root / "site" / "products" / "lamp" / "index.html").read_text(encoding="utf-8")
    assert page.count(OPEN) == 2 and component_follows_price(page)
    assert OPEN not in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert held(root) == {"LAMP-1": {"name": "Brass lamp", "retailPrice": 12000, "retailCurrency": "EUR", "url": "https://docs-shop.example/products/lamp/"}}


def test_the_pelican_plugin_injects_the_article_page_and_not_the_listings_that_repeat_its_body(tmp_path):
    pelican = tool("pelican", BIN / "pelican")
    root = project(tmp_path, "pelican")  # the default theme; no exclude in croissant.toml
    done = subprocess.run([pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "croissant-embed: " in done.stdout and "products: 1 to create" in done.stdout and "sync: 1 synced" in done.stdout, done.stdout
    output = root / "output"
    page = (output / "kettle.html").read_text(encoding="utf-8")
    assert page.count(OPEN) == 2 and component_follows_price(page)
    # the body is repeated in full: in the post list (rel=bookmark) and as the featured article (a linked title)
    listings = ["index.html", "category/shop.html", "author/shop.html", "tag/kitchen.html"]
    for rel in listings:
        html = (output / rel).read_text(encoding="utf-8")
        assert 'data-croissant-product-id="KTL-1"' in html and OPEN not in html, rel
    assert held(root) == {"KTL-1": {"name": "Copper kettle", "retailPrice": 8550, "retailCurrency": "EUR", "url": "https://pelican-shop.example/kettle.html"}}
    assert puts(root / "croissant.toml") == 1
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["build", str(output), "--config", str(root / "croissant.toml"), "--dry-run",
                                       "--base-url", "https://pelican-shop.example/", "--report", str(report)])
    assert result.exit_code == 0, result.output
    statuses = {page["path"]: page["status"] for page in json.loads(report.read_text(encoding="utf-8"))["pages"]}
    assert statuses["kettle.html"] in {"injected", "unchanged"}
    assert {rel: statuses[rel] for rel in listings} == dict.fromkeys(listings, "not-product")


def test_a_failing_build_ends_pelican_with_our_message_and_no_traceback(tmp_path):
    pelican = tool("pelican", BIN / "pelican")
    root = project(tmp_path, "pelican")
    (root / "content" / "teapot.md").write_text(
        "Title: Teapot\nDate: 2026-10-01\nSlug: teapot\nCategory: Shop\n\n"
        '<div data-croissant-product-id="TPT-1" data-croissant-price="a lot" data-croissant-currency="EUR">'
        '<p class="price">a lot</p></div>\n', encoding="utf-8")  # max_invalid is 0
    done = subprocess.run([pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "400"})
    printed = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in printed and 'File "' not in printed, printed
    assert "croissant-embed: " in printed and "teapot.html: product TPT-1" in printed, printed
    assert held(root) == {}  # a guard stopped the sync


def test_a_failing_build_ends_mkdocs_with_our_message_and_no_traceback(tmp_path):
    mkdocs = tool("mkdocs", BIN / "mkdocs")
    root = project(tmp_path, "mkdocs")
    (root / "docs" / "products" / "kettle.md").write_text(
        '# Kettle\n\n<div data-croissant-product-id="KTL-9" data-croissant-price="a lot" data-croissant-currency="EUR">'
        '<p class="price">a lot</p></div>\n', encoding="utf-8")
    done = subprocess.run([mkdocs, "build", "-f", str(root / "mkdocs.yml")], cwd=root, capture_output=True, text=True)
    printed = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in printed and "croissant-embed: " in printed and "product KTL-9" in printed, printed


def test_the_jinja2_extension_renders_what_the_build_step_would_and_the_build_keeps_it(tmp_path):
    import jinja2

    from croissant_embed.integrations.jinja import CroissantExtension

    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://jinja-shop.example/"\nquantity_selector = "#qty"\n', encoding="utf-8")
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"product.html": (
            "<!DOCTYPE html>\n<html><head><title>{{ p.name }}</title>\n{{ croissant_head() }}</head>\n<body>\n"
            "<h1>{{ p.name }}</h1>\n<p class=\"price\">${{ p.price }}</p>\n{{ croissant_pdp(p) }}\n</body></html>\n")}),
        autoescape=True, extensions=[CroissantExtension],
    )
    env.croissant_settings = load_settings(config=config)
    site = tmp_path / "site"
    products = [{"id": "MUG-1", "price": "18.00", "currency": "USD", "name": "Mug"},
                {"id": 'Q"2<', "price": "40.00", "currency": "USD", "name": "Quoted <jug>"}]
    for index, product in enumerate(products):
        page = site / f"p{index}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(env.get_template("product.html").render(p=product), encoding="utf-8")
    before = snapshot(site)
    assert env.extensions[CroissantExtension.identifier].summary().startswith("croissant-embed: 2 product components rendered")
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert snapshot(site) == before  # already exactly what the build step injects
    tree = BeautifulSoup(before["p1/index.html"].decode(), "html.parser")
    assert tree.find("croissant-toggle-pdp")["product-id"] == 'Q"2<'
    assert held(tmp_path)['Q"2<'] == {"name": "Quoted <jug>", "retailPrice": 4000, "retailCurrency": "USD", "url": "https://jinja-shop.example/p1/"}
