"""Tweed & Thistle: a British Jekyll theme with microdata, the price split over two spans."""

from __future__ import annotations

from .common import Store, esc

SITE = "https://tweed-and-thistle.example"

# slug, productID, name, price (pence), was price, blurb
PRODUCTS = [
    ("harris-tweed-jacket", "TT-JKT-01", "Harris Tweed Hacking Jacket", 31500, None, "Woven on Lewis, tailored in Leeds; half-lined with a ticket pocket."),
    ("lambswool-scarf", "TT-SCF-02", "Lambswool Scarf, Hunting Tartan", 4500, None, "Scottish lambswool, brushed finish, 180 × 30 cm."),
    ("flat-cap", "TT-CAP-03", "Donegal Flat Cap", 5900, 7500, "Donegal tweed with a quilted lining."),
    ("tweed-waistcoat", "TT-WST-04", "Herringbone Waistcoat", 14500, None, "Five buttons, adjustable back strap."),
    ("shooting-socks", "TT-SOX-05", "Shooting Socks", 2450, None, "Merino blend with cushioned soles; garter ties included."),
]


def pounds(pence: int) -> str:
    return str(pence // 100) if pence % 100 == 0 else f"{pence // 100}.{pence % 100:02d}"


def head(title: str, path: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · Tweed &amp; Thistle</title>
<link rel="canonical" href="{SITE}{path}">
<link rel="stylesheet" href="/assets/css/site.css">
</head>
<body>
<header class="masthead">
  <div class="masthead__inner">
    <a class="masthead__title" href="/">Tweed &amp; Thistle</a>
    <nav class="masthead__menu">
      <ul>
        <li><a href="/shop/">Shop</a></li>
        <li><a href="/about.html">Our Story</a></li>
        <li><a href="/delivery.html">Delivery</a></li>
        <li><a href="/basket.html">Basket</a></li>
      </ul>
    </nav>
  </div>
</header>
<div class="page">
"""


FOOT = """</div>
<footer class="page__footer">
  <p>Free UK delivery on orders over £ 100 · Tweed &amp; Thistle Ltd, registered in Scotland SC000000</p>
</footer>
<script src="/assets/js/basket.js"></script>
</body>
</html>
"""


def price_block(pence: int, css: str = "product-price") -> str:
    # the theme prints the symbol and the amount in two spans, with the layout's whitespace between
    return f"""<div class="{css}" itemprop="offers" itemscope itemtype="http://schema.org/Offer">
        <span class="{css}__currency" itemprop="priceCurrency" content="GBP">£</span>
        <span class="{css}__amount" itemprop="price" content="{pounds(pence)}">{pounds(pence)}</span>
        <link itemprop="availability" href="http://schema.org/InStock">
      </div>"""


def item(p: tuple) -> str:
    slug, pid, name, price, _was, _blurb = p
    return f"""    <li class="grid__item" itemscope itemtype="http://schema.org/Product">
      <a href="/shop/{slug}.html" itemprop="url"><img itemprop="image" src="/assets/img/{slug}-sm.jpg" alt="{esc(name)}"></a>
      <h2 class="grid__title" itemprop="name">{esc(name)}</h2>
      <meta itemprop="productID" content="{pid}">
      {price_block(price, "card-price")}
    </li>
"""


def product_page(p: tuple) -> str:
    slug, pid, name, price, was, blurb = p
    was_html = f'\n      <p class="product-was">Was <span class="was-price">£{pounds(was)}</span></p>' if was else ""
    related = "".join(
        f'      <li><a href="/shop/{q[0]}.html">{esc(q[2])}</a> <span class="related-price">£ {pounds(q[3])}</span></li>\n'
        for q in [q for q in PRODUCTS if q[0] != slug][:2])
    return head(name, f"/shop/{slug}.html") + f"""  <p class="breadcrumbs"><a href="/">Home</a> / <a href="/shop/">Shop</a> / {esc(name)}</p>
  <article class="product" itemscope itemtype="http://schema.org/Product">
    <img class="product__image" itemprop="image" src="/assets/img/{slug}.jpg" alt="{esc(name)}" width="700" height="900">
    <div class="product__details">
      <h1 class="product__title" itemprop="name">{esc(name)}</h1>
      <meta itemprop="productID" content="{pid}">
      <meta itemprop="brand" content="Tweed &amp; Thistle">{was_html}
      {price_block(price)}
      <div class="product__description" itemprop="description"><p>{esc(blurb)}</p></div>
      <form class="product__form" action="/basket.html" method="get">
        <input type="hidden" name="id" value="{pid}">
        <label>Quantity <input type="number" name="qty" value="1" min="1"></label>
        <button type="submit" class="button">Add to basket</button>
      </form>
    </div>
  </article>
  <aside class="related">
    <h2>You might also like</h2>
    <ul>
{related}    </ul>
  </aside>
""" + FOOT


def page(title: str, path: str, body: str) -> str:
    return head(title, path) + body + FOOT


def build() -> Store:
    store = Store(
        "tweed-thistle-british",
        "Jekyll, en-GB, microdata: the Offer's price split over two spans ('£' with "
        "itemprop=priceCurrency content=GBP, then '315' with itemprop=price), integer prices, "
        "productID ids, a 'Was £75' line before the current price, .html pages.",
        ["microdata-only", "split-price-spans", "currency-text-symbol-content-code", "integer-price",
         "id-from-productid", "sale-was-class", "related-products", "dot-html-pages"],
        config='base_url = "https://tweed-and-thistle.example/"\ndefault_currency = "GBP"\n',
    )
    for p in PRODUCTS:
        store.product(f"shop/{p[0]}.html", product_page(p), id=p[1], price=p[3], currency="GBP", selector="div.product-price")
    store.page("index.html", page("Tweed & Thistle", "/", f"""  <section class="hero"><h1>Cloth from the islands, cut in Leeds</h1></section>
  <ul class="grid">
{"".join(item(p) for p in PRODUCTS[:3])}  </ul>
"""))
    store.page("shop/index.html", page("Shop", "/shop/", f"""  <h1>The whole collection</h1>
  <ul class="grid">
{"".join(item(p) for p in PRODUCTS)}  </ul>
"""))
    store.page("about.html", page("Our Story", "/about.html", """  <h1>Our Story</h1>
  <p>Founded in 2011 by a tailor and a weaver, we sell cloth we can trace to the loom.</p>
  <img src="/assets/img/loom.jpg" alt="A Hattersley loom" width="700" height="450">
"""))
    store.page("basket.html", page("Basket", "/basket.html", """  <h1>Your basket</h1>
  <form id="checkout" action="https://pay.tweed-and-thistle.example/checkout" method="post">
    <table class="basket"><tbody id="basket-lines"></tbody></table>
    <p>Total: <span class="basket-total">£ 0</span></p>
    <button type="submit" class="button">Checkout</button>
  </form>
"""))
    store.page("delivery.html", page("Delivery", "/delivery.html", """  <h1>Delivery &amp; Returns</h1>
  <p>Royal Mail Tracked 48: £ 4.95, free over £ 100. Returns within 28 days.</p>
"""))
    return store
