"""Kōji Ceramics: an Astro-style Tailwind theme, minified to one line, JSON-LD inside the body."""

from __future__ import annotations

from .common import Store, esc, jsonld, minify

SITE = "https://koji-ceramics.example"

# slug, sku, name, price (cents), struck price, JSON-LD price as printed, blurb
PRODUCTS = [
    ("tea-bowl", "KJ-101", "Shino Tea Bowl", 4800, None, "48.00", "Wheel-thrown stoneware with a crawling white shino glaze."),
    ("side-handle-teapot", "KJ-102", "Kyusu Side-Handle Teapot", 12000, None, 120, "Unglazed red clay with a built-in ceramic mesh; 280 ml."),
    ("cup-set", "KJ-103", "Yunomi Cups, Set of 4", 3600, 4800, "36.00", "Four tall cups in ash glaze; each one a little different."),
    ("bud-vase", "KJ-104", "Tenmoku Bud Vase", 2950, None, "29.50", "Iron-rich tenmoku that breaks to rust on the rims."),
    ("dinner-plate", "KJ-105", "Speckled Dinner Plate", 3400, None, "34.00", "27 cm, dishwasher safe, speckled oatmeal glaze."),
]


def money(cents: int) -> str:
    return f"${cents // 100}" if cents % 100 == 0 and cents >= 10000 else f"${cents // 100}.{cents % 100:02d}"


def shell(title: str, path: str, main: str) -> str:
    return minify(f"""<!DOCTYPE html>
<html lang="en" class="h-full">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<meta name="generator" content="Astro v4.5.9">
<title>{esc(title)} — Kōji Ceramics</title>
<link rel="canonical" href="{SITE}{path}">
<link rel="stylesheet" href="/_astro/index.Bq3kLx9d.css">
</head>
<body class="h-full bg-stone-50 text-stone-800 antialiased">
<header class="border-b border-stone-200 bg-white">
  <div class="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
    <a href="/" class="text-lg font-bold tracking-tight">Kōji Ceramics</a>
    <nav class="flex gap-6 text-sm">
      <a href="/shop/" class="hover:text-stone-500">Shop</a>
      <a href="/collections/teaware/" class="hover:text-stone-500">Teaware</a>
      <a href="/about/" class="hover:text-stone-500">About</a>
      <a href="/cart/" class="hover:text-stone-500">Cart <span class="rounded-full bg-stone-800 px-2 text-xs text-white" data-cart-count>0</span></a>
    </nav>
  </div>
</header>
{main}
<footer class="mt-16 border-t border-stone-200 py-8 text-center text-sm text-stone-500">
  <p>Made by hand in Portland, Oregon. &copy; 2026 Kōji Ceramics.</p>
</footer>
<script type="module" src="/_astro/cart.D8fKq2aP.js"></script>
</body>
</html>
""")


def tile(p: tuple) -> str:
    slug, _sku, name, price, _was, _ld, _blurb = p
    return f"""<a href="/shop/{slug}/" class="group block">
  <img src="/_astro/{slug}.webp" alt="{esc(name)}" width="400" height="400" loading="lazy" class="aspect-square w-full rounded-lg object-cover group-hover:opacity-75">
  <h3 class="mt-3 text-sm text-stone-700">{esc(name)}</h3>
  <p class="mt-1 text-lg font-medium text-stone-900">{money(price)}</p>
</a>
"""


def listing(title: str, path: str, items: list[tuple]) -> str:
    return shell(title, path, f"""<main class="mx-auto max-w-6xl px-4 py-10">
  <nav class="mb-6 text-sm text-stone-500"><a href="/">Home</a> / <span>{esc(title)}</span></nav>
  <h1 class="mb-8 text-3xl font-bold tracking-tight">{esc(title)}</h1>
  <div class="grid grid-cols-2 gap-x-6 gap-y-10 lg:grid-cols-4">
{"".join(tile(p) for p in items)}  </div>
</main>""")


def data(p: tuple) -> dict:
    slug, sku, name, _price, _was, ld_price, blurb = p
    return {
        "@context": "https://schema.org", "@type": "Product", "name": name, "sku": sku,
        "image": f"{SITE}/_astro/{slug}.webp", "description": blurb,
        "brand": {"@type": "Brand", "name": "Kōji Ceramics"},
        "offers": {"@type": "Offer", "price": ld_price, "priceCurrency": "USD",
                   "availability": "https://schema.org/InStock", "url": f"{SITE}/shop/{slug}/"},
    }


