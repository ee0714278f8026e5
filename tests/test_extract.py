"""Extraction from each source, and pages that only look like products."""

from __future__ import annotations

import pytest

from croissant_embed.extract import ExtractOptions, analyse_page

OPTIONS = ExtractOptions(base_url="https://shop.example/sub/", default_currency="USD")


def page(head: str = "", body: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def analyse(text: str, options: ExtractOptions = OPTIONS, rel: str = "p/x/index.html"):
    return analyse_page(text, rel, options)


def test_our_attributes_come_first_and_remember_their_source():
    text = page(
        '<script type="application/ld+json">{"@type":"Product","sku":"ATTR-1","name":"From LD","offers":{"price":"5.00","priceCurrency":"EUR"}}</script>',
        '<div data-croissant-product-id="ATTR-1" data-croissant-price="12.50"><h1 data-croissant-name>  Attr  name </h1><span class="price">12,50 EUR</span></div>',
    )
    result = analyse(text)
    assert result.status == "product"
    assert (result.product.id, result.product.name, result.product.price) == ("ATTR-1", "Attr name", 1250)
    assert result.product.currency == "EUR"  # the attributes named no currency: JSON-LD's is next
    assert result.sources["id"] == "attributes" and result.sources["currency"] == "json-ld"


def test_another_products_data_never_fills_in_missing_fields():
    text = page(
        '<script type="application/ld+json">{"@type":"Product","sku":"OTHER","name":"Other","offers":{"price":"5.00","priceCurrency":"EUR"}}</script>',
        '<div data-croissant-product-id="ATTR-1" data-croissant-price="12.50" data-croissant-name="Mine"></div>',
    )
    product = analyse(text).product
    assert (product.id, product.currency) == ("ATTR-1", "USD")  # the configured default, not OTHER's EUR
    assert "currency" not in product.sources


def test_jsonld_graph_with_brand_gtin_and_availability():
    text = page('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},'
                '{"@type":"Product","sku":"G-1","name":"Graph","gtin13":"123","brand":{"@type":"Brand","name":"B"},'
                '"image":["img/a.jpg"],"offers":[{"@type":"Offer","price":19.9,"priceCurrency":"usd",'
                '"availability":"https://schema.org/OutOfStock"}]}]}</script>', '<p class="price">$19.90</p>')
    product = analyse(text).product
    assert (product.id, product.price, product.currency, product.gtin, product.brand, product.available) == ("G-1", 1990, "USD", "123", "B", False)
    assert product.image == "https://shop.example/sub/p/x/img/a.jpg"
    assert product.url == "https://shop.example/sub/p/x/"


def test_several_jsonld_blocks_and_a_product_group():
    text = page('<script type="application/ld+json">{"@type":"Organization","name":"Shop"}</script>'
                '<script type="application/ld+json">{"@type":"ProductGroup","productGroupID":"PG","name":"Group",'
                '"hasVariant":[{"@type":"Product","sku":"PG-S","offers":{"price":"30","priceCurrency":"GBP"}}]}</script>',
                '<span class="price">£30</span>')
    product = analyse(text).product
    assert (product.id, product.price, product.currency) == ("PG", 3000, "GBP")


def test_lenient_jsonld_is_read_with_a_warning():
    text = page('<script type="application/ld+json">{"@type":"Product","sku":"L","name":"A &amp; B",'
                '"offers":{"price":"10","priceCurrency":"USD",},}</script>', '<b class="price">$10</b>')
    result = analyse(text)
    assert result.product.name == "A & B"
    assert any("leniently" in w for w in result.warnings)


def test_broken_jsonld_is_skipped_with_a_warning_naming_the_problem():
    result = analyse(page('<script type="application/ld+json">{"@type": "Product", </script>'))
    assert result.status == "not-product"
    assert any("not valid JSON" in w for w in result.warnings)


def test_microdata_product_with_nested_offer():
    text = page(body='<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Micro</h1>'
                     '<meta itemprop="sku" content="M-1"><div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
                     '<meta itemprop="priceCurrency" content="SEK"><span class="price" itemprop="price" content="1299.00">1 299 kr</span>'
                     '</div></div>')
    result = analyse(text)
    assert (result.product.id, result.product.name, result.product.price, result.product.currency) == ("M-1", "Micro", 129900, "SEK")
    assert result.sources["price"] == "microdata"


def test_opengraph_product_tags():
    head = ('<meta property="og:type" content="product"><meta property="og:title" content="OG thing">'
            '<meta property="product:retailer_item_id" content="OG-1"><meta property="product:price:amount" content="45.00">'
            '<meta property="product:price:currency" content="CAD"><meta property="og:url" content="https://shop.example/og/">')
    result = analyse(page(head, '<span class="price">$45.00</span>'))
    assert (result.product.id, result.product.price, result.product.currency, result.product.url) == ("OG-1", 4500, "CAD", "https://shop.example/og/")


def test_opengraph_without_product_type_is_not_a_product():
    head = '<meta property="og:type" content="article"><meta property="product:price:amount" content="45.00">'
    assert analyse(page(head)).status == "not-product"


def test_snipcart_button_and_its_multi_currency_price():
    body = ('<span class="price">€25</span><button class="snipcart-add-item" data-item-id="S-1" data-item-name="Snip" '
            'data-item-price=\'{"usd": 30, "eur": 25}\' data-item-url="/s/">Buy</button>')
    result = analyse(page(body=body), ExtractOptions(base_url="https://shop.example/", default_currency="EUR"))
    assert (result.product.id, result.product.price, result.product.currency, result.product.url) == ("S-1", 2500, "EUR", "https://shop.example/s/")


def test_css_capture_for_themes_without_structured_data():
    body = '<div class="p"><img class="hero" src="/i.jpg"><h1>Cap</h1><span class="sku">C-1</span><span class="amount">1.299,00</span></div>'
    options = ExtractOptions(base_url="https://shop.example/", capture=(("currency", "literal:EUR"), ("id", ".p .sku"), ("image", "img.hero[src]"), ("name", ".p h1"), ("price", ".amount")))
    result = analyse(page(body=body), options)
    assert (result.product.id, result.product.price, result.product.currency, result.product.image) == ("C-1", 129900, "EUR", "https://shop.example/i.jpg")
    assert set(result.sources.values()) == {"capture", "page"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (page(body="".join(f'<button data-item-id="L{i}" data-item-price="5">x</button>' for i in range(3))), "listing: 3 products"),
        (page('<meta http-equiv="refresh" content="0; url=/x/">'), "redirect stub"),
        ('<div class="price">$5</div><button data-item-id="F" data-item-price="5">x</button>', "fragment without a document"),
        (page('<script type="application/ld+json">{"@type":"Product","sku":"","name":"","offers":{"price":""}}</script>'), "template with an empty price"),
        (page('<script type="application/ld+json">{"@type":"Product","sku":"{{ .Params.sku }}","name":"x","offers":{"price":"1"}}</script>'), "unrendered template"),
        (page(body="<p>About us</p>"), "no product data"),
        (page(body='<body data-croissant-ignore><div data-croissant-product-id="x" data-croissant-price="1"></div>'), "opted out"),
    ],
)
def test_pages_that_only_look_like_products_are_not_product_pages(text, reason):
    result = analyse(text)
    assert result.status == "not-product"
    assert reason in result.reason


