"""Riverbend Market: an Eleventy + Tailwind farm shop with price ranges, "Now" prices and gtins."""

from __future__ import annotations

from .common import Store, dollars, esc, jsonld

SITE = "https://riverbend-market.example"

# slug, identifiers (JSON-LD keys), name, offer (low, high) or (price, was), kind, variants, blurb
PRODUCTS = [
    ("honey-jar-trio", {"sku": "RB-HNY"}, "Wildflower Honey", (2000, 3000), "from", ["8 oz", "16 oz", "32 oz"], "Raw, unfiltered honey from our own hives."),
    ("maple-syrup", {"gtin13": "0614141999996"}, "Grade A Maple Syrup", (1850, 4200), "range", ["250 ml", "500 ml", "1 l"], "Tapped and boiled on the farm every March."),
    ("farm-basket", {"sku": "RB-BSK"}, "Harvest Basket", (3500, 5000), "now", [], "A willow basket of what is ripe this week."),
    ("beeswax-candles", {"gtin13": "0614141999903"}, "Beeswax Taper Candles (pair)", (1200, None), "plain", [], "Hand-dipped, 25 cm, burn for 10 hours."),
    ("apple-butter", {"productID": "RB-APB", "gtin13": "0614141999910"}, "Spiced Apple Butter", (900, 1600), "from", ["Half pint", "Pint"], "Slow-cooked from our heirloom apples."),
]


def offers(offer: tuple, kind: str) -> dict:
    if kind in ("from", "range"):
        return {"@type": "AggregateOffer", "lowPrice": f"{offer[0] / 100:.2f}", "highPrice": f"{offer[1] / 100:.2f}",
                "priceCurrency": "USD", "offerCount": 3}
    return {"@type": "Offer", "price": f"{offer[0] / 100:.2f}", "priceCurrency": "USD", "availability": "https://schema.org/InStock"}


def shown(offer: tuple, kind: str) -> str:
    low, other = offer
    if kind == "from":
        return f'<p class="price-range text-2xl font-semibold">From {dollars(low)}</p>'
    if kind == "range":
        return f'<p class="price-range text-2xl font-semibold">{dollars(low)} – {dollars(other)}</p>'
    if kind == "now":
        return (f'<p class="sale text-2xl"><span class="was text-base text-gray-500">Was {dollars(other)}</span> '
                f'<span class="now font-semibold text-red-700">Now {dollars(low)}</span></p>')
    return f'<p class="price text-2xl font-semibold">{dollars(low)}</p>'


SELECTORS = {"from": ".item-info p.price-range", "range": ".item-info p.price-range", "now": ".item-info span.now", "plain": ".item-info p.price"}


def head(title: str, path: str, ld: str = "") -> str:
    return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)} | Riverbend Market</title>
<link rel="canonical" href="{SITE}{path}">
<link rel="stylesheet" href="/css/tailwind.css">
{ld}</head>
<body class="bg-amber-50 font-sans text-gray-900">
<header class="bg-green-900 text-amber-50">
  <div class="mx-auto flex max-w-5xl items-center justify-between p-4">
    <a class="text-xl font-bold" href="/">Riverbend Market</a>
    <nav class="space-x-4"><a href="/market/">Market</a><a href="/market/pantry/">Pantry</a><a href="/about/">About</a><a href="/cart/">Cart</a></nav>
  </div>
</header>
<main class="mx-auto max-w-5xl p-4">
"""


FOOT = """</main>
<footer class="mt-12 bg-green-900 p-6 text-center text-sm text-amber-100">Riverbend Market · Farm pickup Saturdays 9–1 · Orders over $75 ship free</footer>
<script src="/js/cart.js" defer></script>
</body>
</html>
"""


def card(p: tuple) -> str:
    slug, _ids, name, offer, kind, _variants, _blurb = p
    low = f"From {dollars(offer[0])}" if kind in ("from", "range") else dollars(offer[0])
    return f"""  <a class="block rounded bg-white p-3 shadow" href="/items/{slug}/"><img src="/img/{slug}-sm.jpg" alt="{esc(name)}" class="rounded"><h2 class="mt-2 font-semibold">{esc(name)}</h2><p class="text-sm text-gray-600">{low}</p></a>
