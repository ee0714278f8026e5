"""Variants (issue 13): each purchasable variant is its own product with its ``groupId`` and
``variantAttributes``; the page gets one component showing the default variant and a script
holding the map of variants; ``variants = "group"`` keeps one product per group.

Every page is a fixture of ``tests/corpus/variants/``, built through the CLI in a real folder,
dry run first, then synced into the embedded sandbox, then built again to show nothing changes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import Result

from croissant_embed.rewrite import CLOSE, OPEN

from .conftest import invoke, puts, sandbox_of
from .sites import snapshot, without_insertions

CORPUS = Path(__file__).resolve().parent / "corpus" / "variants"
BASE = "https://variants.example/"
_COMPONENT = re.compile(r"<croissant-toggle-pdp\b[^>]*>")
_PRODUCT_ID = re.compile(r'\bproduct-id="([^"]*)"')
_INSERTION = re.compile(re.escape(OPEN) + r" (\w+)-->(.*?)" + re.escape(CLOSE) + r" \1-->", re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def site_of(tmp_path: Path, pages: dict[str, str], settings: str = "") -> tuple[Path, Path]:
    """A site holding each fixture at ``p/<slug>/index.html``, and its croissant.toml."""
    site = tmp_path / "site"
    for slug, fixture in pages.items():
        target = site / "p" / slug / "index.html"
        target.parent.mkdir(parents=True)
        shutil.copyfile(CORPUS / fixture, target)
    config = tmp_path / "croissant.toml"
    config.write_text(f'site_dir = "site"\nbase_url = "{BASE}"\n{settings}', encoding="utf-8")
    return site, config


def build(site: Path, config: Path, *flags: str) -> tuple[Result, dict]:
    """``build SITE --report R --config C FLAGS``: the result and the report (empty when none was written)."""
    report = config.parent / "report.json"
    report.unlink(missing_ok=True)
    result = invoke("build", str(site), "--config", str(config), "--report", str(report), *flags)
    return result, (json.loads(report.read_text("utf-8")) if report.exists() else {})


def payloads(report: dict) -> dict[str, dict]:
    """Each product's payload in a report, by id."""
    return {product["id"]: product["payload"] for product in report["products"]}


def page_status(report: dict, rel: str) -> tuple[str, str]:
    """A page's status and reason in a report."""
    [page] = [page for page in report["pages"] if page["path"] == rel]
    return page["status"], page["reason"]


def held(config: Path) -> dict[str, dict]:
    """What the embedded sandbox of ``config`` holds, by product id."""
    return {pid: payload for pid, payload, _ in sandbox_of(config).products()}


def components(html: str) -> list[str]:
    """The ``product-id`` of every ``<croissant-toggle-pdp>`` of a page."""
    return [match.group(1) if (match := _PRODUCT_ID.search(tag)) else "" for tag in _COMPONENT.findall(html)]


def inserted_scripts(html: str) -> str:
    """The text of every script croissant-embed inserted into a page."""
    return "\n".join(script for _, run in _INSERTION.findall(html) for script in _SCRIPT.findall(run))


