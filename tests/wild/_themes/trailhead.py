"""Trailhead Outfitters: a Hugo + Bootstrap 5 theme with Snipcart buttons and no structured data."""

from __future__ import annotations

from .common import Store, dollars, esc

SITE = "https://trailhead-outfitters.example"

# slug, id, name, price, compare-at (a "was" price), category, blurb
PRODUCTS = [
    ("tent-2p", "TH-1001", "Ridgeline 2P Tent", 24900, None, "shelter", "A two-door, freestanding tent that pitches in four minutes and weighs 1.6 kg."),
    ("down-sleeping-bag", "TH-1002", "Alpine Down Sleeping Bag -7°C", 32900, None, "shelter", "650-fill responsibly sourced down in a mummy cut with a draft collar."),
    ("headlamp-400", "TH-2001", "Beacon 400 Headlamp", 4500, 5900, "lighting", "400 lumens, red night mode and a USB-C rechargeable battery."),
    ("trekking-poles", "TH-3001", "Carbon Trekking Poles (pair)", 11900, 14900, "hiking", "Three-section carbon poles with cork grips and flick locks."),
    ("water-filter", "TH-3002", "Squeeze Water Filter", 3999, None, "hiking", "Filters 0.1 micron; threads onto standard bottles."),
    ("camp-stove", "TH-4001", "Ember Canister Stove", 6450, None, "kitchen", "Boils a litre in 3 min 30 s with a built-in piezo igniter."),
]

CATEGORIES = {"shelter": "Shelter", "lighting": "Lighting", "hiking": "Hiking", "kitchen": "Camp kitchen"}


def head(title: str, path: str, description: str) -> str:
    return f"""<!doctype html>
<html lang="en-us">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="description" content="{esc(description)}">
<link rel="canonical" href="{SITE}/{path}">
<link rel="stylesheet" href="/css/bootstrap.min.css">
<link rel="preconnect" href="https://app.snipcart.com">
<link rel="stylesheet" href="https://cdn.snipcart.com/themes/v3.2.0/default/snipcart.css">
</head>
<body>
<nav class="navbar navbar-expand-lg navbar-light bg-light border-bottom">
  <div class="container">
    <a class="navbar-brand fw-bold" href="/">Trailhead Outfitters</a>
    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-controls="nav" aria-expanded="false" aria-label="Toggle navigation"><span class="navbar-toggler-icon"></span></button>
    <div class="collapse navbar-collapse" id="nav">
      <ul class="navbar-nav me-auto">
        <li class="nav-item"><a class="nav-link" href="/products/">Shop</a></li>
        <li class="nav-item"><a class="nav-link" href="/categories/shelter/">Shelter</a></li>
        <li class="nav-item"><a class="nav-link" href="/categories/lighting/">Lighting</a></li>
        <li class="nav-item"><a class="nav-link" href="/about/">About</a></li>
      </ul>
      <a class="btn btn-outline-dark snipcart-checkout" href="/cart/">Cart (<span class="snipcart-items-count">0</span>)</a>
    </div>
  </div>
</nav>
"""


FOOT = """<footer class="bg-dark text-light py-4 mt-5">
  <div class="container d-flex justify-content-between">
    <p class="mb-0">&copy; 2026 Trailhead Outfitters &middot; Free shipping over $100</p>
    <ul class="list-inline mb-0"><li class="list-inline-item"><a class="link-light" href="/about/">About</a></li><li class="list-inline-item"><a class="link-light" href="/cart/">Cart</a></li></ul>
  </div>
</footer>
<script src="/js/bootstrap.bundle.min.js"></script>
<div hidden id="snipcart" data-api-key="ZXhhbXBsZS1wdWJsaWMta2V5"></div>
<script src="https://cdn.snipcart.com/themes/v3.2.0/default/snipcart.js" async></script>
</body>
</html>
"""


def button(p: tuple, label: str = "Add to cart", classes: str = "btn btn-success") -> str:
    slug, pid, name, price, _was, _cat, blurb = p
    return (f'<button class="{classes} snipcart-add-item" data-item-id="{pid}" data-item-name="{esc(name)}" '
            f'data-item-price="{price / 100:.2f}" data-item-url="{SITE}/products/{slug}/" '
            f'data-item-image="/images/{slug}.jpg" data-item-description="{esc(blurb)}">{label}</button>')


def card(p: tuple) -> str:
    slug, _pid, name, price, _was, _cat, _blurb = p
    return f"""    <div class="col">
      <div class="card h-100">
        <a href="/products/{slug}/"><img class="card-img-top" src="/images/{slug}-thumb.jpg" alt="{esc(name)}" loading="lazy"></a>
        <div class="card-body">
          <h2 class="h6 card-title"><a class="stretched-link text-decoration-none" href="/products/{slug}/">{esc(name)}</a></h2>
          <p class="card-text text-muted">{dollars(price)}</p>
        </div>
        <div class="card-footer bg-white border-0">{button(p, "Add to cart", "btn btn-sm btn-outline-success")}</div>
      </div>
    </div>
"""


def listing(title: str, path: str, items: list[tuple], crumb: str) -> str:
    cards = "".join(card(p) for p in items)
    return head(f"{title} | Trailhead Outfitters", path, f"{title} at Trailhead Outfitters.") + f"""<main class="container py-5">
  <nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Home</a></li><li class="breadcrumb-item active" aria-current="page">{crumb}</li></ol></nav>
  <h1 class="h3 mb-4">{esc(title)}</h1>
  <div class="row row-cols-1 row-cols-sm-2 row-cols-md-3 g-4">
{cards}  </div>
</main>
""" + FOOT


