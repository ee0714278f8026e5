"""Pine & Paper: an Eleventy starter with rough edges: "undefined - Shop" titles, no product h1."""

from __future__ import annotations

import json

from .common import Store, esc, slug_of

# slug, name, price as the YAML front matter holds it (so the template prints it as is), cents, heading tag, blurb
PRODUCTS = [
    ("fountain-pen", "Brass Fountain Pen", 150.0, 15000, "h3", "Solid brass body, steel fine nib, takes standard cartridges."),
    ("notebook-a5", "A5 Dot Grid Notebook", 24.5, 2450, "h3", "Lay-flat binding, 160 pages of 100 g Tomoe River paper."),
    ("ink-bottle", "Iron Gall Ink, 50 ml", 18, 1800, "h4", "Blue-black that darkens as it dries; archival."),
    ("desk-blotter", "Leather Desk Blotter", 45, 4500, "h4", "Vegetable-tanned leather with a felt back."),
    ("pencil-set", "Graphite Pencil Set", 12.0, 1200, "h3", "Six grades from 2H to 6B, in a tin."),
]


def head(title: str = "undefined - Shop") -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="/css/index.css">
</head>
<body>
  <header class="site-header">
    <h1 class="site-title"><a href="/">Pine &amp; Paper</a></h1>
    <nav><ul class="nav"><li><a href="/products/">Products</a></li><li><a href="/about/">About</a></li><li><a href="/cart/">Cart</a></li></ul></nav>
  </header>
"""


FOOT = """  <footer class="site-footer"><p>Pine &amp; Paper · made with Eleventy</p></footer>
  <script src="/js/cart.js"></script>
</body>
</html>
"""


def data(name: str, price, slug: str, description: str) -> str:
    body = {"@context": "https://schema.org", "@type": "Product", "name": name, "description": description,
            "image": f"/img/{slug}.jpg", "offers": {"@type": "Offer", "price": price, "priceCurrency": "USD"}}
    return f'<script type="application/ld+json">{json.dumps(body, separators=(",", ":"))}</script>'


def product_page(p: tuple) -> str:
    slug, name, price, _cents, tag, blurb = p
    return head() + f"""  <main class="product">
    <p class="crumbs"><a href="/">Home</a> / <a href="/products/">Products</a> / {esc(name)}</p>
    {data(name, price, slug, blurb)}
    <img class="product-image" src="/img/{slug}.jpg" alt="{esc(name)}" width="500" height="500">
    <div class="product-body">
      <{tag} class="product-title">{esc(name)}</{tag}>
      <div class="product-price">${price}</div>
      <p>{esc(blurb)}</p>
      <input type="number" class="qty" name="quantity" value="1" min="1" aria-label="Quantity">
      <button class="add-to-cart" type="button" onclick="addToCart('{slug}')">Add to cart</button>
    </div>
  </main>
""" + FOOT


def fragment(p: tuple) -> str:
    """The card partial that the starter also writes as its own file next to the page."""
    slug, name, price, _cents, _tag, blurb = p
    return f"""<div class="card">
  {data(name, price, slug, blurb)}
  <img src="/img/{slug}-sm.jpg" alt="{esc(name)}">
  <h3 class="card-title">{esc(name)}</h3>
  <div class="product-price">${price}</div>
  <button class="add-to-cart" type="button" onclick="addToCart('{slug}')">Add to cart</button>
</div>
"""


def listing_item(p: tuple) -> str:
    slug, name, price, _cents, _tag, _blurb = p
    return f'      <li class="card"><a href="/products/{slug}/"><img src="/img/{slug}-sm.jpg" alt="{esc(name)}"><h3 class="card-title">{esc(name)}</h3></a><div class="card-price">${price}</div></li>\n'


def build() -> Store:
    store = Store(
        "pine-paper-undefined",
        "An Eleventy starter with rough edges: every <title> reads 'undefined - Shop', the site name "
        "is the only h1 and products are h3/h4, JSON-LD inside the body with no sku and prices from "
        "YAML floats (150.0 shown '$150.0', 24.5 shown '$24.5', integers '$18'), no canonical or og:url, "
        "card partials written as bodyless files, and an empty product shell showing '$'.",
        ["jsonld-in-body", "id-from-url", "undefined-title", "no-product-h1", "site-name-in-h1",
         "one-decimal-price", "integer-price", "no-canonical", "bodyless-fragment", "empty-product-shell"],
        config='base_url = "https://pine-and-paper.example/"\ndefault_currency = "USD"\n',
    )
    for p in PRODUCTS:
        path = f"products/{p[0]}/index.html"
        store.product(path, product_page(p), id=slug_of(path), price=p[3], currency="USD", selector=".product-body .product-price")
        if p[0] in ("fountain-pen", "notebook-a5"):
            store.page(f"products/{p[0]}/card.html", fragment(p))
    items = "".join(listing_item(p) for p in PRODUCTS)
    store.page("index.html", head() + f"""  <main>
    <section class="hero"><h2>Good tools for writing by hand</h2></section>
    <ul class="cards">
{items}    </ul>
  </main>
""" + FOOT)
    store.page("products/index.html", head() + f"""  <main>
    <h2>All products</h2>
    <ul class="cards">
{items}    </ul>
  </main>
""" + FOOT)
    store.page("about/index.html", head() + """  <main>
    <h2>About</h2>
    <p>Pine &amp; Paper is a one-person shop in Duluth, Minnesota. I started it in 2021 after a decade of
    buying pens from overseas and waiting six weeks for ink.</p>
    <p>Everything ships from my spare room within two working days. Questions? Write to hello@pine-and-paper.example.</p>
    <img src="/img/desk.jpg" alt="A writing desk with a fountain pen and notebook" width="700" height="450">
  </main>
""" + FOOT)
    store.page("cart/index.html", head() + """  <main>
    <h2>Cart</h2>
    <table class="cart-table"><thead><tr><th>Item</th><th>Qty</th><th>Price</th></tr></thead><tbody id="cart"></tbody></table>
    <p>Total: <span id="total">$0</span></p>
    <p class="note">Shipping is calculated at checkout. Orders over $50 ship free in the US.</p>
    <button id="checkout" type="button">Checkout</button>
  </main>
""" + FOOT)
    store.page("products/untitled/index.html", head() + f"""  <main class="product">
    <p class="crumbs"><a href="/">Home</a> / <a href="/products/">Products</a> / </p>
    {data("", "", "", "")}
    <img class="product-image" src="/img/.jpg" alt="" width="500" height="500">
    <div class="product-body">
      <h3 class="product-title"></h3>
      <div class="product-price">$</div>
      <p></p>
      <input type="number" class="qty" name="quantity" value="1" min="1" aria-label="Quantity">
      <button class="add-to-cart" type="button" onclick="addToCart('')">Add to cart</button>
    </div>
  </main>
""" + FOOT)
    return store
