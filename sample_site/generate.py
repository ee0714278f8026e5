"""The sample store's own generator: a home-made Jinja2 script, as many small shops have.

Run ``python sample_site/generate.py`` to rewrite ``sample_site/public/`` from the data below.
The output is committed, so the README's main command needs no generator. Each product
page uses a different way of carrying its data (the extraction sources croissant-embed
reads), the way different themes do.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import jinja2

HERE = Path(__file__).parent
PUBLIC = HERE / "public"
BASE = "https://atelier-nord.example/"

CATEGORIES = {
    "jackets": "Jackets",
    "knitwear": "Knitwear",
    "bags": "Bags",
    "outdoor": "Outdoor & accessories",
}

PRODUCTS = [
    dict(id="AN-JKT-001", slug="fjell-shell-jacket", name="Fjell Shell Jacket", price="289.00", category="jackets", style="jsonld",
         text="A three-layer shell for wet ridgelines. Taped seams, helmet-compatible hood."),
    dict(id="AN-JKT-002", slug="vinter-down-parka", name="Vinter Down Parka", price="449.00", category="jackets", style="jsonld-graph",
         text="800-fill responsibly sourced down, long cut, two-way zip.", gtin="7350001234567"),
    dict(id="AN-JKT-003", slug="regn-rain-poncho", name="Regn Rain Poncho", price="89.00", category="jackets", style="microdata",
         text="Packs into its own pocket. Covers you and a 30 L pack."),
    dict(id="AN-KNT-001", slug="strikket-genser-blabaer", name="Strikket genser – Blåbær", price="159.00", category="knitwear", style="productgroup",
         text="Hand-finished Norwegian wool jumper in bilberry blue."),
    dict(id="AN-KNT-002", slug="orsted-merino-scarf", name="Ørsted Merino Scarf", price="69.00", category="knitwear", style="microdata-slot",
         text="Extra-fine merino, 190 cm, fringed ends."),
    dict(id="AN-KNT-003", slug="cafe-cable-beanie", name="Café Cable Beanie", price="39.00", category="knitwear", style="attributes",
         text="Cable-knit lambswool beanie with a fleece band."),
    dict(id="bags/roll-top 25L", slug="roll-top-backpack", name="Roll-Top Backpack 25 L", price="179.00", category="bags", style="snipcart",
         text="Welded waterproof body, padded laptop sleeve, roll-top closure."),
    dict(id="AN-BAG-002", slug="tenugui-tote", name="手ぬぐい Tenugui Tote", price="24.00", category="bags", style="snipcart",
         text="Cotton tote printed with a tenugui pattern. Below the buyback threshold."),
    dict(id="AN-BAG-003", slug="weekender-duffel", name="Weekender Duffel", price="219.00", category="bags", style="opengraph",
         text="Waxed canvas, leather handles, fits a long weekend."),
    dict(id="AN-OUT-001", slug="wool-hiking-socks", name="Wool Hiking Socks", price="18.00", category="outdoor", style="jsonld",
         text="Cushioned merino socks. Below the buyback threshold."),
    dict(id="AN-OUT-002", slug="leather-card-holder", name="Leather Card Holder", price="49.00", category="outdoor", style="legacy",
         text="Vegetable-tanned leather, four slots. Sold from our old theme, which has no structured data."),
    dict(id="AN-OUT-003", slug="thermos-flask", name="Thermos Flask 0.75 L", price=None, category="outdoor", style="jsonld",
         text="Coming soon: price to be announced."),
    dict(id="AN-OUT-004", slug="expedition-tent-2p", name="Expedition Tent 2P", price="1299.00", category="outdoor", style="jsonld-lenient",
         text="Four-season tunnel tent for two, 2.9 kg."),
]

LAYOUT = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} · Atelier Nord</title>
  <link rel="stylesheet" href="/css/site.css">
{%- block head %}{% endblock %}
</head>
<body>
  <header class="site-header">
    <a class="brand" href="/">Atelier Nord</a>
    <nav>{% for slug, label in categories.items() %}<a href="/{{ slug }}/">{{ label }}</a> {% endfor %}<a href="/about/">About</a> <a href="/cart/">Cart</a></nav>
  </header>
  <main>
{% block main %}{% endblock %}
  </main>
  <footer class="site-footer"><p>© 2026 Atelier Nord · Tromsø · <a href="/about/">About us</a></p></footer>
</body>
</html>
"""

