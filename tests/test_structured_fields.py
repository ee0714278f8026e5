"""Which pages are product pages, and the product's structured fields: ids, URLs, names, prices.

Small pages in the style of real themes (issue 12): microdata whose offer is printed apart from
the product, ids only from the URL, listing and tag pages carrying one product in full, names
escaped twice, Snipcart URLs that are not pages, canonical links standing in for ``base_url``.
"""

from __future__ import annotations

import json

import pytest

from croissant_embed.extract import ExtractOptions, analyse_page

from .conftest import invoke
from .sites import write_page

BASE = ExtractOptions(base_url="https://shop.example/", default_currency="USD")
BARE = ExtractOptions()


def page(body: str, *, head: str = "", title: str = "Shop") -> str:
    """A page as a static generator writes it."""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n{head}</head>\n'
        f'<body>\n<header class="site-header"><h1 class="site-title"><a href="/">Pine &amp; Paper</a></h1></header>\n'
        f"<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def jsonld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def canonical(url: str) -> str:
    return f'<link rel="canonical" href="{url}">\n'


# ids


def test_a_product_without_any_id_takes_its_page_path_with_the_source_and_a_warning():
    body = jsonld({"@type": "Product", "name": "Brass Fountain Pen", "offers": {"price": "150.00", "priceCurrency": "USD"}})
    body += '<div class="product-body"><h3>Brass Fountain Pen</h3><div class="product-price">$150.00</div></div>'
    for rel, slug in [("products/fountain-pen/index.html", "products/fountain-pen"), ("shop/mug.html", "shop/mug")]:
        result = analyse_page(page(body), rel, BASE)
        assert result.status == "product", result.reason
        assert result.product.id == result.product_id == slug
        assert result.sources["id"] == "url"
        warning = next(w for w in result.warnings if w.startswith("id:"))
        assert slug in warning and "data-croissant-product-id" in warning


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"sku": "SKU-1", "productID": "PID-1", "mpn": "MPN-1", "gtin13": "0614141999996"}, "SKU-1"),
        ({"productID": "PID-1", "mpn": "MPN-1", "gtin13": "0614141999996"}, "PID-1"),
        ({"mpn": "MPN-1", "gtin13": "0614141999996"}, "MPN-1"),
        ({"gtin13": "0614141999996"}, "0614141999996"),
    ],
)
def test_structured_ids_are_taken_in_a_fixed_order_sku_productid_mpn_gtin(keys, expected):
    body = jsonld({"@type": "Product", "name": "Honey", **keys, "offers": {"price": "9.00", "priceCurrency": "USD"}})
    result = analyse_page(page(body + '<p class="price">$9.00</p>'), "items/honey/index.html", BASE)
    assert result.product.id == expected and result.sources["id"] == "json-ld"


def test_a_snipcart_id_comes_before_the_url_when_the_structured_data_has_none():
    body = jsonld({"@type": "Product", "name": "Diner mug", "offers": {"price": "15", "priceCurrency": "USD"}})
    body += '<p class="price">$15</p><button class="snipcart-add-item" data-item-id="mug" data-item-name="Diner mug" data-item-price="15">Buy</button>'
    result = analyse_page(page(body), "products/diner-mug/index.html", BASE)
    assert (result.product.id, result.sources["id"]) == ("mug", "snipcart")
    assert not any(w.startswith("id:") for w in result.warnings)


def test_a_related_products_button_never_lends_the_page_its_id():
    body = jsonld({"@type": "Product", "name": "Fountain Pen", "offers": {"price": "150", "priceCurrency": "USD"}})
    body += '<p class="price">$150</p><aside><button data-item-id="ink" data-item-name="Ink Bottle" data-item-price="18">Add</button></aside>'
    result = analyse_page(page(body), "products/fountain-pen/index.html", BASE)
    assert (result.product.id, result.sources["id"], result.product.price) == ("products/fountain-pen", "url", 15000)


