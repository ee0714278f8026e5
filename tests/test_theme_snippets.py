"""The theme snippets (templates/themes/) in real Hugo, Jekyll and Eleventy builds (issue 14).

Each site in tests/generators/<generator>-slot/ marks its products only through the snippet
(no structured data, a bare visible price); the test copies the shipped snippet where a theme
author would put it, builds the site with the real generator, then runs `croissant-embed build`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from bs4 import BeautifulSoup

from .conftest import invoke
from .sites import REPO, snapshot, without_insertions
from .test_generators import held, project, tool

THEMES = REPO / "templates" / "themes"


@dataclass(frozen=True)
class Generator:
    """How one generator takes the snippet and builds its site."""

    snippet: str
    """The snippet, relative to templates/themes/."""
    target: str
    """Where the theme author puts it, relative to the project."""
    build: Callable[[Path], Path]
    """Build the project; returns the built site."""
    products: dict[str, dict]
    """The payloads synced, by product id."""
    other_pages: frozenset[str] = frozenset()
    """The built pages that are not product pages."""


def build_hugo(root: Path) -> Path:
    subprocess.run([tool("hugo"), "--quiet", "--source", str(root)], check=True, capture_output=True)
    return root / "public"


def build_jekyll(root: Path) -> Path:
    subprocess.run([tool("jekyll"), "build", "--quiet", "--source", str(root), "--destination", str(root / "_site")],
                   check=True, cwd=root, capture_output=True)
    return root / "_site"


def build_eleventy(root: Path) -> Path:
    eleventy = tool("eleventy", REPO / ".ci" / "node" / "node_modules" / ".bin" / "eleventy")
    subprocess.run([eleventy, "--quiet"], cwd=root, check=True, capture_output=True)
    return root / "_site"


GENERATORS = {
    "hugo": Generator("hugo/croissant-slot.html", "layouts/partials/croissant-slot.html", build_hugo, {
        "LAMP-1": {"name": "Brass lamp", "retailPrice": 12000, "retailCurrency": "EUR", "url": "https://hugo-slot.example/products/lamp/"},
        "RUG-9": {"name": 'Rug "Ålesund" <wool> & silk', "retailPrice": 349000, "retailCurrency": "SEK",
                  "url": "https://hugo-slot.example/products/rug/"},
    }, frozenset({"index.html", "products/index.html", "about/index.html"})),  # about/ shares the product layout
    "jekyll": Generator("jekyll/croissant-slot.html", "_includes/croissant-slot.html", build_jekyll, {
        "MUG-7": {"name": "Enamel mug", "retailPrice": 1800, "retailCurrency": "USD", "url": "https://jekyll-slot.example/products/enamel-mug/"},
        "MAP-2": {"name": 'Trail map "Nord" <1:50000> & compass', "retailPrice": 2450, "retailCurrency": "EUR",
                  "url": "https://jekyll-slot.example/products/trail-map/"},
    }, frozenset({"index.html"})),
    "eleventy": Generator("eleventy/croissant.js", "croissant.js", build_eleventy, {
        "CAP-1": {"name": "Tweed cap", "retailPrice": 4500, "retailCurrency": "GBP", "url": "https://eleventy-slot.example/products/cap/"},
        "COAT-1": {"name": 'Oilskin coat "Storm" <XL> & hood', "retailPrice": 21000, "retailCurrency": "GBP",  # a Liquid layout
                   "url": "https://eleventy-slot.example/products/coat/"},
        "SCF-1": {"name": "Wool scarf", "retailPrice": 3500, "retailCurrency": "GBP",  # a data file's product, passed to the shortcode
                  "url": "https://eleventy-slot.example/products/scarf/"},
    }),
}


@pytest.mark.parametrize("name", list(GENERATORS))
def test_a_theme_snippet_gives_the_build_the_product_and_the_place_of_the_component(tmp_path, name):
    generator = GENERATORS[name]
    root = project(tmp_path, f"{name}-slot")
    target = root / generator.target
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(THEMES / generator.snippet, target)
    site = generator.build(root)
    before = snapshot(site)
    report = tmp_path / "report.json"
    result = invoke("build", str(site), "--config", str(root / "croissant.toml"), "--report", str(report))
    assert result.exit_code == 0, result.output
    written = json.loads(report.read_text(encoding="utf-8"))
    statuses = {page["path"]: page["status"] for page in written["pages"]}
    assert {rel for rel, status in statuses.items() if status == "not-product"} == generator.other_pages
    product_pages = {rel for rel, status in statuses.items() if status == "injected"}
    assert len(product_pages) == len(generator.products) == len(statuses) - len(generator.other_pages)
    for entry in written["products"]:  # found from our attributes alone
        assert set(entry["sources"].values()) == {"attributes"}, entry
    assert held(root) == generator.products
    after = snapshot(site)
    for rel, data in after.items():
        if rel in product_pages:
            assert without_insertions(data) == before[rel], rel  # every byte outside the insertions is the generator's
            [component] = BeautifulSoup(data.decode("utf-8"), "html.parser").find_all("croissant-toggle-pdp")
            assert component.parent.name == "croissant-slot", rel
        else:
            assert data == before[rel] and b"<croissant-slot" not in data, rel
    assert invoke("build", str(site), "--config", str(root / "croissant.toml")).exit_code == 0
    assert snapshot(site) == after  # a second build changes nothing
