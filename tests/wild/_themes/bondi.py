"""Bondi Surf Supply: an Australian Hugo + Bootstrap 4 theme with OpenGraph product tags."""

from __future__ import annotations

from .common import Store, dollars, esc

SITE = "https://bondi-surf-supply.example"

# slug, our id attribute, name, price (cents), compare-at price, blurb
PRODUCTS = [
    ("boardshorts", "BSS-BS-01", "Tamarama Boardshorts", 4500, None, "Four-way stretch, 19-inch outseam, key pocket."),
    ("rash-vest", "BSS-RV-02", "Long Sleeve Rash Vest UPF50+", 7900, 9900, "Recycled nylon, flatlock seams."),
    ("surf-wax", "BSS-WX-03", "Cool Water Surf Wax", 450, None, "For water 14–19°C; one bar does a board twice."),
    ("leash", "BSS-LS-04", "Comp Leash 6ft", 3995, None, "6 mm urethane cord, double swivel."),
    ("fins", "BSS-FN-05", "Thruster Fin Set", 12900, None, "Fibreglass, FCS II compatible, medium."),
]


def head(title: str, path: str, og_type: str = "website", extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-AU">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>{esc(title)} | Bondi Surf Supply</title>
<meta property="og:type" content="{og_type}">
<meta property="og:title" content="{esc(title)}">
<meta property="og:url" content="{SITE}{path}">
<meta property="og:locale" content="en_AU">
<meta property="og:site_name" content="Bondi Surf Supply">
{extra}<link rel="stylesheet" href="/css/bootstrap.min.css">
<link rel="stylesheet" href="/css/theme.css">
</head>
<body>
<nav class="navbar navbar-expand-md navbar-dark bg-primary">
  <a class="navbar-brand" href="/">Bondi Surf Supply</a>
  <div class="collapse navbar-collapse">
    <ul class="navbar-nav ml-auto">
      <li class="nav-item"><a class="nav-link" href="/collections/all/">Shop</a></li>
      <li class="nav-item"><a class="nav-link" href="/pages/about/">About</a></li>
      <li class="nav-item"><a class="nav-link" href="/pages/shipping/">Shipping</a></li>
      <li class="nav-item"><a class="nav-link" href="/cart/">Cart</a></li>
    </ul>
  </div>
</nav>
"""


FOOT = """<footer class="footer bg-light py-4 mt-5"><div class="container"><p class="text-muted mb-0">Bondi Surf Supply Pty Ltd · ABN 00 000 000 000 · Prices include GST</p></div></footer>
<script src="/js/jquery.slim.min.js"></script>
<script src="/js/cart.js"></script>
</body>
</html>
"""


def card(p: tuple) -> str:
    slug, _pid, name, price, _was, _blurb = p
    return f"""    <div class="col-6 col-md-4 mb-4">
      <div class="card">
        <a href="/products/{slug}/"><img class="card-img-top" src="/img/{slug}-sm.jpg" alt="{esc(name)}"></a>
        <div class="card-body"><h5 class="card-title"><a href="/products/{slug}/">{esc(name)}</a></h5><span class="card__price">{dollars(price)}</span></div>
      </div>
    </div>
"""


def product_page(p: tuple) -> str:
    slug, pid, name, price, was, blurb = p
    og = (f'<meta property="og:image" content="{SITE}/img/{slug}.jpg">\n'
          f'<meta property="product:price:amount" content="{price / 100:.2f}">\n')
    compare = f' <span class="product__price--compare text-muted"><s>{dollars(was)}</s></span>' if was else ""
    related = "".join(card(q) for q in [q for q in PRODUCTS if q[0] != slug][:3])
    return head(name, f"/products/{slug}/", "product", og) + f"""<main class="container py-4">
  <ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Home</a></li><li class="breadcrumb-item"><a href="/collections/all/">Shop</a></li><li class="breadcrumb-item active">{esc(name)}</li></ol>
  <article class="product row" data-croissant-product-id="{pid}">
    <div class="col-md-7"><img class="img-fluid" src="/img/{slug}.jpg" alt="{esc(name)}"></div>
    <div class="col-md-5">
      <h1 class="product__title h2">{esc(name)}</h1>
      <p class="lead"><span class="product__price">{dollars(price)}</span>{compare}</p>
      <p>{esc(blurb)}</p>
      <form class="form-inline" action="/cart/" method="get">
        <input type="hidden" name="id" value="{pid}">
        <input class="form-control mr-2" type="number" name="quantity" value="1" min="1" style="width:5rem">
        <button class="btn btn-warning" type="submit">Add to cart</button>
      </form>
      <p class="small text-muted mt-3">Free shipping Australia-wide over $99.</p>
    </div>
  </article>
  <h2 class="h4 mt-5">Pairs well with</h2>
  <div class="row">
{related}  </div>
</main>
""" + FOOT


def page(title: str, path: str, body: str) -> str:
    return head(title, path) + f'<main class="container py-4">\n{body}</main>\n' + FOOT


def build() -> Store:
    store = Store(
        "bondi-surf-supply-au",
        "Hugo + Bootstrap 4, en-AU with og:locale en_AU: OpenGraph product tags with "
        "product:price:amount but no currency, prices shown with a bare '$' (Australian dollars), "
        "our own data-croissant-product-id on the product (the only id), og:url and no canonical link.",
        ["opengraph", "own-attribute-id", "dollar-by-locale", "og-url-without-base-url", "bootstrap",
         "sale-s", "related-products"],
        config='base_url = "https://bondi-surf-supply.example/"\ndefault_currency = "AUD"\n',
    )
    for p in PRODUCTS:
        store.product(f"products/{p[0]}/index.html", product_page(p), id=p[1], price=p[3], currency="AUD", selector="article.product span.product__price")
    store.page("index.html", page("Surf gear for Bondi locals", "/", f"""  <div class="jumbotron"><h1 class="display-4">Surf gear for Bondi locals</h1></div>
  <div class="row">
{"".join(card(p) for p in PRODUCTS[:3])}  </div>
"""))
    store.page("collections/all/index.html", page("Shop", "/collections/all/", f"""  <h1>All products</h1>
  <div class="row">
{"".join(card(p) for p in PRODUCTS)}  </div>
"""))
    store.page("pages/about/index.html", page("About", "/pages/about/", """  <h1>About</h1>
  <p>We have been waxing boards on Campbell Parade since 1998.</p>
  <img class="img-fluid" src="/img/shopfront.jpg" alt="Our shop">
"""))
    store.page("cart/index.html", page("Cart", "/cart/", """  <h1>Cart</h1>
  <div id="cart-items"></div>
  <p>Subtotal: <strong id="cart-subtotal">$0.00</strong></p>
  <a class="btn btn-primary" href="/checkout/">Checkout</a>
"""))
    store.page("pages/shipping/index.html", page("Shipping", "/pages/shipping/", """  <h1>Shipping</h1>
  <p>Australia Post parcel: $9.95, free over $99. Express: $14.95.</p>
"""))
    return store