def _capture_store(tmp_path):
    site = tmp_path / "site"
    for slug, price in [("butterdose", "29€"), ("pfeffermuehle", "54,00 €")]:
        write_page(site, f"produkte/{slug}/index.html", page(
            f'<div class="produkt"><h1>{slug.title()}</h1><div class="preis"><span class="preis-aktuell">{price}</span></div></div>'))
    write_page(site, "kategorien/kuechenhelfer/index.html", page('<h2>Küchenhelfer</h2><span class="karte-preis">18€</span>'))
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://werkstatt.example/"\ndefault_currency = "EUR"\n\n[capture]\n'
                      'name = ".produkt h1"\nprice = ".produkt .preis-aktuell"\n\n[placement]\nselector = ".preis-aktuell"\n', encoding="utf-8")
    return site, config


def test_capture_without_an_id_finds_the_product_pages_with_stable_url_ids(tmp_path):
    site, config = _capture_store(tmp_path)
    ids = []
    for run in ("first", "second"):
        report = tmp_path / f"{run}.json"
        result = invoke("build", str(site), "--config", str(config), "--sync", "never", "--report", str(report), cwd=tmp_path)
        assert result.exit_code == 0, result.output
        pages = {p["path"]: p for p in json.loads(report.read_text())["pages"]}
        assert pages["kategorien/kuechenhelfer/index.html"]["status"] == "not-product"
        ids.append(sorted(p.get("product_id") for p in pages.values() if p["status"] != "not-product"))
    assert ids[0] == ids[1] == ["produkte/butterdose", "produkte/pfeffermuehle"]


# microdata


def test_a_microdata_offer_printed_after_the_product_with_an_empty_price_first_is_read():
    body = (
        '<div class="produit" itemscope itemtype="https://schema.org/Product">'
        '<h1 itemprop="name">Coffret prestige</h1><meta itemprop="sku" content="LAV-COF-04"></div>\n'
        '<div class="produit-achat" itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<meta itemprop="price" content=""><meta itemprop="priceCurrency" content="EUR">'
        '<p class="prix"><s>95,00 €</s> <span class="prix-actuel" itemprop="price" content="80.00">80,00 €</span></p></div>'
    )
    result = analyse_page(page(body), "produits/coffret-prestige.html", BASE)
    assert result.status == "product", result.reason
    assert (result.product.id, result.product.price, result.product.currency) == ("LAV-COF-04", 8000, "EUR")
    assert result.sources["price"] == "microdata"


def test_a_microdata_offer_named_by_itemref_is_read():
    body = (
        '<div itemscope itemtype="http://schema.org/Product" itemref="käufer buybox missing"><h2 itemprop="name">Tweed Cap</h2>'
        '<meta itemprop="productID" content="TT-CAP-03"></div>\n<aside><p>Free delivery</p></aside>\n'
        '<div id="buybox" itemprop="offers" itemscope itemtype="http://schema.org/Offer">'
        '<meta itemprop="priceCurrency" content="GBP"><span class="price" itemprop="price" content="59">£59</span></div>'
    )
    result = analyse_page(page(body), "shop/flat-cap.html", BASE)
    assert (result.product.id, result.product.price, result.product.currency) == ("TT-CAP-03", 5900, "GBP")


def test_microdata_currency_content_wins_over_the_symbol_shown():
    body = (
        '<article itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Harris Tweed Jacket</h1>'
        '<meta itemprop="productID" content="TT-JKT-01"><div class="product-price" itemprop="offers" itemscope '
        'itemtype="http://schema.org/Offer"><span itemprop="priceCurrency" content="GBP">£</span> '
        '<span itemprop="price" content="315">315</span></div></article>'
    )
    result = analyse_page(page(body), "shop/harris-tweed-jacket.html", ExtractOptions(base_url="https://shop.example/", default_currency="USD"))
    assert (result.product.price, result.product.currency, result.sources["currency"]) == (31500, "GBP", "microdata")


