"""Ganesh Handloom: an Eleventy port of a Shopify theme for India: JSON-LD without currency."""

from __future__ import annotations

from .common import Store, esc, jsonld

SITE = "https://ganesh-handloom.example"

# slug, mpn, name, price (paise), struck price, how the theme prints it, JSON-LD price string, blurb
PRODUCTS = [
    ("banarasi-silk-saree", "GH-SAR-014", "Banarasi Katan Silk Saree", 8734100, None, "spaced", "87341", "Pure katan silk with real zari, handwoven in Varanasi."),
    ("cotton-kurta", "GH-KUR-102", "Hand Block Printed Cotton Kurta", 168900, None, "compact", "1689", "Dabu print from Akola, relaxed fit."),
    ("brass-diya", "GH-DEC-007", "Brass Diya, Set of 2", 45000, None, "spaced", "450", "Cast brass lamps for Diwali and every day."),
    ("pashmina-shawl", "GH-SHW-021", "Kani Pashmina Shawl", 1299900, 1599900, "spaced", "12999", "Hand-spun pashmina from Srinagar with kani weave."),
    ("block-print-bedsheet", "GH-BED-033", "Block Print Double Bedsheet", 219900, 259900, "compact", "2199", "Sanganeri print on 220-thread cotton, with 2 pillow covers."),
    ("jute-tote", "GH-BAG-040", "Jute Tote Bag", 34950, None, "spaced", "349.50", "Sturdy jute with cotton handles."),
]