def build_page(tmp_path: Path, slug: str, fixture: str, settings: str = "") -> tuple[dict, str]:
    """One fixture page built three times: a dry run, a real run into the embedded sandbox, and a
    second real run that must change nothing. Returns the dry run's report and the injected page."""
    site, config = site_of(tmp_path, {slug: fixture}, settings)
    rel = f"p/{slug}/index.html"
    dry, planned = build(site, config, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert page_status(planned, rel)[0] == "injected"
    real, report = build(site, config)
    assert real.exit_code == 0, real.output
    assert page_status(report, rel)[0] == "injected"
    assert held(config) == payloads(planned)  # what the dry run planned is what was synced
    page = site / rel
    assert without_insertions(page.read_bytes()) == (CORPUS / fixture).read_bytes()  # every other byte as written
    before, sent = snapshot(site), puts(config)
    again, second = build(site, config)
    assert again.exit_code == 0, again.output
    assert snapshot(site) == before and puts(config) == sent
    assert {product["action"] for product in second["products"]} == {"unchanged"}
    return planned, page.read_text("utf-8")


def assert_variants(products: dict[str, dict], group: str, expected: dict[str, tuple[int, dict[str, str]]]) -> None:
    """Exactly the ``expected`` variants (id: price in cents, attributes), in USD, each tied to ``group``."""
    assert set(products) == set(expected)
    for pid, (price, attributes) in expected.items():
        payload = products[pid]
        assert (payload["retailPrice"], payload["retailCurrency"]) == (price, "USD"), pid
        assert (payload["groupId"], payload["variantAttributes"]) == (group, attributes), pid
        assert payload["name"] and payload["url"].startswith(BASE), pid


def assert_one_component(html: str, default: str, variants: dict[str, dict]) -> None:
    """One component, showing ``default``, and an inserted script that maps every variant."""
    assert components(html) == [default]
    scripts = inserted_scripts(html)
    assert all(pid in scripts for pid in variants), scripts


def test_a_jsonld_product_group_sends_each_size_as_its_own_product_priced_and_grouped(tmp_path):
    report, html = build_page(tmp_path, "cotton-tee", "jsonld-productgroup-sizes.html")
    products = payloads(report)
    assert_variants(products, "CT-100", {
        "CT-100-S": (2000, {"size": "S"}), "CT-100-M": (2500, {"size": "M"}), "CT-100-L": (3000, {"size": "L"}),
    })
    assert all(payload["url"].startswith(f"{BASE}p/cotton-tee/") for payload in products.values())
    assert_one_component(html, "CT-100-S", products)  # nothing marked: the first available size
    assert "size" in inserted_scripts(html)


def test_graph_products_that_are_variants_of_one_product_group_are_variants_not_a_listing(tmp_path):
    report, html = build_page(tmp_path, "rain-jacket", "jsonld-graph-isvariantof.html")
    products = payloads(report)
    assert_variants(products, "RJ-2", {
        "RJ-2-OLIVE": (8900, {"color": "Olive"}), "RJ-2-NAVY": (8900, {"color": "Navy"}), "RJ-2-RUST": (9500, {"color": "Rust"}),
    })
    assert products["RJ-2-OLIVE"]["available"] is False and products["RJ-2-NAVY"]["available"] is True
    assert_one_component(html, "RJ-2-NAVY", products)  # the first colour is sold out


def test_a_product_with_an_offer_per_format_sends_each_offer_sku_grouped_under_the_product_sku(tmp_path):
    report, html = build_page(tmp_path, "bread-by-hand", "jsonld-offers-formats.html")
    products = payloads(report)
    assert_variants(products, "BOOK-1", {
        "BOOK-1-PB": (1800, {"option": "Paperback"}), "BOOK-1-HC": (3200, {"option": "Hardcover"}),
        "BOOK-1-PDF": (900, {"option": "PDF"}),
    })
    assert_one_component(html, "BOOK-1-PB", products)


def test_microdata_product_group_variants_carry_their_size_and_color(tmp_path):
    report, html = build_page(tmp_path, "wool-socks", "microdata-productgroup.html")
    products = payloads(report)
    assert_variants(products, "SOCK-7", {
        "SOCK-7-M-RED": (1200, {"size": "M", "color": "Red"}),
        "SOCK-7-L-RED": (1200, {"size": "L", "color": "Red"}),
        "SOCK-7-M-GREY": (1400, {"size": "M", "color": "Grey"}),
    })
    assert_one_component(html, "SOCK-7-M-RED", products)


def test_microdata_offers_with_their_own_skus_are_one_product_each(tmp_path):
    report, html = build_page(tmp_path, "field-notebook", "microdata-offers.html")
    products = payloads(report)
    assert_variants(products, "NB-3", {
        "NB-3-POCKET": (850, {"option": "Pocket"}), "NB-3-A6": (1100, {"option": "A6"}), "NB-3-A5": (1400, {"option": "A5"}),
    })
    assert_one_component(html, "NB-3-POCKET", products)


def test_our_variant_attributes_make_each_option_a_product_and_the_marked_one_the_default(tmp_path):
    report, html = build_page(tmp_path, "organic-tee", "attributes-variants.html")
    products = payloads(report)
    assert_variants(products, "TEE", {
        "TEE-S": (2000, {"size": "S", "color": "White"}), "TEE-M": (2200, {"size": "M", "color": "White"}),
        "TEE-L": (2400, {"size": "L", "color": "White"}), "TEE-XL": (2600, {"size": "XL", "color": "White"}),
    })
    assert products["TEE-L"]["available"] is False
    assert products["TEE-XL"]["name"] == "Organic Tee (XL)"
    assert_one_component(html, "TEE-M", products)  # data-croissant-variant-default, not the first


def test_a_page_selling_a_paper_and_a_pdf_edition_is_one_product_page_carrying_both(tmp_path):
    report, html = build_page(tmp_path, "garden-almanac", "snipcart-formats.html")
    products = payloads(report)
    assert {pid: (payload["retailPrice"], payload["name"]) for pid, payload in products.items()} == {
        "almanac-paper": (2400, "The Garden Almanac (paperback)"),
        "almanac-pdf": (900, "The Garden Almanac (PDF)"),
    }
    shown = components(html)
    assert shown and set(shown) <= {"almanac-paper", "almanac-pdf"}


def test_a_snipcart_listing_whose_buttons_point_at_each_items_page_stays_a_listing(tmp_path):
    site, config = site_of(tmp_path, {"shop": "snipcart-listing.html", "mug": "snipcart-custom-options.html"})
    result, report = build(site, config, "--dry-run")
    assert result.exit_code == 0, result.output
    status, reason = page_status(report, "p/shop/index.html")
    assert status == "not-product" and reason.startswith("listing"), reason
    assert set(payloads(report)) == {"mug"}


def test_snipcart_custom_options_keep_the_buttons_one_id_at_its_base_price(tmp_path):
    report, html = build_page(tmp_path, "mug", "snipcart-custom-options.html")
    [mug] = report["products"]
    assert (mug["id"], mug["error"], mug["payload"]["retailPrice"]) == ("mug", None, 1200)
    assert "variantAttributes" not in mug["payload"]
    assert components(html) == ["mug"]


def test_variants_group_sends_a_product_group_as_one_product_at_its_lowest_price(tmp_path):
    report, html = build_page(tmp_path, "cotton-tee", "jsonld-productgroup-sizes.html", 'variants = "group"\n')
    [(pid, payload)] = payloads(report).items()
    assert (pid, payload["retailPrice"], payload["retailCurrency"]) == ("CT-100", 2000, "USD")
    assert "groupId" not in payload and "variantAttributes" not in payload
    assert components(html) == ["CT-100"]


def test_variants_each_is_the_default(tmp_path):
    site, config = site_of(tmp_path, {"cotton-tee": "jsonld-productgroup-sizes.html"})
    default, by_default = build(site, config, "--dry-run")
    config.write_text(config.read_text("utf-8") + 'variants = "each"\n', encoding="utf-8")
    each, stated = build(site, config, "--dry-run")
    assert default.exit_code == each.exit_code == 0, default.output + each.output
    assert payloads(stated) == payloads(by_default)
    assert set(payloads(stated)) == {"CT-100-S", "CT-100-M", "CT-100-L"}


def test_an_unknown_variants_setting_is_refused_naming_the_key_and_the_value(tmp_path):
    site, config = site_of(tmp_path, {"cotton-tee": "jsonld-productgroup-sizes.html"}, 'variants = "all"\n')
    result, _ = build(site, config, "--dry-run")
    assert result.exit_code == 2, result.output
    assert "variants" in result.output and "'all'" in result.output and "Traceback" not in result.output


def test_a_variant_with_a_garbled_price_is_an_invalid_product_naming_the_page_and_the_variant(tmp_path):
    site, config = site_of(tmp_path, {"hoodie": "jsonld-productgroup-bad-price.html"})
    result, report = build(site, config, "--dry-run")
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert "p/hoodie/index.html" in message and "HD-5-M" in message
    products = {product["id"]: product for product in report["products"]}
    assert (products["HD-5-M"]["action"], products["HD-5-M"]["page"]) == ("invalid", "p/hoodie/index.html")
    assert products["HD-5-M"]["error"]
    assert {"HD-5-S", "HD-5-L"} <= set(products)  # its valid siblings are still listed
    synced, _ = build(site, config)
    assert synced.exit_code == 3, synced.output
    assert puts(config) == 0  # nothing is synced while a variant is invalid