PRODUCT = """{% extends "layout" %}
{% block head %}
{%- if p.style == "jsonld" %}
  <script type="application/ld+json">{{ jsonld(p)|safe }}</script>
{%- elif p.style == "jsonld-graph" %}
  <script type="application/ld+json">{{ graph(p)|safe }}</script>
{%- elif p.style == "jsonld-lenient" %}
  <script type="application/ld+json">
  {"@context": "https://schema.org", "@type": "Product", "sku": "{{ p.id }}", "name": "{{ p.name }} &amp; footprint",
   "offers": {"@type": "Offer", "price": "{{ p.price }}", "priceCurrency": "USD", "availability": "https://schema.org/InStock",},}
  </script>
{%- elif p.style == "productgroup" %}
  <script type="application/ld+json">{{ group(p)|safe }}</script>
{%- elif p.style == "opengraph" %}
  <meta property="og:type" content="product">
  <meta property="og:title" content="{{ p.name }}">
  <meta property="og:url" content="{{ base }}products/{{ p.slug }}/">
  <meta property="og:image" content="{{ base }}img/{{ p.slug }}.svg">
  <meta property="product:retailer_item_id" content="{{ p.id }}">
  <meta property="product:price:amount" content="{{ p.price }}">
  <meta property="product:price:currency" content="USD">
  <meta property="product:availability" content="in stock">
{%- endif %}
{% endblock %}
{% block main %}
{%- if p.style == "legacy" %}
    <div class="legacy-product">
      <img class="hero" src="/img/{{ p.slug }}.svg" alt="">
      <h1>{{ p.name }}</h1>
      <p>Item no. <span class="sku">{{ p.id }}</span></p>
      <p class="cost">$<span class="amount">{{ p.price }}</span></p>
      <p>{{ p.text }}</p>
    </div>
{%- else %}
    <article class="product"{% if p.style.startswith("microdata") %} itemscope itemtype="https://schema.org/Product"{% endif %}{% if p.style == "attributes" %} data-croissant-product-id="{{ p.id }}" data-croissant-price="{{ p.price }}" data-croissant-currency="USD"{% endif %}>
      <img src="/img/{{ p.slug }}.svg" alt="{{ p.name }}"{% if p.style.startswith("microdata") %} itemprop="image"{% endif %}>
      <h1{% if p.style.startswith("microdata") %} itemprop="name"{% endif %}{% if p.style == "attributes" %} data-croissant-name{% endif %}>{{ p.name }}</h1>
{%- if p.style.startswith("microdata") %}
      <meta itemprop="sku" content="{{ p.id }}">
      <div itemprop="brand" itemscope itemtype="https://schema.org/Brand"><meta itemprop="name" content="Atelier Nord"></div>
{%- endif %}
      <div class="price-block"{% if p.style.startswith("microdata") %} itemprop="offers" itemscope itemtype="https://schema.org/Offer"{% endif %}>
{%- if p.style.startswith("microdata") %}
        <meta itemprop="priceCurrency" content="USD"><link itemprop="availability" href="https://schema.org/InStock">
        <span class="price" itemprop="price" content="{{ p.price }}">${{ p.price }}</span>
{%- elif p.price %}
        <span class="price">{{ money(p.price) }}</span>
{%- else %}
        <span class="price price--tba">Price to be announced</span>
{%- endif %}
      </div>
{%- if p.style == "microdata-slot" %}
      <croissant-slot></croissant-slot>
{%- endif %}
      <p class="description"{% if p.style.startswith("microdata") %} itemprop="description"{% endif %}>{{ p.text }}</p>
      <form class="add-to-cart" action="/cart/" method="get">
        <label>Quantity <input type="number" name="quantity" value="1" min="1" max="10"></label>
{%- if p.style == "snipcart" %}
        <button class="snipcart-add-item" type="button" data-item-id="{{ p.id }}" data-item-name="{{ p.name }}" data-item-price="{{ p.price }}" data-item-url="/products/{{ p.slug }}/" data-item-image="/img/{{ p.slug }}.svg">Add to cart</button>
{%- else %}
        <button type="submit" name="product" value="{{ p.id }}">Add to cart</button>
{%- endif %}
      </form>
    </article>
{%- endif %}
{% endblock %}
"""

LISTING = """{% extends "layout" %}
{% block main %}
    <h1>{{ title }}</h1>
    <ul class="product-grid">
{%- for p in items %}
      <li itemscope itemtype="https://schema.org/Product">
        <a href="/products/{{ p.slug }}/" itemprop="url"><span itemprop="name">{{ p.name }}</span></a>
        <span class="price">{{ money(p.price) if p.price else "Price to be announced" }}</span>
        <button class="snipcart-add-item" data-item-id="{{ p.id }}" data-item-name="{{ p.name }}" data-item-price="{{ p.price or '' }}" data-item-url="/products/{{ p.slug }}/">Add</button>
      </li>
{%- endfor %}
    </ul>
{% endblock %}
"""

ABOUT = """{% extends "layout" %}
{% block main %}
    <h1>About Atelier Nord</h1>
    <p>We make clothing and gear for the Arctic coast, in small batches, from Tromsø.</p>
    <p>Eligible products come with Croissant's guaranteed buyback: opt in at checkout and sell the item back later at a price shown up front.</p>
{% endblock %}
"""

