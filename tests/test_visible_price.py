"""The price a shopper sees: which element is the current price, its currency, and where the component goes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from croissant_embed.currencies import exponent
from croissant_embed.extract import ExtractOptions, analyse_page
from croissant_embed.extract.prices import find_prices

from .conftest import invoke
from .sites import write_config, write_page

OPTIONS = ExtractOptions(base_url="https://shop.example/")


def product_page(body: str, *, price: str = "45.00", currency: str | None = "USD", name: str = "Canvas Tote", lang: str = "en", head: str = "") -> str:
    """A theme's product page: JSON-LD in the head (with or without a currency), then the body given."""
    offer = {"@type": "Offer", "price": price, **({"priceCurrency": currency} if currency else {})}
    data = json.dumps({"@context": "https://schema.org", "@type": "Product", "sku": "TOTE-1", "name": name, "offers": offer})
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{name} - Shop</title>\n{head}'
        f'<script type="application/ld+json">{data}</script>\n</head>\n<body>\n'
        f'<header class="site-header"><a href="/">Shop</a> <a href="/cart/">Cart</a></header>\n<main>\n{body}\n</main>\n'
        '<footer><p>Free shipping on orders over $100 &middot; Prices include tax</p></footer>\n</body>\n</html>\n'
    )


def analyse(text: str, options: ExtractOptions = OPTIONS):
    return analyse_page(text, "products/tote/index.html", options)


def right_after(text: str, element: str) -> int:
    """The offset just past the one occurrence of ``element`` (a snippet of the page's markup)."""
    assert text.count(element) == 1, element
    return text.index(element) + len(element)


# --- which element is the current price, and where the component goes ---------------------------


def test_the_component_follows_the_current_price_never_the_struck_one_before_it():
    body = ('<h1>Canvas Tote</h1><div class="preis"><span class="preis-alt" style="text-decoration: line-through; color:#999">'
            '24,90 €</span> <span class="preis-aktuell">18,50 €</span></div><p>Esche und Keramik.</p>')
    text = product_page(body, price="18.50", currency="EUR", lang="de-DE")
    result = analyse(text)
    assert result.status == "product" and result.pdp_at == right_after(text, '<span class="preis-aktuell">18,50 €</span>')
    assert not result.warnings


def test_a_sale_shown_as_del_and_ins_places_the_component_after_the_ins():
    body = ('<div class="summary"><h1 class="product_title">Canvas Tote</h1><p class="price"><del aria-hidden="true">'
            '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>32.00</bdi></span></del> '
            '<span class="screen-reader-text">Original price was: $32.00.</span><ins aria-hidden="true"><span class="woocommerce-Price-amount amount">'
            '<bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>24.00</bdi></span></ins>'
            '<span class="screen-reader-text">Current price is: $24.00.</span></p></div>')
    text = product_page(body, price="24.00")
    assert analyse(text).pdp_at == right_after(text, "24.00</bdi></span></ins>")


@pytest.mark.parametrize(
    ("shown", "after"),
    [
        ('<p class="sale"><span class="was text-gray-500">Was $50.00</span> <span class="now font-semibold">Now $35.00</span></p>',
         '<span class="now font-semibold">Now $35.00</span>'),
        ('<p class="product-was">Was <span class="was-price">£75</span></p><p class="product-now">£35</p>', '<p class="product-now">£35</p>'),
        ('<div class="price"><span class="price-item price-item--sale">$35.00</span> <s class="price-item price-item--regular">$50.00</s></div>',
         '<span class="price-item price-item--sale">$35.00</span>'),
        ('<div class="flex gap-3"><p class="text-2xl font-semibold">$35.00</p><p class="text-lg text-stone-400 line-through">$48.00</p></div>',
         '<p class="text-2xl font-semibold">$35.00</p>'),
    ],
    ids=["was-now-labels", "was-line-before", "compare-at-s", "tailwind-line-through"],
)
def test_former_prices_are_never_the_current_price(shown, after):
    text = product_page(f"<h1>Canvas Tote</h1>{shown}", price="35.00", currency="GBP" if "£" in shown else "USD")
    assert analyse(text).pdp_at == right_after(text, after)


def test_a_price_without_any_price_class_is_found_beside_the_title_not_among_related_products():
    body = ('<div class="grid"><div><h1 class="text-3xl font-bold">Canvas Tote</h1><div class="mt-4 flex items-baseline gap-3">'
            '<p class="text-2xl font-semibold text-stone-900">$45.00</p></div><form><button type="submit">Add to cart</button></form></div></div>'
            '<section class="mt-16"><h2>More from the studio</h2><a href="/shop/bowl/" class="group block"><h3>Bowl</h3>'
            '<p class="mt-1 text-lg">$48.00</p></a><a href="/shop/cup/" class="group block"><h3>Cup</h3><p class="mt-1 text-lg">$36.00</p></a></section>')
    text = product_page(body)
    assert analyse(text).pdp_at == right_after(text, '<p class="text-2xl font-semibold text-stone-900">$45.00</p>')


