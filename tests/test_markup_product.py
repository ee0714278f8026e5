"""The last resort: product pages with no data at all, told by their title, price and one add-to-cart button."""

from __future__ import annotations

import json

from croissant_embed.extract import ExtractOptions, analyse_page
from croissant_embed.extract.markup_product import WARNING

from .conftest import invoke
from .sites import write_config, write_page

OPTIONS = ExtractOptions(base_url="https://shop.example/")


def page(body: str, *, title: str = "Shop", lang: str = "en-US") -> str:
    """A theme's page with no structured data: a header with the cart link, the body given, a footer."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        '<link rel="stylesheet" href="/css/style.css">\n</head>\n<body>\n'
        '<header class="site-header"><a class="logo" href="/"><img src="/logo.svg" alt="Shop"></a>'
        '<nav><a href="/shop/">Shop</a> <a href="/cart/">Cart</a></nav></header>\n'
        f'<main>\n{body}\n</main>\n<footer><p>Free shipping on orders over 50 &middot; Prices include VAT</p></footer>\n'
        '<script src="/js/cart.js"></script>\n</body>\n</html>\n'
    )


def right_after(text: str, element: str) -> int:
    assert text.count(element) == 1, element
    return text.index(element) + len(element)


WERKSTATT = (
    '<div class="pfad"><a href="/">Start</a> &raquo; <a href="/kategorien/kuechenhelfer/">Küchenhelfer</a> &raquo; Butterdose</div>\n'
    '<div class="produkt"><div class="bild"><img src="/img/butterdose.jpg" alt="Butterdose mit Deckel"></div>\n'
    '<div class="info"><h1>Butterdose mit Deckel</h1>\n'
    '<div class="preis"><span class="preis-alt" style="text-decoration: line-through">34€</span> <span class="preis-aktuell">29€</span></div>\n'
    '<p class="steuer">inkl. 19 % MwSt., zzgl. Versand</p><p>Esche und Keramik, für 250 g Butter.</p>\n'
    '<form action="/warenkorb/" method="post"><input type="hidden" name="artikel" value="butterdose">\n'
    '<label for="menge">Menge</label><input id="menge" type="number" name="menge" value="1" min="1">\n'
    '<button type="submit" class="knopf">In den Warenkorb</button></form></div></div>\n'
    '<h3 class="aehnlich">Das könnte Ihnen auch gefallen</h3>\n<div class="raster">\n'
    '<div class="karte"><a href="/produkte/brett/"><img src="/img/brett.jpg" alt=""></a>'
    '<h2><a href="/produkte/brett/">Schneidebrett Eiche</a></h2><span class="karte-preis">39,90 €</span></div>\n'
    '<div class="karte"><a href="/produkte/loeffel/"><img src="/img/loeffel.jpg" alt=""></a>'
    '<h2><a href="/produkte/loeffel/">Kochlöffel-Set</a></h2><span class="karte-preis">18€</span></div>\n</div>'
)


def test_a_german_theme_with_no_data_is_read_from_its_title_price_and_cart_form():
    text = page(WERKSTATT, title="Butterdose mit Deckel – Werkstatt Holz", lang="de-DE")
    result = analyse_page(text, "produkte/butterdose/index.html", OPTIONS)
    assert result.status == "product", result.reason
    product = result.product
    assert (product.id, product.name, product.price, product.currency) == ("produkte/butterdose", "Butterdose mit Deckel", 2900, "EUR")
    assert result.sources == {"id": "url", "name": "visible", "price": "visible", "currency": "visible", "url": "page"}
    assert WARNING in result.warnings
    assert result.pdp_at == right_after(text, '<span class="preis-aktuell">29€</span>')


def test_an_english_tailwind_page_with_a_script_button_and_quick_adds_on_related_cards_is_a_product():
    body = (
        '<section class="mx-auto max-w-7xl px-4"><div class="grid grid-cols-1 gap-8 lg:grid-cols-2">'
        '<img class="rounded-lg" src="/img/tote.jpg" alt="Canvas Tote">'
        '<div class="flex flex-col gap-4"><h1 class="text-3xl font-bold tracking-tight text-gray-900">Canvas Tote</h1>'
        '<p class="text-2xl text-gray-900"><span class="text-gray-500 line-through">$60.00</span> <span class="font-semibold">$48.00</span></p>'
        '<p class="text-base text-gray-600">Heavy cotton canvas with leather handles.</p>'
        '<button type="button" class="mt-6 rounded-md bg-indigo-600 px-8 py-3 text-white" data-cart-add>Add to bag</button>'
        '</div></div></section>\n'
        '<section class="mt-16"><h2 class="text-xl font-bold">Customers also bought</h2><div class="grid grid-cols-4 gap-6">'
        '<div class="group relative"><h3 class="text-sm"><a href="/products/mug/">Enamel Mug</a></h3><p class="text-sm">$18.00</p>'
        '<button type="button" class="text-xs">Add to cart</button></div>'
        '</div></section>'
    )
    text = page(body, title="Canvas Tote | Shop")
    result = analyse_page(text, "products/canvas-tote.html", OPTIONS)
    assert result.status == "product", result.reason
    assert (result.product.id, result.product.name, result.product.price, result.product.currency) == ("products/canvas-tote", "Canvas Tote", 4800, "USD")
    assert result.pdp_at == right_after(text, '<span class="font-semibold">$48.00</span>')


def test_a_french_page_with_a_submit_input_and_a_narrow_space_before_the_euro_is_a_product():
    body = (
        '<article class="fiche-produit"><h1 class="titre">Savon à la lavande</h1>'
        '<p class="prix">6,50\u202f€ <small>TTC</small></p><p>Savon saponifié à froid, 100 g.</p>'
        '<form class="ajout" action="/panier/ajouter" method="post"><input type="hidden" name="ref" value="savon">'
        '<input type="submit" class="bouton" value="Ajouter au panier"></form></article>'
    )
    text = page(body, title="Savon à la lavande", lang="fr-FR")
    result = analyse_page(text, "boutique/savon/index.html", OPTIONS)
    assert result.status == "product", result.reason
    assert (result.product.name, result.product.price, result.product.currency) == ("Savon à la lavande", 650, "EUR")


def test_related_cards_each_with_a_quick_add_button_leave_the_page_a_product():
    cards = "".join(
        f'<div class="col-6 col-md-3"><div class="card h-100"><a href="/products/{slug}/"><img class="card-img-top" src="/img/{slug}.jpg" alt=""></a>'
        f'<div class="card-body"><p class="card-text">{name}</p><p class="fw-bold">{price}</p>'
        '<button class="btn btn-sm btn-outline-dark">Add to cart</button></div></div></div>'
        for slug, name, price in (("mug", "Enamel Mug", "$18.00"), ("apron", "Linen Apron", "$32.00"))
    )
    body = (
        '<div class="container"><div class="row"><div class="col-md-6"><img class="img-fluid" src="/img/tote.jpg" alt=""></div>'
        '<div class="col-md-6"><h1 class="display-6">Canvas Tote</h1><p class="lead">$48.00</p>'
        '<form action="/cart/add" method="post"><input type="number" name="quantity" value="1" class="form-control">'
        '<button type="submit" class="btn btn-dark">Add to cart</button></form></div></div>'
        f'<h2 class="h4 mt-5">You may also like</h2><div class="row g-4">{cards}</div></div>'
    )
    text = page(body)
    result = analyse_page(text, "products/tote/index.html", OPTIONS)
    assert result.status == "product", result.reason
    assert (result.product.name, result.product.price) == ("Canvas Tote", 4800)
    assert result.pdp_at == right_after(text, '<p class="lead">$48.00</p>')


def test_a_build_with_no_configuration_finds_the_page_and_places_the_component(tmp_path):
    site = tmp_path / "site"
    written = write_page(site, "produkte/butterdose/index.html", page(WERKSTATT, lang="de-DE"))
    config = write_config(tmp_path, 'base_url = "https://werkstatt.example/"\n')
    result = invoke("build", str(site), "--config", str(config), "--sync", "never", "--report", str(tmp_path / "r.json"), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.dumps(json.loads((tmp_path / "r.json").read_text()))
    assert "produkte/butterdose" in report and "read from its visible markup" in report
    text = written.read_text()
    assert text.index('<span class="preis-aktuell">29€</span>') < text.index("<croissant-toggle-pdp") < text.index('<p class="steuer">')


# --- pages that must stay without a product ----------------------------------------------------


def not_product(body: str, rel_path: str = "pages/page/index.html") -> str:
    result = analyse_page(page(body), rel_path, OPTIONS)
    assert result.status == "not-product", result
    return result.reason


def test_a_cart_page_whose_form_posts_to_itself_is_not_a_product():
    body = (
        '<h1>Your cart</h1><form action="/cart/" method="post"><table class="cart"><tr><td>Canvas Tote</td>'
        '<td><input type="number" name="qty" value="1"></td><td class="line-price">$48.00</td></tr></table>'
        '<p>Subtotal: <span class="subtotal">$48.00</span></p>'
        '<button type="submit" name="update">Update cart</button> <button type="submit" name="checkout">Buy now</button></form>'
    )
    assert not_product(body, "cart/index.html") == "no product data"


def test_a_category_page_with_a_button_on_each_card_is_not_a_product():
    cards = "".join(
        f'<li class="card"><img src="/img/{slug}.jpg" alt=""><h2 class="card-title"><a href="/products/{slug}/">{name}</a></h2>'
        f'<span class="price">{price}</span><form action="/cart/add" method="post"><button>Add to cart</button></form></li>'
        for slug, name, price in (("tote", "Canvas Tote", "$48.00"), ("mug", "Enamel Mug", "$18.00"), ("apron", "Apron", "$32.00"))
    )
    assert not_product(f'<h1>Kitchen</h1><ul class="grid">{cards}</ul>', "category/kitchen/index.html") == "no product data"


def test_a_tag_page_showing_one_product_card_with_its_button_is_not_a_product():
    body = ('<h1>Tagged “linen”</h1><div class="cards"><div class="card"><h3><a href="/products/apron/">Linen Apron</a></h3>'
            '<span class="price">$32.00</span><button class="btn btn-primary">Add to cart</button></div></div>')
    assert not_product(body, "tags/linen/index.html") == "no product data"


def test_a_blog_post_mentioning_a_price_with_no_buy_button_is_not_a_product():
    body = ('<article><h1>How we glaze our mugs</h1><p class="meta">March 3</p>'
            '<p>Each mug takes three firings, which is why it costs $35 rather than the $12 of a factory mug.</p>'
            '<p>Want one? <a href="/products/mug/">See the mug</a>.</p></article>')
    assert not_product(body, "blog/glazing/index.html") == "no product data"


def test_a_contact_page_with_a_form_is_not_a_product():
    body = ('<h1>Contact us</h1><p>Orders over $50 ship free.</p><form action="/contact/send" method="post">'
            '<input name="email" type="email"><textarea name="message"></textarea><button type="submit">Send message</button></form>')
    assert not_product(body, "contact/index.html") == "no product data"


def test_a_page_with_two_h1s_is_not_read_as_a_product():
    body = WERKSTATT.replace('<div class="pfad">', '<h1 class="site-name">Werkstatt Holz</h1><div class="pfad">', 1)
    assert not_product(body, "produkte/butterdose/index.html") == "no product data"


def test_a_page_with_two_separate_buy_buttons_is_not_a_product():
    body = WERKSTATT.replace('</div></div>\n<h3', '<div class="bundle"><p>Bundle: <span>45€</span></p><button class="knopf">In den Warenkorb</button></div></div></div>\n<h3', 1)
    assert not_product(body, "produkte/butterdose/index.html") == "no product data"
