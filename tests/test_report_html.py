"""The HTML report (``build --report-html``, the preview's ``/_croissant/``): complete, self-contained, escaped, safe to write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin

import httpx
import pytest
from bs4 import BeautifulSoup

from croissant_embed.preview import REPORT_PATH, Preview
from croissant_embed.report_html import HIGHLIGHT_QUERY
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp
from croissant_embed.settings import load_settings

from .conftest import CREDENTIALS, SECRET, invoke
from .sites import JACKET, copy_sample, snapshot, write_config

GENERATOR = '<meta name="generator" content="croissant-embed-report-html">'
HOSTILE = Path(__file__).parent / "corpus" / "hostile"


def build_report(config: Path, *flags: str, env: dict[str, str] | None = None) -> tuple[int, str, BeautifulSoup, dict]:
    """``build --report-html report.html --report report.json`` from the config's folder: (exit code, output, HTML, JSON)."""
    result = invoke("build", "--config", str(config), "--report-html", "report.html", "--report", "report.json", *flags,
                    cwd=config.parent, env=env)
    html = (config.parent / "report.html").read_text(encoding="utf-8")
    data = json.loads((config.parent / "report.json").read_text(encoding="utf-8"))
    return result.exit_code, result.output, BeautifulSoup(html, "html.parser"), data


def external_references(tree: BeautifulSoup) -> list[str]:
    """Every reference the page would load or link outside itself and the site's files."""
    found = [str(tag) for tag in tree.find_all("link")]  # no stylesheet, icon or preload of any kind
    found += [str(tag) for tag in tree.find_all(src=True)]  # no script, image or frame from anywhere
    found += [tag["href"] for tag in tree.find_all(href=True) if "//" in tag["href"] or ":" in tag["href"].split("/")[0]]
    found += [str(tag) for tag in tree.find_all("style") if "url(" in tag.text or "@import" in tag.text]
    return found


def product_ids(tree: BeautifulSoup, group: str | None = None) -> list[str]:
    """The ids of the products listed by sync result (of one result)."""
    rows = tree.select(f'tr[data-row="product:{group}"]' if group else 'tr[data-row^="product:"]')
    return [row.select_one('td[data-label="product"] code').get_text() for row in rows]


def test_build_writes_one_self_contained_report_with_every_product_page_and_product(tmp_path):
    config = copy_sample(tmp_path)
    code, output, tree, data = build_report(config)
    assert code == 0, output
    report = config.parent / "report.html"
    assert GENERATOR in report.read_text(encoding="utf-8")[:512]
    assert external_references(tree) == []
    assert len(tree.find_all("script")) == 1 and len(tree.find_all("style")) == 1
    cards = {card.select_one("a.path").get_text(): card for card in tree.select('article[data-row^="page:"]')}
    shown = {page["path"]: page for page in data["pages"] if page["status"] != "not-product"}
    assert set(cards) == set(shown) and len(shown) >= 14
    for path, card in cards.items():
        assert card["data-row"] == f"page:{shown[path]['status']}"
        link = card.select_one("a.path")["href"]
        assert (report.parent / unquote(link)).resolve() == (config.parent / "public" / path).resolve()
    assert sorted(product_ids(tree)) == sorted(product["id"] for product in data["products"])
    assert sorted(product_ids(tree, "synced")) == sorted(p["id"] for p in data["products"] if p["result"] == "synced")
    [jacket] = [card for path, card in cards.items() if "fjell-shell-jacket" in path]
    fields = {row.find_all("td")[0].get_text(): [td.get_text() for td in row.find_all("td")[1:]] for row in jacket.select("table.fields tbody tr")}
    assert fields["price"] == ["retailPrice", "28900 (289.00 USD)", "json-ld"]
    assert fields["name"] == ["name", "Fjell Shell Jacket", "json-ld"]
    [thermos] = [card for path, card in cards.items() if "thermos-flask" in path]
    assert thermos["data-row"] == "page:invalid" and "no price found" in thermos.get_text()
    assert "JSON-LD was malformed" in tree.select_one('article[data-search*="expedition-tent"]').get_text()
    placements = {page["path"].split("/")[1]: page["placement"] for page in data["pages"] if page["placement"]}
    assert placements["orsted-merino-scarf"] == "the <croissant-slot> marker"
    assert placements["leather-card-holder"] == "[placement] selector '.legacy-product .cost' (after)"
    assert placements["fjell-shell-jacket"] == "after the visible price '$289.00'"
    assert "after the visible price '$289.00'" in jacket.select_one(".placement").get_text()