def test_a_related_product_showing_the_same_amount_is_passed_over():
    body = ('<aside class="recently-viewed"><a href="/products/mug/"><span class="price">$45.00</span> Mug</a></aside>'
            '<article><h1>Canvas Tote</h1><span class="price">$45.00</span><button>Add to cart</button></article>')
    text = product_page(body)
    assert analyse(text).pdp_at == right_after(text, '<article><h1>Canvas Tote</h1><span class="price">$45.00</span>')


def test_a_price_split_over_spans_gets_the_component_after_their_container():
    body = ('<h1>Canvas Tote</h1><div class="product-price" itemprop="offers" itemscope itemtype="http://schema.org/Offer">\n'
            '  <span class="product-price__currency">£</span>\n  <span class="product-price__amount">315</span>\n</div>')
    text = product_page(body, price="315", currency="GBP")
    assert analyse(text).pdp_at == right_after(text, '<span class="product-price__amount">315</span>\n</div>')


@pytest.mark.parametrize(
    ("shown", "after"),
    [
        ('<p class="price-range text-2xl">From $20.00</p><label>Size <select><option>8 oz — $20.00</option><option>16 oz — $25.00</option></select></label>',
         '<p class="price-range text-2xl">From $20.00</p>'),
        ('<p class="price-range">$20.00 – $30.00</p>', '<p class="price-range">$20.00 – $30.00</p>'),
    ],
    ids=["from", "range"],
)
def test_a_range_or_a_from_price_is_the_current_price_and_option_lists_are_not(shown, after):
    text = product_page(f"<h1>Canvas Tote</h1>{shown}", price="20.00")
    result = analyse(text)
    assert result.pdp_at == right_after(text, after) and not result.warnings


def test_a_price_only_in_the_buy_button_puts_the_component_after_the_button_and_code_samples_are_ignored():
    button = ('<button class="snipcart-add-item buy-button" data-item-id="mug" data-item-price="12.34" data-item-url="/products.json" '
              'data-item-name="Diner mug">Buy for 12.34$</button>')
    sample = '<pre><code class="language-html">&lt;button class=&quot;snipcart-add-item&quot; data-item-price=&quot;99&quot;&gt;Buy for 99$&lt;/button&gt;</code></pre>'
    text = ('<!DOCTYPE html><html lang="en"><head><title>Diner mug</title></head><body><main><h1>Diner mug</h1>'
            f'<div class="buy">{button}</div><h2>The markup of this button</h2>{sample}</main></body></html>')
    result = analyse(text)
    assert result.status == "product" and result.pdp_at == right_after(text, button)


def test_a_price_inside_a_link_gets_the_component_after_the_link():
    body = '<h1>Canvas Tote</h1><a class="buy-now" href="/cart/add?id=TOTE-1"><span class="price">$45.00</span> Buy now</a>'
    text = product_page(body)
    assert analyse(text).pdp_at == right_after(text, "Buy now</a>")


def test_the_price_element_of_a_theme_that_marks_the_regular_price_as_such_is_still_found():
    body = '<h1>Canvas Tote</h1><div class="price__regular"><span class="price-item price-item--regular">$45.00</span></div>'
    text = product_page(body)
    assert analyse(text).pdp_at == right_after(text, '<span class="price-item price-item--regular">$45.00</span>')


def test_markers_and_the_configured_selector_keep_priority_over_the_detected_price():
    body = '<h1>Canvas Tote</h1><p class="lead"><span class="price">$45.00</span></p><div class="buy"><button>Add</button></div>'
    text = product_page(body)
    chosen = analyse(text, ExtractOptions(base_url="https://shop.example/", placement_selector="div.buy", placement_position="after"))
    assert chosen.pdp_at == right_after(text, '<div class="buy"><button>Add</button></div>')
    marked = product_page(body + "<croissant-slot></croissant-slot>")
    assert analyse(marked).pdp_at == right_after(marked, "<croissant-slot>")


# --- the currency read off the visible price ------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "price", "currency"),
    [
        ('<span class="money" id="ProductPrice">₹ 87,341.00</span>', "87341", "INR"),
        ('<span class="money">₹1689</span>', "1689", "INR"),
        ('<span class="prix-actuel">80,00\u202f€</span>', "80.00", "EUR"),
        ('<span class="prix-actuel">1\u202f250,00\u202f€</span>', "1250.00", "EUR"),
        ('<span class="preis">18€</span>', "18", "EUR"),
        ('<div class="product__price"><span class="gia">87,500 đ</span></div>', "87500", "VND"),
        ('<div class="product-price"><span>£</span> <span>315</span></div>', "315", "GBP"),
        ('<button class="buy-button">Buy for 6 USD</button>', "6", "USD"),
    ],
)
def test_a_symbol_or_code_only_one_currency_uses_decides_when_the_data_names_none(shown, price, currency):
    result = analyse(product_page(f"<h1>Canvas Tote</h1>{shown}", price=price, currency=None, lang="en-US"))
    assert result.status == "product", result.reason
    assert (result.product.currency, result.sources["currency"]) == (currency, "visible")
    assert result.product.price == int(Decimal(price).scaleb(exponent(currency)))


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        ("en-AU", "", "AUD"),
        ("en", '<meta property="og:locale" content="en_CA">', "CAD"),
        ("fr-CA", "", "CAD"),
        ("es-MX", "", "MXN"),
        ("en-US", "", "USD"),
    ],
)
def test_a_dollar_is_settled_by_the_region_the_page_declares(lang, head, expected):
    result = analyse(product_page('<h1>Canvas Tote</h1><span class="price">$45.00</span>', currency=None, lang=lang, head=head))
    assert (result.product.currency, result.sources["currency"]) == (expected, "locale")
    assert not any("guess" in warning for warning in result.warnings)