def test_related_products_do_not_turn_a_product_page_into_a_listing():
    text = page('<script type="application/ld+json">{"@type":"Product","sku":"MAIN","name":"Main","offers":{"price":"9","priceCurrency":"USD"}}</script>',
                '<span class="price">$9.00</span>' + "".join(f'<button data-item-id="R{i}" data-item-price="5">x</button>' for i in range(4)))
    result = analyse(text)
    assert result.status == "product" and result.product.id == "MAIN"


def test_invalid_product_names_each_problem_and_its_fix():
    text = page(body='<div data-croissant-product-id="BAD" data-croissant-price="Free" data-croissant-currency="XYZ"></div>')
    result = analyse(text, ExtractOptions())
    assert result.status == "invalid" and result.product_id == "BAD"
    joined = " | ".join(result.problems)
    assert "name:" in joined and "currency:" in joined and "url:" in joined and "base_url" in joined


def test_visible_price_disagreeing_with_the_data_is_a_warning():
    text = page(body='<div data-croissant-product-id="W" data-croissant-price="10.00" data-croissant-name="W"><span class="price">$12.00</span></div>')
    result = analyse(text)
    assert any("$12.00" in w and "10.00 USD" in w for w in result.warnings)


def test_placement_prefers_the_marker_then_the_selector_then_the_price():
    body = '<div class="buy"><span class="price">$5.00</span></div><div data-croissant-product-id="P" data-croissant-price="5" data-croissant-name="P"></div>'
    by_price = analyse(page(body=body))
    assert by_price.pdp_at == page(body=body).index("</span>") + len("</span>")
    with_selector = analyse(page(body=body), ExtractOptions(base_url="https://s.example/", default_currency="USD", placement_selector="div.buy", placement_position="before"))
    assert with_selector.pdp_at == page(body=body).index('<div class="buy">')
    marked = page(body=body + "<croissant-slot></croissant-slot>")
    assert analyse(marked).pdp_at == marked.index("<croissant-slot>") + len("<croissant-slot>")


def test_markup_inside_comments_and_scripts_is_ignored():
    body = ('<!-- <div data-croissant-product-id="COMMENTED" data-croissant-price="1"></div> -->'
            '<script>var x = \'<div data-item-id="SCRIPTED" data-item-price="1">\';</script><p>nothing</p>')
    assert analyse(page(body=body)).status == "not-product"