def product_page(p: tuple) -> str:
    slug, sku, name, price, was, _ld, blurb = p
    struck = f'<p class="text-lg text-stone-400 line-through">{money(was)}</p><span class="rounded bg-red-100 px-2 py-0.5 text-xs font-medium text-red-700">Sale</span>' if was else ""
    related = "".join(tile(q) for q in [q for q in PRODUCTS if q[0] != slug][:3])
    return shell(name, f"/shop/{slug}/", f"""<main class="mx-auto max-w-6xl px-4 py-10">
  <nav class="mb-6 text-sm text-stone-500"><a href="/">Home</a> / <a href="/shop/">Shop</a> / <span>{esc(name)}</span></nav>
  {jsonld(data(p), indent=None)}
  <div class="grid gap-10 md:grid-cols-2">
    <img src="/_astro/{slug}.webp" alt="{esc(name)}" width="800" height="800" class="w-full rounded-xl">
    <div>
      <h1 class="text-3xl font-bold tracking-tight">{esc(name)}</h1>
      <div class="mt-4 flex items-baseline gap-3"><p class="text-2xl font-semibold text-stone-900">{money(price)}</p>{struck}</div>
      <p class="mt-6 text-stone-600">{esc(blurb)}</p>
      <p class="mt-2 text-xs text-stone-400">SKU {sku}</p>
      <form class="mt-8 flex gap-3" data-cart-form>
        <input type="number" name="quantity" value="1" min="1" class="w-20 rounded-md border border-stone-300 px-3 py-2">
        <button type="submit" class="flex-1 rounded-md bg-stone-900 px-6 py-3 font-medium text-white hover:bg-stone-700" data-sku="{sku}">Add to cart</button>
      </form>
    </div>
  </div>
  <section class="mt-16">
    <h2 class="mb-6 text-xl font-bold">More from the studio</h2>
    <div class="grid grid-cols-2 gap-6 lg:grid-cols-4">{related}</div>
  </section>
</main>""")


def quickview(p: tuple) -> str:
    """A fragment the theme fetches for its quick-view modal: no document around it."""
    slug, sku, name, price, _was, _ld, _blurb = p
    return minify(f"""<div class="quickview p-6">
  {jsonld(data(p), indent=None)}
  <img src="/_astro/{slug}.webp" alt="{esc(name)}" class="w-full rounded-lg">
  <h2 class="mt-4 text-xl font-bold">{esc(name)}</h2>
  <p class="text-2xl font-semibold text-stone-900">{money(price)}</p>
  <button type="button" class="mt-4 w-full rounded-md bg-stone-900 py-2 text-white" data-sku="{sku}">Add to cart</button>
</div>""")


def build() -> Store:
    store = Store(
        "koji-ceramics-tailwind-min",
        "Astro-style Tailwind theme, minified to one line (attributes unquoted): JSON-LD inside <main>, "
        "the visible price in a utility-classed <p> with no 'price' class, a struck price after it, "
        "an integer price (JSON number 120, shown '$120'), quick-view fragments without a document.",
        ["tailwind", "minified", "jsonld-in-body", "no-price-class", "sale-line-through-class", "integer-price",
         "bodyless-fragment", "related-products"],
        config='base_url = "https://koji-ceramics.example/"\n',
    )
    for p in PRODUCTS:
        store.product(f"shop/{p[0]}/index.html", product_page(p), id=p[1], price=p[3], currency="USD", selector="main p.text-2xl")
    store.page("index.html", listing("Pots for everyday tea", "/", PRODUCTS[:4]))
    store.page("shop/index.html", listing("Shop all", "/shop/", PRODUCTS))
    store.page("collections/teaware/index.html", listing("Teaware", "/collections/teaware/", PRODUCTS[:3]))
    store.page("about/index.html", shell("About", "/about/", """<main class="mx-auto max-w-3xl px-4 py-10">
  <h1 class="text-3xl font-bold">About the studio</h1>
  <p class="mt-4 text-stone-600">Kōji is a two-person studio firing a gas reduction kiln twice a month. Every piece is thrown, trimmed and glazed by hand.</p>
  <img src="/_astro/studio.webp" alt="The studio" class="mt-8 rounded-xl" width="800" height="500">
</main>"""))
    store.page("cart/index.html", shell("Cart", "/cart/", """<main class="mx-auto max-w-3xl px-4 py-10">
  <h1 class="text-3xl font-bold">Your cart</h1>
  <div id="cart-lines" class="mt-6 divide-y"></div>
  <p class="mt-6 text-right">Subtotal <span data-cart-subtotal>$0.00</span></p>
  <a href="/checkout/" class="mt-4 inline-block rounded-md bg-stone-900 px-6 py-3 text-white">Check out</a>
</main>"""))
    store.page("404.html", shell("Not found", "/404/", """<main class="mx-auto max-w-3xl px-4 py-20 text-center">
  <h1 class="text-4xl font-bold">404</h1><p class="mt-4">That page cracked in the kiln. <a class="underline" href="/shop/">Back to the shop</a>.</p>
</main>"""))
    for p in PRODUCTS[:2]:
        store.page(f"shop/{p[0]}/quickview.html", quickview(p))
    return store