def test_an_aggregate_offer_gives_its_low_price_in_json_ld_and_in_microdata():
    ld = jsonld({"@type": "Product", "name": "Wildflower Honey", "sku": "RB-HNY",
                 "offers": {"@type": "AggregateOffer", "lowPrice": "20.00", "highPrice": "30.00", "priceCurrency": "USD"}})
    micro = (
        '<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Wildflower Honey</h1>'
        '<meta itemprop="sku" content="RB-HNY"><div itemprop="offers" itemscope itemtype="https://schema.org/AggregateOffer">'
        '<meta itemprop="priceCurrency" content="USD"><span itemprop="lowPrice" content="20.00">From $20.00</span>'
        '<meta itemprop="highPrice" content="30.00"></div></div>'
    )
    for body in (ld, micro):
        result = analyse_page(page(body), "items/honey/index.html", BASE)
        assert (result.product.price, result.product.currency) == (2000, "USD"), result.reason


@pytest.mark.parametrize(("price", "minor"), [('"1689"', 168900), ("150.0", 15000), ("315", 31500), ('"87341"', 8734100)])
def test_json_ld_prices_as_integer_strings_one_decimal_floats_and_integers(price, minor):
    text = page('<script type="application/ld+json">{"@type":"Product","name":"Kurta","mpn":"GH-1",'
                f'"offers":{{"@type":"Offer","price":{price},"priceCurrency":"INR"}}}}</script>')
    assert analyse_page(text, "products/kurta/index.html", BASE).product.price == minor


# names


def test_names_come_from_the_data_not_the_site_title_heading_or_an_undefined_title():
    body = jsonld({"@type": "Product", "name": "Brass Fountain Pen", "offers": {"price": 150.0, "priceCurrency": "USD"}})
    body += '<div class="product-body"><h3 class="product-title">Brass Fountain Pen</h3><div class="product-price">$150.0</div></div>'
    result = analyse_page(page(body, title="undefined - Shop"), "products/fountain-pen/index.html", BASE)
    assert result.product.name == "Brass Fountain Pen"


def test_json_ld_names_escaped_twice_are_decoded():
    text = page(jsonld({"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {
        "@type": "Product", "name": "Salt &amp;amp; Pepper Mill Set", "sku": "SPK-201", "brand": {"name": "Salt &amp;amp; Co"},
        "offers": [{"@type": "Offer", "price": "35.00", "priceCurrency": "USD"}]}]}))
    product = analyse_page(text, "product/mill/index.html", BASE).product
    assert (product.name, product.brand) == ("Salt & Pepper Mill Set", "Salt & Co")


# URLs


@pytest.mark.parametrize("item_url", ["/products.json", "diner-mug", "/feed/products.xml"])
def test_a_snipcart_url_that_is_a_data_file_or_a_bare_slug_is_not_the_products_page(item_url):
    body = (f'<h1>Diner mug</h1><button class="snipcart-add-item" data-item-id="mug" data-item-price="15" '
            f'data-item-url="{item_url}" data-item-name="Diner mug">Buy for 15$</button>')
    result = analyse_page(page(body), "products/mug.html", BASE)
    assert result.status == "product", result.reason
    assert result.product.url == "https://shop.example/products/mug.html"
    assert result.sources["url"] == "page"


@pytest.mark.parametrize("head", [canonical("https://pantry.example/products/jam/"),
                                  '<meta property="og:url" content="https://pantry.example/products/jam/">\n'])
def test_without_base_url_the_canonical_link_or_og_url_gives_the_products_url(head):
    body = jsonld({"@type": "Product", "sku": "NP-104", "name": "Jam", "image": "/img/jam.jpg", "offers": {"price": "8.00", "priceCurrency": "CAD"}})
    result = analyse_page(page(body, head=head), "products/jam/index.html", BARE)
    assert result.status == "product", result.reason
    assert result.product.url == "https://pantry.example/products/jam/"
    assert result.product.image == "https://pantry.example/img/jam.jpg"


def test_a_relative_product_url_resolves_against_the_canonical_link():
    body = jsonld({"@type": "Product", "sku": "NP-104", "name": "Jam", "url": "/products/jam/", "offers": {"price": "8.00", "priceCurrency": "CAD"}})
    result = analyse_page(page(body, head=canonical("https://pantry.example/products/jam/")), "products/jam/index.html", BARE)
    assert result.product.url == "https://pantry.example/products/jam/"


