"""``init`` turns a look at the built site into settings with which the next build succeeds (issue 12)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from croissant_embed.survey.jekyll import exclude_from_jekyll

from .conftest import invoke
from .sites import write_page
from .test_generators import FIXTURES, tool

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

WILD = Path(__file__).parent / "wild"
STORES = sorted(p for p in WILD.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
NO_ADDRESS = "no page states the site's public address"


def copy_store(store: Path, tmp_path: Path) -> Path:
    """The built store as a user has it: without the corpus' truth and README-written settings."""
    site = tmp_path / "site"
    shutil.copytree(store, site, ignore=shutil.ignore_patterns("truth.json", "croissant.toml"))
    return site


@pytest.mark.parametrize("store", STORES, ids=lambda p: p.name)
def test_after_init_the_build_exits_0_on_every_wild_store(store, tmp_path):
    copy_store(store, tmp_path)
    init = invoke("init", "site", cwd=tmp_path)
    assert init.exit_code == 0, init.output
    if NO_ADDRESS in init.output:  # no page holds it: the user answers init with the shop's address
        address = tomllib.loads((store / "croissant.toml").read_text(encoding="utf-8"))["base_url"]
        init = invoke("init", "site", "--force", "--base-url", address, cwd=tmp_path)
        assert init.exit_code == 0 and NO_ADDRESS not in init.output, init.output
    assert "still invalid" not in init.output and "still unplaced" not in init.output, init.output
    build = invoke("build", "--report", str(tmp_path / "report.json"), cwd=tmp_path)
    assert build.exit_code == 0, init.output + build.output
    truth = json.loads((store / "truth.json").read_text(encoding="utf-8"))
    statuses = {page["path"]: page["status"] for page in json.loads((tmp_path / "report.json").read_text())["pages"]}
    assert {entry["page"]: statuses[entry["page"]] for entry in truth["products"]} == {
        entry["page"]: "injected" for entry in truth["products"]}


def cost_page(sku: str, name: str, price: str) -> str:
    """A theme that shows the amount alone ("45.00") and says the currency elsewhere."""
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>' + name + "</title>\n"
        f'<link rel="canonical" href="https://vasen.example/{sku.lower()}/">\n'
        f'<script type="application/ld+json">{{"@type":"Product","sku":"{sku}","name":"{name}",'
        f'"offers":{{"price":"{price}","priceCurrency":"EUR"}}}}</script>\n</head>\n<body>\n'
        f'<main class="item">\n  <h1 class="item-name">{name}</h1>\n'
        f'  <div class="item-cost"><span class="cost">{price}</span> <small>Euro inkl. MwSt.</small></div>\n'
        '  <button class="buy">In den Warenkorb</button>\n</main>\n</body>\n</html>\n'
    )