def test_hostile_product_names_and_ids_are_escaped_in_the_html_report(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(HOSTILE, site / "hostile")
    config = write_config(tmp_path, 'site_dir = "site"\nbase_url = "https://s.example/"\n')
    code, output, tree, data = build_report(config)
    assert code == 0, output
    assert len(tree.find_all("script")) == 1 and "alert" not in tree.find("script").get_text()
    text = tree.get_text()
    for hostile in ('"><script>alert(1)</script>', "</script><script>alert(2)</script>", 'He said "hi" & <left>',
                    "{{ config.__class__ }} {% raw %}", "../../etc/passwd?x=1#frag", "Q\"1'"):
        assert hostile in text  # shown as the text it is: escaped, never markup or template code
    assert sorted(product_ids(tree)) == sorted(product["id"] for product in data["products"])
    for card in tree.select("article"):
        assert card.select_one("a.path")["href"].startswith("site/hostile/")  # the id never makes a link


@pytest.mark.parametrize("target", ["public/products/fjell-shell-jacket/index.html", "notes.html"])
def test_report_html_never_overwrites_a_page_of_the_site_or_a_foreign_file(tmp_path, target):
    config = copy_sample(tmp_path)
    (config.parent / "notes.html").write_text("<p>my notes</p>", encoding="utf-8")
    before = snapshot(config.parent)
    result = invoke("build", "--config", str(config), "--report-html", target, cwd=config.parent)
    assert result.exit_code == 2 and "--report-html" in result.output and "never overwritten" in result.output
    assert snapshot(config.parent) == before


def test_report_html_replaces_its_own_report_and_no_other_output_takes_it(tmp_path):
    config = copy_sample(tmp_path)
    for _ in range(2):
        result = invoke("build", "--config", str(config), "--dry-run", "--report-html", "report.html", cwd=config.parent)
        assert result.exit_code == 0, result.output
    report = (config.parent / "report.html").read_text(encoding="utf-8")
    assert "dry run" in report
    for flag in ("--report", "--plan", "--prune-report"):  # "croissant-embed-report" is only a prefix of its kind
        refused = invoke("build", "--config", str(config), "--dry-run", flag, "report.html", cwd=config.parent)
        assert refused.exit_code == 2 and "never overwritten" in refused.output, flag
    assert (config.parent / "report.html").read_text(encoding="utf-8") == report


def test_a_guard_stop_still_writes_the_report_with_why_and_what_was_not_sent(tmp_path):
    config = copy_sample(tmp_path)
    code, output, tree, data = build_report(config, "--max-invalid", "0")
    assert code == 3, output
    outcome = tree.select_one("#outcome").get_text()
    assert "a guard stopped the sync" in outcome
    assert any("invalid" in li.get_text() for li in tree.select("ul.messages li"))
    assert sorted(product_ids(tree, "skipped")) == sorted(p["id"] for p in data["products"] if p["action"] != "invalid")
    assert product_ids(tree, "invalid") == ["AN-OUT-003"]


def test_failed_products_show_the_servers_message(tmp_path):
    config = copy_sample(tmp_path)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(rate_500=1.0, scope=f"PUT /v0/products/{JACKET}"))
    with BackgroundServer(app) as server:
        env = {"CROISSANT_API_URL": server.url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id,
               "CROISSANT_CLIENT_SECRET": SECRET, "CROISSANT_RETRIES": "1"}
        code, output, tree, data = build_report(config, env=env)
    assert code == 1, output
    [failed] = tree.select('tr[data-row="product:failed"]')
    [expected] = [p for p in data["products"] if p["result"] == "failed"]
    assert failed.select_one('td[data-label="product"]').get_text() == JACKET == expected["id"]
    assert failed.select_one('td[data-label="message"]').get_text() == expected["error"] and "500" in expected["error"]
    assert SECRET not in str(tree)


def test_the_preview_serves_its_report_at_croissant_with_links_to_its_own_pages(tmp_path):
    config = copy_sample(tmp_path)
    before = snapshot(config.parent / "public")
    with Preview(load_settings(config=config), port=0) as preview:
        answer = httpx.get(preview.url + REPORT_PATH)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
        assert GENERATOR in answer.text[:512]
        tree = BeautifulSoup(answer.text, "html.parser")
        assert external_references(tree) == []
        links = [card.select_one("a.path")["href"] for card in tree.select("article")]
        assert len(links) >= 14 and all(link.endswith("?" + HIGHLIGHT_QUERY) for link in links)
        for link in links:
            page = httpx.get(urljoin(preview.url + REPORT_PATH, link))
            assert page.status_code == 200, link
            assert "data-croissant-highlight" in page.text  # the outline, only on request
        plain = httpx.get(preview.url + "/products/fjell-shell-jacket/")
        assert plain.status_code == 200 and "data-croissant-highlight" not in plain.text
        assert httpx.get(preview.url + REPORT_PATH.rstrip("/")).headers["location"] == REPORT_PATH
        served = preview.out_dir
    assert snapshot(config.parent / "public") == before
    assert not [path for path in served.rglob("*") if path.is_file() and b"croissant-embed-report-html" in path.read_bytes()]