def test_default_currency_settles_a_dollar_before_the_page_region_does():
    text = product_page('<h1>Canvas Tote</h1><span class="price">$45.00</span>', currency=None, lang="en-US")
    result = analyse(text, ExtractOptions(base_url="https://shop.example/", default_currency="NZD"))
    assert result.product.currency == "NZD" and "currency" not in result.sources


def test_a_bare_dollar_with_nothing_else_to_go_on_is_a_guessed_usd_with_a_warning():
    result = analyse(product_page('<h1>Canvas Tote</h1><span class="price">$45.00</span>', currency=None, lang="en"))
    assert (result.product.currency, result.sources["currency"]) == ("USD", "guessed")
    assert any("guess" in warning and "default_currency" in warning for warning in result.warnings)


def test_the_structured_currency_wins_over_the_symbol_shown():
    result = analyse(product_page('<h1>Canvas Tote</h1><span class="price">$45.00</span>', currency="CAD", lang="en-US"))
    assert (result.product.currency, result.sources["currency"]) == ("CAD", "json-ld")


def test_a_page_showing_no_price_keeps_reporting_the_missing_currency():
    result = analyse(product_page("<h1>Canvas Tote</h1><p>Ask us for a quote.</p>", currency=None))
    assert result.status == "invalid" and any(problem.startswith("currency:") for problem in result.problems)


# --- reading amounts out of text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("$20.00", [("20.00", "$")]),
        ("₹ 87,341.00", [("87341.00", "₹")]),
        ("80,00\u202f€", [("80.00", "€")]),
        ("1\u00a0299,00 €", [("1299.00", "€")]),
        ("1.299,00 €", [("1299.00", "€")]),
        ("£ 315", [("315", "£")]),
        ("45,000đ", [("45000", "đ")]),
        ("Buy for 12.34$", [("12.34", "$")]),
        ("Buy for 6 USD", [("6", "USD")]),
        ("$20 USD", [("20", "USD")]),
        ("Was $50.00 Now $35.00", [("50.00", "$"), ("35.00", "$")]),
        ("$18.50 – $42.00", [("18.50", "$"), ("42.00", "$")]),
        ("95,00 € 80,00 €", [("95.00", "€"), ("80.00", "€")]),
        ("Qty 1 $45", [("45", "$")]),
        ("-5 € off", []),
        ("45,000 đồng", [("45000", "đồng")]),
        ("TOP 10 gifts", []),
        ("SKU 12", []),
    ],
)
def test_amounts_shown_with_a_currency_are_read_from_text(text, shown):
    assert [(str(price.amount), price.symbol) for price in find_prices(text)] == [(Decimal(a).__str__(), s) for a, s in shown]


# --- through the build --------------------------------------------------------------------------


def test_a_build_with_no_currency_anywhere_but_the_page_reads_it_and_reports_where_from(tmp_path):
    site = tmp_path / "site"
    page = write_page(site, "products/syrup/index.html", (
        '<!doctype html>\n<html lang="en-CA">\n<head><meta charset="utf-8"><title>Maple Syrup | Northern Pantry</title></head>\n<body>\n'
        '<div class="product"><h1 class="product-name">Maple Syrup</h1>\n'
        '<p class="product-price"><span class="amount">$12.99</span> <s class="was">$15.99</s></p>\n'
        '<button class="snipcart-add-item" data-item-id="NP-101" data-item-name="Maple Syrup" data-item-price="12.99" '
        'data-item-url="/products/syrup/">Add to cart</button></div>\n</body>\n</html>\n'))
    config = write_config(tmp_path, 'base_url = "https://northern-pantry.example/"\n')
    result = invoke("build", str(site), "--config", str(config), "--sync", "never", "--report", str(tmp_path / "r.json"), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    product = next(p for p in report["products"] if p.get("id") == "NP-101" or p.get("product_id") == "NP-101")
    assert json.dumps(product).count('"CAD"') >= 1 and product["sources"]["currency"] == "locale"
    written = page.read_text()
    assert written.index("<croissant-toggle-pdp") > written.index('<span class="amount">$12.99</span>')
    assert written.index("<croissant-toggle-pdp") < written.index('<s class="was">')