def test_init_sets_the_placement_selector_where_the_price_is_shown_when_pages_would_be_unplaced(tmp_path):
    site = tmp_path / "site"
    for sku, name, price in (("V-1", "Vase", "45.00"), ("B-2", "Bowl", "19.50"), ("J-3", "Jug", "32.00")):
        write_page(site, f"{sku.lower()}/index.html", cost_page(sku, name, price))
    before = invoke("build", str(site), "--dry-run", cwd=tmp_path)
    assert before.exit_code == 3 and "3 product pages got no component" in before.output  # what init is for
    init = invoke("init", "site", cwd=tmp_path)
    assert init.exit_code == 0, init.output
    assert "[placement] selector = '.cost': 3 product pages had no place" in init.output
    config = tomllib.loads((tmp_path / "croissant.toml").read_text(encoding="utf-8"))
    assert config["placement"] == {"selector": ".cost", "position": "after"}
    assert config["base_url"] == "https://vasen.example/" and config["default_currency"] == "EUR"
    build = invoke("build", cwd=tmp_path)
    assert build.exit_code == 0, build.output
    tree = BeautifulSoup((site / "b-2" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert tree.find("croissant-toggle-pdp").find_previous_sibling() is tree.select_one(".cost")


def test_init_names_the_product_pages_that_will_still_be_invalid_and_why(tmp_path):
    site = tmp_path / "site"
    write_page(site, "v-1/index.html", cost_page("V-1", "Vase", "45.00"))
    write_page(site, "b-2/index.html", cost_page("B-2", "Bowl", "on request"))
    init = invoke("init", "site", cwd=tmp_path)
    assert init.exit_code == 0, init.output
    assert "still invalid: b-2/index.html: price: 'on request' is not a price" in init.output
    assert "v-1/index.html" not in init.output


def test_init_leaves_a_currency_guessed_from_a_bare_dollar_for_the_user_to_confirm(tmp_path):
    site = tmp_path / "site"
    for index, price in enumerate(("12.00", "15.00")):
        write_page(site, f"p{index}/index.html", (
            '<!DOCTYPE html>\n<html>\n<head>\n<title>Mug</title>\n'
            f'<link rel="canonical" href="https://mugs.example/p{index}/">\n'
            f'<script type="application/ld+json">{{"@type":"Product","sku":"M-{index}","name":"Mug {index}",'
            f'"offers":{{"price":"{price}"}}}}</script>\n</head>\n<body>\n<h1>Mug {index}</h1>\n'
            f'<p class="price">${price}</p>\n</body>\n</html>\n'))
    init = invoke("init", "site", cwd=tmp_path)
    assert init.exit_code == 0, init.output
    assert "the prices show a bare '$': builds read it as USD; set default_currency" in init.output
    text = (tmp_path / "croissant.toml").read_text(encoding="utf-8")
    assert '# default_currency = "USD"' in text and "default_currency" not in tomllib.loads(text)
    assert invoke("build", "--dry-run", cwd=tmp_path).exit_code == 0  # a local build only warns


def jekyll_project(tmp_path: Path, config: str) -> Path:
    """The Jekyll fixture's sources with ``config`` as its _config.yml."""
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "jekyll", root, ignore=shutil.ignore_patterns("croissant.toml"))
    (root / "_config.yml").write_text(config, encoding="utf-8")
    return root


PLAIN_CONFIG = ('title: Jekyll shop\nurl: "https://jekyll-shop.example"\ncurrency: USD\ncollections:\n  products:\n'
                "    output: true\n    permalink: /products/:name/\nexclude:\n  - Gemfile\n  - README.md\n")


def test_init_in_a_jekyll_project_excludes_croissant_toml_so_jekyll_never_publishes_it(tmp_path):
    jekyll = tool("jekyll")
    root = jekyll_project(tmp_path, PLAIN_CONFIG)
    subprocess.run([jekyll, "build", "--quiet"], cwd=root, check=True, capture_output=True)
    init = invoke("init", cwd=root)
    assert init.exit_code == 0, init.output
    assert "added croissant.toml to exclude in _config.yml" in init.output
    text = (root / "_config.yml").read_text(encoding="utf-8")
    assert text == PLAIN_CONFIG + "  - croissant.toml\n"  # one line added, nothing else touched
    subprocess.run([jekyll, "build", "--quiet"], cwd=root, check=True, capture_output=True)
    assert (root / "croissant.toml").is_file() and not (root / "_site" / "croissant.toml").exists()
    build = invoke("build", cwd=root)
    assert build.exit_code == 0, build.output


def test_init_in_a_jekyll_project_not_built_yet_excludes_its_config_and_says_to_build_first(tmp_path):
    root = jekyll_project(tmp_path, "title: Shop\n")
    init = invoke("init", cwd=root)
    assert init.exit_code == 0, init.output
    assert "not built yet" in init.output and "added croissant.toml to exclude" in init.output
    assert (root / "_config.yml").read_text(encoding="utf-8") == "title: Shop\nexclude:\n  - croissant.toml\n"
    assert '# site_dir = "_site"' in (root / "croissant.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("config", [
    "title: x\n",
    "title: x",
    "exclude:\n  - Gemfile   # gems\n\n  # vendored\n  - 'vendor/'\nbaseurl: ''\n",
    "exclude:\n- Gemfile\n- README.md\ntitle: x\n",
    "exclude: [Gemfile, README.md]  # kept out\ntitle: x\n",
    "exclude: []\n",
    "exclude:\ntitle: x\n",
    "title: x\r\nexclude:\r\n  - a\r\n",
    "exclude:\n  - croissant.toml\n",
    "exclude: ['croissant.toml', b]\n",
], ids=["none", "no-final-newline", "block-with-comments", "unindented-block", "flow", "empty-flow", "null", "crlf",
        "present", "present-quoted"])
def test_a_plain_jekyll_exclude_list_gets_croissant_toml_and_keeps_everything_else(tmp_path, config):
    (tmp_path / "_config.yml").write_bytes(config.encode("utf-8"))
    done = exclude_from_jekyll(tmp_path)
    assert done is not None and done.excluded, done
    after = (tmp_path / "_config.yml").read_bytes().decode("utf-8")
    before, edited = yaml.safe_load(config) or {}, yaml.safe_load(after)
    assert {k: v for k, v in edited.items() if k != "exclude"} == {k: v for k, v in before.items() if k != "exclude"}
    kept = [item for item in before.get("exclude") or [] if item != "croissant.toml"]
    assert edited["exclude"] == kept + ["croissant.toml"] or edited["exclude"] == before["exclude"]
    assert len(after.splitlines()) - len(config.splitlines()) <= 2  # a minimal edit


@pytest.mark.parametrize("config", [
    "exclude: &skip\n  - a\n",
    "exclude:\n  - a: b\n",
    "exclude:\n  a: 1\n",
    "exclude: [a,\n  b]\n",
    "exclude: Gemfile\n",
    "exclude:\n  - a\nexclude:\n  - b\n",
    "title: x\n---\nexclude: [a]\n",
])
def test_a_jekyll_exclude_that_is_not_a_plain_list_is_left_alone_with_how_to_do_it(tmp_path, config):
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    done = exclude_from_jekyll(tmp_path)
    assert done is not None and not done.excluded
    assert "add croissant.toml to exclude in _config.yml" in done.message and "    - croissant.toml" in done.message
    assert (tmp_path / "_config.yml").read_text(encoding="utf-8") == config