def product_page(p: tuple) -> str:
    slug, pid, name, price, was, cat, blurb = p
    # the compare-at price comes after the current one, struck only by Bootstrap's utility class
    shown = f'<span class="price">{dollars(price)}</span>'
    if was:
        shown += f' <span class="price-compare text-muted text-decoration-line-through ms-2">{dollars(was)}</span> <span class="badge bg-danger ms-1">Sale</span>'
    related = [q for q in PRODUCTS if q[0] != slug][:3]
    related_html = "".join(f"""      <div class="col"><a class="text-decoration-none" href="/products/{q[0]}/"><img class="img-fluid rounded mb-2" src="/images/{q[0]}-thumb.jpg" alt="{esc(q[2])}" loading="lazy"><h3 class="h6 mb-1">{esc(q[2])}</h3></a><p class="text-muted small mb-0">{dollars(q[3])}</p></div>
""" for q in related)
    return head(f"{name} | Trailhead Outfitters", f"products/{slug}/", blurb) + f"""<main class="container py-5">
  <nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Home</a></li><li class="breadcrumb-item"><a href="/categories/{cat}/">{CATEGORIES[cat]}</a></li><li class="breadcrumb-item active" aria-current="page">{esc(name)}</li></ol></nav>
  <div class="row g-5">
    <div class="col-md-6"><img class="img-fluid rounded" src="/images/{slug}.jpg" alt="{esc(name)}" width="800" height="800"></div>
    <div class="col-md-6">
      <h1 class="display-6">{esc(name)}</h1>
      <p class="fs-4 mb-3">{shown}</p>
      <p class="text-muted">{esc(blurb)}</p>
      <div class="d-flex gap-2 align-items-center mb-4">
        <label class="form-label mb-0" for="qty">Qty</label>
        <input class="form-control w-auto" type="number" id="qty" name="quantity" value="1" min="1">
        {button(p)}
      </div>
      <ul class="list-unstyled small text-muted"><li>Ships in 1-2 business days</li><li>30-day returns</li></ul>
    </div>
  </div>
  <section class="mt-5">
    <h2 class="h4 mb-3">You may also like</h2>
    <div class="row row-cols-2 row-cols-md-3 g-3">
{related_html}    </div>
  </section>
</main>
""" + FOOT


def build() -> Store:
    store = Store(
        "trailhead-bootstrap",
        "Hugo + Bootstrap 5, Snipcart buttons only (no structured data), '$' with <html lang=en-us>; "
        "compare-at prices after the current one struck by a utility class; a category and a tag page "
        "each carrying one product's full Snipcart button; a Hugo alias redirect stub.",
        ["bootstrap", "snipcart-only", "currency-symbol-only", "sale-compare-class", "related-products",
         "single-product-listing", "redirect-stub", "canonical-without-base-url"],
        config='# written from the README\nbase_url = "https://trailhead-outfitters.example/"\ndefault_currency = "USD"\n',
    )
    for p in PRODUCTS:
        store.product(f"products/{p[0]}/index.html", product_page(p), id=p[1], price=p[3], currency="USD", selector="main span.price")
    store.page("index.html", listing("Gear for the long way round", "", PRODUCTS[:3], "Featured"))
    # the theme sets paginate = 3
    store.page("products/index.html", listing("All gear", "products/", PRODUCTS[:3], "Shop"))
    store.page("products/page/2/index.html", listing("All gear (page 2)", "products/page/2/", PRODUCTS[3:], "Shop"))
    for cat, title in CATEGORIES.items():
        store.page(f"categories/{cat}/index.html", listing(title, f"categories/{cat}/", [p for p in PRODUCTS if p[5] == cat], title))
    store.page("tags/ultralight/index.html", listing("Tagged: ultralight", "tags/ultralight/", [PRODUCTS[3]], "ultralight"))
    store.page("about/index.html", head("About | Trailhead Outfitters", "about/", "Who we are.") + """<main class="container py-5">
  <nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/">Home</a></li><li class="breadcrumb-item active" aria-current="page">About</li></ol></nav>
  <h1 class="h3">About us</h1>
  <p class="lead">We are three hikers from Boulder who got tired of gear that did not last.</p>
  <p>Everything we sell is tested on at least one multi-day trip before it reaches the shop. Orders over $100 ship free within the contiguous US.</p>
  <img class="img-fluid rounded" src="/images/team.jpg" alt="The team on the trail">
</main>
""" + FOOT)
    store.page("cart/index.html", head("Cart | Trailhead Outfitters", "cart/", "Your cart.") + """<main class="container py-5">
  <h1 class="h3">Your cart</h1>
  <p>Your cart opens in the Snipcart panel. <button class="btn btn-primary snipcart-checkout">Open cart</button></p>
</main>
""" + FOOT)
    store.page("404.html", head("Page not found | Trailhead Outfitters", "404.html", "Not found.") + """<main class="container py-5 text-center">
  <h1 class="display-5">Lost the trail?</h1>
  <p>This page does not exist. <a href="/products/">Browse all gear</a>.</p>
</main>
""" + FOOT)
    store.page("products/old-tent/index.html", f"""<!DOCTYPE html><html lang="en-us"><head><title>{SITE}/products/tent-2p/</title><link rel="canonical" href="{SITE}/products/tent-2p/"><meta name="robots" content="noindex"><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={SITE}/products/tent-2p/"></head></html>
""")
    return store