def test_a_relative_canonical_link_does_not_stand_in_for_base_url():
    body = jsonld({"@type": "Product", "sku": "NP-104", "name": "Jam", "offers": {"price": "8.00", "priceCurrency": "CAD"}})
    result = analyse_page(page(body, head=canonical("/products/jam/")), "products/jam/index.html", BARE)
    assert result.status == "invalid" and any(p.startswith("url:") for p in result.problems)


def test_a_relative_snipcart_url_is_read_from_the_site_root_as_snipcart_does():
    body = ('<h1>Mug</h1><button class="snipcart-add-item" data-item-id="mug" data-item-price="15" '
            'data-item-url="products/mug/" data-item-name="Mug">Add</button><p class="price">$15</p>')
    result = analyse_page(page(body, head=canonical("https://shop.example/products/mug/")), "products/mug/index.html", BASE)
    assert result.status == "product", result.reason
    assert (result.product.url, result.sources["url"]) == ("https://shop.example/products/mug/", "snipcart")


def test_a_product_url_pointing_at_the_home_page_is_replaced_by_the_pages_own():
    body = ('<h1>Mug</h1><button class="snipcart-add-item" data-item-id="mug" data-item-price="15" data-item-url="/" '
            'data-item-name="Mug">Add</button><p class="price">$15</p>')
    result = analyse_page(page(body, head=canonical("https://shop.example/products/mug/")), "products/mug/index.html", BASE)
    assert result.status == "product", result.reason
    assert result.product.url == "https://shop.example/products/mug/"


# pages


TAG_CARD = (
    '<div class="product" itemscope itemtype="http://schema.org/Product"><h2 itemprop="name">Amber Maple Syrup</h2>'
    '<meta itemprop="sku" content="NP-101"><link itemprop="url" href="https://pantry.example/products/maple-syrup/">'
    '<p itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span class="amount" itemprop="price" content="12.99">$12.99</span>'
    '<meta itemprop="priceCurrency" content="CAD"></p>'
    '<button class="snipcart-add-item" data-item-id="NP-101" data-item-name="Amber Maple Syrup" data-item-price="12.99" '
    'data-item-url="/products/maple-syrup/">Add to cart</button></div>'
)


def test_a_tag_page_carrying_one_products_full_data_is_not_its_product_page():
    text = page('<h1 class="page-heading">Tagged “maple”</h1>' + TAG_CARD, head=canonical("https://pantry.example/tags/maple/"))
    result = analyse_page(text, "tags/maple/index.html", BARE)
    assert result.status == "not-product"
    assert "https://pantry.example/products/maple-syrup/" in result.reason


def test_the_same_markup_on_the_products_own_page_is_a_product_page():
    text = page(TAG_CARD, head=canonical("https://pantry.example/products/maple-syrup/"))
    result = analyse_page(text, "products/maple-syrup/index.html", BARE)
    assert result.status == "product", result.reason
    assert (result.product.id, result.product.url) == ("NP-101", "https://pantry.example/products/maple-syrup/")


def test_a_category_card_with_a_snipcart_button_and_a_link_to_the_product_is_not_a_product_page():
    card = ('<div class="card"><a href="/products/camp-stove/"><img src="/images/stove.jpg" alt=""></a>'
            '<h2><a href="/products/camp-stove/">Ember Stove</a></h2><p class="card-text">$64.50</p>'
            '<button class="snipcart-add-item" data-item-id="TH-4001" data-item-name="Ember Stove" data-item-price="64.50" '
            'data-item-url="https://shop.example/products/camp-stove/">Add to cart</button></div>')
    result = analyse_page(page(card), "categories/kitchen/index.html", BASE)
    assert result.status == "not-product" and "products/camp-stove/" in result.reason


