"""Sticker Lab: a Snipcart demo theme whose only visible price is the buy button's own text."""

from __future__ import annotations

import json

from .common import Store, esc

SITE = "https://sticker-lab.example"

# slug, item id, name, data-item-price as written, price (cents), button label, blurb
PRODUCTS = [
    ("sticker-pack", "sticker-pack", "Sticker pack (10)", "12.34", 1234, "Buy for 12.34$", "Ten die-cut vinyl stickers, weatherproof."),
    ("enamel-pin", "enamel-pin", "Enamel pin", "8.50", 850, "Buy for 8.50$", "Hard enamel, gold plating, rubber clutch."),
    ("tote-bag", "tote-bag", "Canvas tote", "6", 600, "Buy for 6 USD", "Natural canvas, screen printed in one colour."),
    ("risograph-poster", "riso-poster", "Risograph poster A3", "19.99", 1999, "Buy for 19.99$", "Two-colour riso print on 120 g paper."),
    ("mug", "mug", "Diner mug", "15", 1500, "Buy for 15$", "Heavy ceramic diner mug, 350 ml."),
]


def head(title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} - Sticker Lab</title>
  <link rel="stylesheet" href="/style.css">
  <link rel="stylesheet" href="https://cdn.snipcart.com/themes/v3.3.1/default/snipcart.css">
</head>
<body>
  <header class="site-header">
    <a href="/" class="brand">Sticker Lab</a>
    <nav><a href="/">Products</a> <a href="/docs/">How it works</a> <a href="/about.html">About</a> <a href="#" class="snipcart-checkout">Cart</a></nav>
  </header>
"""


FOOT = """  <footer class="site-footer"><p>Sticker Lab is a demo store for Snipcart's HTML integration.</p></footer>
  <script src="/quantity.js"></script>
  <div hidden id="snipcart" data-api-key="ZXhhbXBsZS1wdWJsaWMta2V5"></div>
  <script async src="https://cdn.snipcart.com/themes/v3.3.1/default/snipcart.js"></script>
</body>
</html>
"""


def attributes(p: tuple) -> list[tuple[str, str]]:
    slug, item, name, raw_price, _cents, _label, blurb = p
    # Snipcart's JSON crawler validates prices against products.json, so the theme points every
    # data-item-url at that file rather than at the page
    return [("data-item-id", item), ("data-item-price", raw_price), ("data-item-url", "/products.json"),
            ("data-item-name", name), ("data-item-image", f"/img/{slug}.png"), ("data-item-description", blurb)]


def button(p: tuple) -> str:
    attrs = " ".join(f'{key}="{esc(value)}"' for key, value in attributes(p))
    return f'<button class="snipcart-add-item buy-button" {attrs}>{esc(p[5])}</button>'


def code_sample(p: tuple) -> str:
    lines = "\n".join(f'  {key}="{value}"' for key, value in attributes(p))
    return esc(f'<button class="snipcart-add-item buy-button"\n{lines}>\n  {p[5]}\n</button>')


def product_page(p: tuple) -> str:
    slug, item, name, _raw, _cents, _label, blurb = p
    return head(name) + f"""  <main class="product">
    <p class="crumbs"><a href="/">Products</a> → {esc(name)}</p>
    <img class="product-image" src="/img/{slug}.png" alt="{esc(name)}" width="480" height="480">
    <h1>{esc(name)}</h1>
    <p class="description">{esc(blurb)}</p>
    <div class="buy">
      <label for="quantity">Quantity</label>
      <input id="quantity" class="quantity" type="number" value="1" min="1" data-for="{item}">
      {button(p)}
    </div>
    <h2>The markup of this button</h2>
    <p>Copy this into your own page to sell the same item:</p>
    <pre><code class="language-html">{code_sample(p)}</code></pre>
  </main>
""" + FOOT


def build() -> Store:
    store = Store(
        "sticker-lab-buy-button",
        "A Snipcart demo theme, <html lang=en>: the only visible price is the buy button's label "
        "('Buy for 12.34$', 'Buy for 6 USD'), data-item-url points to /products.json, every product "
        "page shows the button's markup in <pre><code>, and a docs page shows only such a sample.",
        ["snipcart-only", "price-in-button-only", "currency-suffix", "currency-code", "integer-price",
         "data-item-url-json", "code-sample", "no-canonical", "bare-dollar-guessed"],
        config=('base_url = "https://sticker-lab.example/"\ndefault_currency = "USD"\n\n'
                '[placement]                    # the only price is the buy button\n'
                'selector = "button.buy-button"\nposition = "after"\n'),
    )
    for p in PRODUCTS:
        store.product(f"products/{p[0]}.html", product_page(p), id=p[1], price=p[4], currency="USD", selector="button.buy-button")
    cards = "".join(f"""    <li class="card">
      <a href="/products/{p[0]}.html"><img src="/img/{p[0]}.png" alt="{esc(p[2])}" width="240" height="240"></a>
      <h2><a href="/products/{p[0]}.html">{esc(p[2])}</a></h2>
      {button(p)}
    </li>
""" for p in PRODUCTS)
    store.page("index.html", head("Products") + f"""  <main>
    <h1>Stickers, pins and paper goods</h1>
    <ul class="cards">
{cards}    </ul>
  </main>
""" + FOOT)
    sample = PRODUCTS[0]
    store.page("docs/index.html", head("How it works") + f"""  <main class="docs">
    <h1>How it works</h1>
    <p>Each product is a plain button with Snipcart's data attributes. Snipcart reads
    <code>data-item-price</code> and checks it against <code>/products.json</code> at checkout.</p>
    <pre><code class="language-html">{code_sample(sample)}</code></pre>
    <p>Quantities come from the input next to the button (see <code>quantity.js</code>).</p>
  </main>
""" + FOOT)
    store.page("about.html", head("About") + """  <main>
    <h1>About</h1>
    <p>Two illustrators, one cutter plotter, and far too many stickers.</p>
  </main>
""" + FOOT)
    store.page("404.html", head("Not found") + """  <main><h1>Not found</h1><p><a href="/">Back to the products</a></p></main>
""" + FOOT)
    crawl = [{"id": p[1], "price": float(p[3]), "url": "/products.json"} for p in PRODUCTS]
    store.extra_files["products.json"] = json.dumps(crawl, indent=2) + "\n"
    return store