def indian(paise: int) -> str:
    """Lakh grouping: 87,341 and 12,99,900."""
    rupees = str(paise // 100)
    if len(rupees) > 3:
        head, tail = rupees[:-3], rupees[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        rupees = ",".join(groups) + "," + tail
    return rupees


def rupees(paise: int, style: str) -> str:
    """'₹ 87,341.00' (spaced, with paise) or '₹1689' (compact, whole rupees, no grouping)."""
    if style == "compact":
        return f"₹{paise // 100}"
    return f"₹ {indian(paise)}.{paise % 100:02d}"


def head(title: str, path: str, extra: str = "") -> str:
    return f"""<!doctype html>
<html lang="en-IN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>{esc(title)} – Ganesh Handloom</title>
  <link rel="canonical" href="{SITE}{path}">
  <meta property="og:site_name" content="Ganesh Handloom">
  <meta property="og:url" content="{SITE}{path}">
  <meta property="og:title" content="{esc(title)}">
  <link href="/assets/theme.css" rel="stylesheet" type="text/css" media="all">
{extra}</head>
<body class="template-product">
  <div class="announcement-bar"><p>Free shipping across India on orders above ₹ 999</p></div>
  <header class="site-header">
    <h1 class="site-header__logo"><a href="/" class="site-header__logo-link">Ganesh Handloom</a></h1>
    <nav class="site-nav">
      <a class="site-nav__link" href="/collections/sarees/">Sarees</a>
      <a class="site-nav__link" href="/collections/home-decor/">Home Décor</a>
      <a class="site-nav__link" href="/pages/about/">Our Weavers</a>
      <a class="site-nav__link site-header__cart" href="/cart/">Cart</a>
    </nav>
  </header>
  <main class="main-content" id="MainContent">
"""


FOOT = """  </main>
  <footer class="site-footer">
    <p>&copy; 2026, Ganesh Handloom, Jaipur · <a href="/pages/contact/">Contact</a> · GSTIN 08ABCDE1234F1Z5</p>
  </footer>
  <script src="/assets/theme.js" defer></script>
</body>
</html>
"""


def grid_item(p: tuple) -> str:
    slug, _mpn, name, price, _was, style, _ld, _blurb = p
    return f"""      <div class="grid__item small--one-half medium-up--one-quarter">
        <a href="/products/{slug}/" class="grid-view-item__link">
          <img class="grid-view-item__image" src="/assets/products/{slug}_360x.jpg" alt="{esc(name)}">
          <div class="h4 grid-view-item__title">{esc(name)}</div>
          <div class="price-item price-item--regular"><span class="money">{rupees(price, style)}</span></div>
        </a>
      </div>
"""


def product_page(p: tuple) -> str:
    slug, mpn, name, price, was, style, ld_price, blurb = p
    data = {"@context": "http://schema.org/", "@type": "Product", "name": name, "mpn": mpn,
            "image": [f"{SITE}/assets/products/{slug}_1024x.jpg"], "description": blurb,
            "brand": {"@type": "Brand", "name": "Ganesh Handloom"},
            "offers": {"@type": "Offer", "price": ld_price, "availability": "http://schema.org/InStock", "url": f"{SITE}/products/{slug}/"}}
    compare = f'\n          <s class="product-price__compare"><span class="money money--compare">{rupees(was, style)}</span></s>\n          <span class="product-price__sale-label">Sale</span>' if was else ""
    related = "".join(grid_item(q) for q in [q for q in PRODUCTS if q[0] != slug][:3])
    return head(name, f"/products/{slug}/", "  " + jsonld(data) + "\n") + f"""    <nav class="breadcrumb" aria-label="breadcrumbs"><a href="/">Home</a> <span>›</span> <a href="/collections/sarees/">Collections</a> <span>›</span> <span>{esc(name)}</span></nav>
    <div class="product-single grid">
      <div class="grid__item medium-up--one-half"><img class="product-featured-img" src="/assets/products/{slug}_1024x.jpg" alt="{esc(name)}"></div>
      <div class="grid__item medium-up--one-half">
        <h2 class="product-single__title">{esc(name)}</h2>
        <div class="product-single__price">
          <span class="money" id="ProductPrice">{rupees(price, style)}</span>{compare}
        </div>
        <p class="product-single__tax">Inclusive of all taxes</p>
        <div class="product-single__description rte"><p>{esc(blurb)}</p></div>
        <form method="post" action="/cart/add" class="product-form">
          <label for="Quantity">Quantity</label>
          <input type="number" id="Quantity" name="quantity" value="1" min="1" class="product-form__input">
          <button type="submit" name="add" class="btn product-form__cart-submit">Add to cart</button>
        </form>
      </div>
    </div>
    <div class="product-recommendations">
      <h2 class="section-header__title">You may also like</h2>
      <div class="grid grid--uniform">
{related}      </div>
    </div>
""" + FOOT


def page(title: str, path: str, body: str) -> str:
    return head(title, path) + body + FOOT


def build() -> Store:
    store = Store(
        "ganesh-handloom-india",
        "Eleventy port of a Shopify theme, en-IN: JSON-LD in the head with mpn and no priceCurrency, "
        "prices as bare strings ('87341', '1689'), shown '₹ 87,341.00' or '₹1689'; the store name in "
        "the first h1 and the product title in an h2; struck compare prices after the current one.",
        ["jsonld", "no-currency-in-data", "indian-format", "integer-string-price", "id-from-mpn",
         "site-name-in-h1", "sale-s", "related-products"],
        config='base_url = "https://ganesh-handloom.example/"\ndefault_currency = "INR"\n',
    )
    for p in PRODUCTS:
        store.product(f"products/{p[0]}/index.html", product_page(p), id=p[1], price=p[3], currency="INR", selector="#ProductPrice")
    store.page("index.html", page("Handwoven in India", "/", f"""    <div class="hero"><h2>Handwoven in India</h2><p>Direct from 140 weaving families.</p></div>
    <div class="grid grid--uniform">
{"".join(grid_item(p) for p in PRODUCTS[:4])}    </div>
"""))
    store.page("collections/sarees/index.html", page("Sarees", "/collections/sarees/", f"""    <h2 class="collection-hero__title">Sarees &amp; Shawls</h2>
    <div class="grid grid--uniform">
{"".join(grid_item(p) for p in (PRODUCTS[0], PRODUCTS[3]))}    </div>
"""))
    store.page("collections/home-decor/index.html", page("Home Décor", "/collections/home-decor/", f"""    <h2 class="collection-hero__title">Home Décor</h2>
    <div class="grid grid--uniform">
{"".join(grid_item(p) for p in (PRODUCTS[2], PRODUCTS[4], PRODUCTS[5]))}    </div>
"""))
    store.page("pages/about/index.html", page("Our Weavers", "/pages/about/", """    <h2>Our Weavers</h2>
    <p>We work directly with weavers in Varanasi, Srinagar and Sanganer and pay 30% above the mandi rate.</p>
    <img src="/assets/weavers.jpg" alt="Weavers at a pit loom">
"""))
    store.page("cart/index.html", page("Your Cart", "/cart/", """    <h2>Your cart</h2>
    <form action="/cart" method="post" id="CartPage"><p class="cart__empty-text">Your cart is currently empty.</p>
    <p>Subtotal <span class="money">₹ 0.00</span></p><button type="submit" name="checkout" class="btn">Check out</button></form>
"""))
    store.page("pages/contact/index.html", page("Contact", "/pages/contact/", """    <h2>Contact us</h2>
    <p>Write to hello@ganesh-handloom.example or call +91 141 000 0000 (10am–6pm IST).</p>
"""))
    return store