def test_a_site_served_from_a_sub_folder_keeps_its_product_pages():
    body = jsonld({"@type": "Product", "sku": "P-1", "name": "Pen", "url": "https://me.github.io/shop/products/pen/",
                   "offers": {"price": "5.00", "priceCurrency": "USD"}})
    result = analyse_page(page(body + '<a href="https://me.github.io/shop/products/pen/">Pen</a>'), "products/pen/index.html",
                          ExtractOptions(base_url="https://me.github.io/", default_currency="USD"))
    assert result.status == "product", result.reason


@pytest.mark.parametrize(
    "body",
    [
        # the JSON-LD of a draft rendered without data, showing just "$"
        jsonld({"@type": "Product", "name": "", "image": "/img/.jpg", "offers": {"price": "", "priceCurrency": "USD"}})
        + '<h3 class="product-title"></h3><div class="product-price">$</div>',
        # the same in microdata
        '<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name"></h1><div itemprop="offers" itemscope '
        'itemtype="https://schema.org/Offer"><span class="price" itemprop="price" content="">$</span>'
        '<meta itemprop="priceCurrency" content="USD"></div></div>',
        # a Snipcart-less product block with nothing but its currency and picture
        jsonld({"@type": "Product", "image": "/img/.jpg", "offers": {"priceCurrency": "USD"}}) + '<p class="price">$</p>',
    ],
)
def test_an_empty_product_shell_is_not_a_product_page_and_not_invalid(body):
    result = analyse_page(page(body), "product/draft-7/index.html", BASE)
    assert result.status == "not-product", result.problems


def test_a_code_sample_of_the_buy_button_is_text_not_a_product():
    sample = ('<h2>The markup of this button</h2><pre><code class="language-html">&lt;button class=&quot;snipcart-add-item&quot;\n'
              '  data-item-id=&quot;mug&quot;\n  data-item-price=&quot;12.34&quot;\n  data-item-url=&quot;/products.json&quot;&gt;\n'
              '  Buy for 12.34$\n&lt;/button&gt;</code></pre>')
    assert analyse_page(page(sample), "docs/index.html", BASE).status == "not-product"
    product = ('<h1>Mug</h1><button class="snipcart-add-item buy-button" data-item-id="mug" data-item-price="15" '
               'data-item-name="Mug">Buy for 15$</button>')
    result = analyse_page(page(product + sample), "products/mug.html", BASE)
    assert (result.status, result.product.id, result.product.price) == ("product", "mug", 1500)


NO_ADDRESS = """<!DOCTYPE html><html><head><title>Pin</title></head><body>
<h1>Enamel pin</h1><span class="price">$12.00</span>
<button class="snipcart-add-item" data-item-id="PIN-1" data-item-name="Enamel pin" data-item-price="12.00"
 data-item-url="/products/enamel-pin/">Add to cart</button></body></html>"""


def test_a_local_build_with_no_public_address_stands_in_an_invalid_domain_and_says_so(tmp_path):
    write_page(tmp_path / "site", "products/enamel-pin/index.html", NO_ADDRESS)
    result = invoke("build", str(tmp_path / "site"), "--dry-run", "--report", str(tmp_path / "r.json"), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    [product] = report["products"]
    assert product["payload"]["url"] == "https://shop.invalid/products/enamel-pin/" and product["sources"]["url"] == "guessed"
    [page_record] = report["pages"]
    assert any("set base_url" in warning for warning in page_record["warnings"])


def test_a_sandbox_or_production_build_never_guesses_the_address(tmp_path):
    write_page(tmp_path / "site", "products/enamel-pin/index.html", NO_ADDRESS)
    env = {"CROISSANT_ENVIRONMENT": "sandbox", "CROISSANT_MERCHANT_ID": "m-1", "CROISSANT_CLIENT_ID": "id",
           "CROISSANT_CLIENT_SECRET": "secret-value", "CROISSANT_DEFAULT_CURRENCY": "USD"}
    result = invoke("build", str(tmp_path / "site"), "--dry-run", "--report", str(tmp_path / "r.json"), env=env, cwd=tmp_path)
    assert result.exit_code == 3 and "set base_url" in result.output
    [product] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["products"]
    assert product["action"] == "invalid" and product["payload"] is None