"""


def product_page(p: tuple) -> str:
    slug, ids, name, offer, kind, variants, blurb = p
    data = {"@context": "https://schema.org", "@type": "Product", "name": name, **ids, "description": blurb,
            "image": f"{SITE}/img/{slug}.jpg", "offers": offers(offer, kind)}
    choose = ""
    if variants:
        step = (offer[1] - offer[0]) // max(len(variants) - 1, 1)
        options = "".join(f'<option value="{i}">{esc(v)} — {dollars(offer[0] + i * step if i < len(variants) - 1 else offer[1])}</option>'
                          for i, v in enumerate(variants))
        choose = f'\n    <label class="block">Size <select name="variant" class="rounded border px-2 py-1">{options}</select></label>'
    return head(name, f"/items/{slug}/", jsonld(data) + "\n") + f"""<nav class="mb-4 text-sm"><a href="/">Home</a> › <a href="/market/">Market</a> › {esc(name)}</nav>
<div class="grid gap-8 md:grid-cols-2">
  <img src="/img/{slug}.jpg" alt="{esc(name)}" class="rounded-lg" width="640" height="640">
  <div class="item-info space-y-4">
    <h1 class="text-3xl font-bold">{esc(name)}</h1>
    {shown(offer, kind)}
    <p>{esc(blurb)}</p>{choose}
    <label class="block">Quantity <input type="number" name="quantity" value="1" min="1" class="w-16 rounded border px-2 py-1"></label>
    <button class="rounded bg-green-800 px-6 py-2 font-semibold text-white" data-add-to-cart="{slug}">Add to cart</button>
  </div>
</div>
""" + FOOT


def listing(title: str, path: str, items: list[tuple]) -> str:
    return head(title, path) + f"""<h1 class="mb-6 text-3xl font-bold">{esc(title)}</h1>
<div class="grid grid-cols-2 gap-4 md:grid-cols-3">
{"".join(card(p) for p in items)}</div>
""" + FOOT


def build() -> Store:
    store = Store(
        "riverbend-market-ranges",
        "Eleventy + Tailwind farm shop: AggregateOffer lowPrice/highPrice shown 'From $20.00' or "
        "'$18.50 – $42.00' (the low price is the product's price), 'Was $50.00 Now $35.00', size "
        "selects with per-size prices, ids from sku, productID or only gtin13.",
        ["jsonld", "aggregate-offer", "price-range", "now-price", "id-from-gtin", "id-from-productid", "tailwind"],
        config='base_url = "https://riverbend-market.example/"\ndefault_currency = "USD"\n',
    )
    for p in PRODUCTS:
        ids = p[1]
        pid = ids.get("sku") or ids.get("productID") or ids.get("gtin13")
        store.product(f"items/{p[0]}/index.html", product_page(p), id=pid, price=p[3][0], currency="USD", selector=SELECTORS[p[4]])
    store.page("index.html", listing("Fresh from Riverbend Farm", "/", PRODUCTS[:3]))
    store.page("market/index.html", listing("The market", "/market/", PRODUCTS))
    store.page("market/pantry/index.html", listing("Pantry", "/market/pantry/", [PRODUCTS[0], PRODUCTS[1], PRODUCTS[4]]))
    store.page("about/index.html", head("About", "/about/") + """<h1 class="text-3xl font-bold">About the farm</h1>
<p class="mt-4">Riverbend has been a family farm on the Willamette since 1952. We keep bees, tap maples and grow 40 kinds of apples.</p>
<img src="/img/farm.jpg" alt="The farm in autumn" class="mt-6 rounded-lg" width="800" height="500">
""" + FOOT)
    store.page("cart/index.html", head("Cart", "/cart/") + """<h1 class="text-3xl font-bold">Cart</h1>
<form id="checkout" action="/checkout/" method="post" class="mt-6"><div id="cart-items"></div>
<p class="mt-4">Total: <span id="cart-total">$0.00</span></p><button class="rounded bg-green-800 px-6 py-2 text-white">Check out</button></form>
""" + FOOT)
    return store