CART = """{% extends "layout" %}
{% block main %}
    <h1>Checkout</h1>
    <form id="checkout" action="/checkout" method="post">
      <fieldset>
        <legend>Your order</legend>
        <label>Product
          <select name="product_id">{% for p in items if p.price %}<option value="{{ p.id }}" data-price="{{ p.price }}">{{ p.name }} · {{ money(p.price) }}</option>{% endfor %}</select>
        </label>
        <label>Quantity <input type="number" name="quantity" value="1" min="1" max="10"></label>
        <label>Email <input type="email" name="email" required></label>
      </fieldset>
      <button type="submit">Pay now</button>
    </form>
{% endblock %}
"""

REDIRECT = """<!DOCTYPE html>
<html><head><meta http-equiv="refresh" content="0; url=/products/vinter-down-parka/"><link rel="canonical" href="/products/vinter-down-parka/"></head><body></body></html>
"""

DRAFT = """{% extends "layout" %}
{% block head %}
  <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "sku": "", "name": "", "offers": {"@type": "Offer", "price": "", "priceCurrency": "USD"}}</script>
{% endblock %}
{% block main %}
    <article class="product"><h1></h1><span class="price"></span></article>
{% endblock %}
"""


def money(price: str) -> str:
    whole, _, cents = price.partition(".")
    return f"${int(whole):,}.{cents or '00'}"


def _script_safe(text: str) -> str:
    """JSON that cannot end its <script> early."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _offer(p: dict) -> dict:
    return {"@type": "Offer", "price": p["price"], "priceCurrency": "USD", "availability": "https://schema.org/InStock", "url": f"{BASE}products/{p['slug']}/"}


def _product(p: dict) -> dict:
    node = {"@context": "https://schema.org", "@type": "Product", "sku": p["id"], "name": p["name"], "description": p["text"],
            "image": f"/img/{p['slug']}.svg", "brand": {"@type": "Brand", "name": "Atelier Nord"}, "category": CATEGORIES[p["category"]]}
    if p.get("gtin"):
        node["gtin13"] = p["gtin"]
    if p["price"]:
        node["offers"] = _offer(p)
    return node


def jsonld(p: dict) -> str:
    return _script_safe(json.dumps(_product(p), ensure_ascii=False))


def graph(p: dict) -> str:
    crumbs = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": CATEGORIES[p["category"]], "item": f"{BASE}{p['category']}/"}]}
    product = _product(p)
    del product["@context"]
    return _script_safe(json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": p["name"]}, crumbs, product]}, ensure_ascii=False, indent=1))


def group(p: dict) -> str:
    variants = [{"@type": "Product", "sku": f"{p['id']}-{size}", "name": f"{p['name']} ({size})", "size": size, "offers": _offer(p)} for size in ("S", "M", "L")]
    return _script_safe(json.dumps({"@context": "https://schema.org", "@type": "ProductGroup", "productGroupID": p["id"], "name": p["name"],
                       "brand": {"@type": "Brand", "name": "Atelier Nord"}, "variesBy": ["https://schema.org/size"], "hasVariant": variants}, ensure_ascii=False))


def main() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"layout": LAYOUT, "product": PRODUCT, "listing": LISTING, "about": ABOUT, "cart": CART, "draft": DRAFT}),
                             autoescape=True, keep_trailing_newline=True)
    env.globals.update(categories=CATEGORIES, base=BASE, money=money, jsonld=jsonld, graph=graph, group=group)
    if PUBLIC.exists():
        shutil.rmtree(PUBLIC)

    def write(rel: str, text: str) -> None:
        path = PUBLIC / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    for p in PRODUCTS:
        write(f"products/{p['slug']}/index.html", env.get_template("product").render(p=p, title=p["name"]))
    for slug, label in CATEGORIES.items():
        write(f"{slug}/index.html", env.get_template("listing").render(title=label, items=[p for p in PRODUCTS if p["category"] == slug]))
    write("index.html", env.get_template("listing").render(title="New this season", items=PRODUCTS[:6]))
    write("about/index.html", env.get_template("about").render(title="About"))
    write("cart/index.html", env.get_template("cart").render(title="Checkout", items=PRODUCTS))
    write("products/draft/index.html", env.get_template("draft").render(title="Draft"))
    write("old-parka/index.html", REDIRECT)
    palette = ["#2f4858", "#33658a", "#86bbd8", "#758e4f", "#f6ae2d", "#f26419", "#8d5a97"]
    for index, p in enumerate(PRODUCTS):
        colour = palette[index % len(palette)]
        write(f"img/{p['slug']}.svg",
              f'<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300" viewBox="0 0 480 300">'
              f'<rect width="480" height="300" rx="16" fill="{colour}"/>'
              f'<text x="240" y="160" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">'
              f'{html.escape(p["name"])}</text></svg>\n')
    write("css/site.css", "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}.product img{max-width:24rem;display:block}.price{font-size:1.4rem;font-weight:600}\n"
          "nav a{margin-right:.8rem}.product-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem;list-style:none;padding:0}\n")


if __name__ == "__main__":
    main()
