"""The sample store's own generator: a home-made Jinja2 script, as many small shops have.

Run ``python sample_site/generate.py`` to rewrite ``sample_site/public/`` from the data below.
The output is committed, so the README's main command needs no generator. Each product
page uses a different way of carrying its data (the extraction sources croissant-embed
reads), the way different themes do.
"""

from __future__ import annotations

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
    # sold in sizes at their own prices; `price` is the default size's, which listings show
    dict(id="AN-KNT-001", slug="strikket-genser-blabaer", name="Strikket genser – Blåbær", price="159.00", category="knitwear", style="productgroup",
         text="Hand-finished Norwegian wool jumper in bilberry blue.", sizes={"S": "149.00", "M": "159.00", "L": "175.00"}, default_size="M"),
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
    <div class="wrap">
      <a class="brand" href="/"><svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><path d="M2 27 12 9l5 9 4-6 9 15z"/></svg>Atelier Nord</a>
      <nav class="site-nav" aria-label="Shop">{% for slug, label in categories.items() %}<a href="/{{ slug }}/"{% if slug == section %} aria-current="page"{% endif %}>{{ label }}</a> {% endfor %}<a href="/about/">About</a></nav>
      <a class="cart-link" href="/cart/"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 7H6.2"/><circle cx="9" cy="19" r="1.5"/><circle cx="17" cy="19" r="1.5"/></svg>Cart</a>
    </div>
  </header>
  <main class="wrap">
{% block main %}{% endblock %}
  </main>
  <footer class="site-footer">
    <div class="wrap">
      <div><strong>Atelier Nord</strong><p>Clothing and gear for the Arctic coast, made in small batches in Tromsø.</p></div>
      <div><strong>Shop</strong><p>{% for slug, label in categories.items() %}<a href="/{{ slug }}/">{{ label }}</a><br>{% endfor %}</p></div>
      <div><strong>Buy it, wear it, sell it back</strong><p>Eligible items come with Croissant's guaranteed buyback. <a href="/about/">About us</a></p></div>
      <p class="legal">© 2026 Atelier Nord · Tromsø</p>
    </div>
  </footer>
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
    <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> <span aria-hidden="true">/</span> <a href="/{{ p.category }}/">{{ categories[p.category] }}</a></nav>
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
      <div class="product-media">
        <img src="/img/{{ p.slug }}.svg" alt="{{ p.name }}" width="480" height="360"{% if p.style.startswith("microdata") %} itemprop="image"{% endif %}>
      </div>
      <div class="product-info">
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
{%- if p.sizes %}
        <label class="variant-picker">Size
          <select name="size" form="add-to-cart">{% for v in variants_of(p) %}<option value="{{ v.id }}" data-price="{{ money(v.price) }}"{% if v.size == p.default_size %} selected{% endif %}>{{ v.size }}</option>{% endfor %}</select>
        </label>
{%- endif %}
{%- if p.style == "microdata-slot" %}
        <croissant-slot></croissant-slot>
{%- endif %}
        <form class="add-to-cart" action="/cart/" method="get"{% if p.sizes %} id="add-to-cart"{% endif %}>
          <label>Quantity <input type="number" name="quantity" value="1" min="1" max="10"></label>
{%- if p.style == "snipcart" %}
          <button class="snipcart-add-item" type="button" data-item-id="{{ p.id }}" data-item-name="{{ p.name }}" data-item-price="{{ p.price }}" data-item-url="/products/{{ p.slug }}/" data-item-image="/img/{{ p.slug }}.svg">Add to cart</button>
{%- else %}
          <button type="submit" name="product" value="{{ p.id }}">Add to cart</button>
{%- endif %}
        </form>
        <p class="description"{% if p.style.startswith("microdata") %} itemprop="description"{% endif %}>{{ p.text }}</p>
        <ul class="perks"><li>Free shipping and returns</li><li>Made in small batches in Tromsø</li></ul>
      </div>
{%- if p.sizes %}
      <script>
        /* The theme's own: show the chosen size's price. */
        document.querySelector(".variant-picker select").addEventListener("change", function (event) {
          document.querySelector(".price-block .price").textContent = event.target.selectedOptions[0].getAttribute("data-price");
        });
      </script>
{%- endif %}
    </article>
{%- endif %}
{% endblock %}
"""

LISTING = """{% extends "layout" %}
{% block main %}
{%- if intro %}
    <section class="intro">
      <p class="eyebrow">Autumn and winter</p>
      <h1>{{ title }}</h1>
      <p>{{ intro }}</p>
    </section>
{%- else %}
    <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a></nav>
    <h1>{{ title }}</h1>
{%- endif %}
    <ul class="product-grid">
{%- for p in items %}
      <li class="card" itemscope itemtype="https://schema.org/Product">
        <a href="/products/{{ p.slug }}/" itemprop="url"><img src="/img/{{ p.slug }}.svg" alt="" width="480" height="360"><span itemprop="name">{{ p.name }}</span></a>
        <span class="price">{{ money(p.price) if p.price else "Price to be announced" }}</span>
        <button class="snipcart-add-item" data-item-id="{{ p.id }}" data-item-name="{{ p.name }}" data-item-price="{{ p.price or '' }}" data-item-url="/products/{{ p.slug }}/">Add</button>
      </li>
{%- endfor %}
    </ul>
{% endblock %}
"""

ABOUT = """{% extends "layout" %}
{% block main %}
    <article class="prose">
      <h1>About Atelier Nord</h1>
      <p>We make clothing and gear for the Arctic coast, in small batches, from Tromsø.</p>
      <p>Eligible products come with Croissant's guaranteed buyback: opt in at checkout and sell the item back later at a price shown up front.</p>
    </article>
{% endblock %}
"""

CART = """{% extends "layout" %}
{% block main %}
    <h1>Your cart</h1>
    <div class="checkout">
      <form id="checkout" class="panel" action="/checkout" method="post">
        <fieldset>
          <legend>Your order</legend>
          <label>Product
            <select name="product_id">{% for p in items if p.price %}<option value="{{ p.id }}" data-price="{{ p.price }}">{{ p.name }} · {{ money(p.price) }}</option>{% endfor %}</select>
          </label>
          <label>Quantity <input type="number" name="quantity" value="1" min="1" max="10"></label>
        </fieldset>
        <fieldset>
          <legend>Contact</legend>
          <label>Email <input type="email" name="email" required></label>
        </fieldset>
        <button type="submit">Pay now</button>
      </form>
      <aside class="panel summary" aria-live="polite">
        <h2>Order summary</h2>
        <dl>
          <dt>Item</dt><dd id="summary-item"></dd>
          <dt>Quantity</dt><dd id="summary-quantity"></dd>
          <dt>Shipping</dt><dd>Free</dd>
          <dt class="total">Total</dt><dd class="total" id="summary-total"></dd>
        </dl>
        <p class="note">Chose Croissant's guaranteed buyback on a product page? Your choice goes with the order when you pay.</p>
      </aside>
    </div>
    <script>
      /* The theme's own: take what the product page's form sent (?size= or ?product=, ?quantity=) and show the total. */
      (function () {
        var form = document.getElementById("checkout"), query = new URLSearchParams(window.location.search);
        var select = form.elements.product_id, quantity = form.elements.quantity;
        var wanted = query.get("size") || query.get("product");
        Array.prototype.forEach.call(select.options, function (option) { if (option.value === wanted) { select.value = wanted; } });
        if (parseInt(query.get("quantity"), 10) > 0) { quantity.value = parseInt(query.get("quantity"), 10); }
        function show() {
          var option = select.selectedOptions[0], count = parseInt(quantity.value, 10) || 1;
          document.getElementById("summary-item").textContent = option ? option.textContent.split(" · ")[0] : "";
          document.getElementById("summary-quantity").textContent = String(count);
          document.getElementById("summary-total").textContent = option ? "$" + (parseFloat(option.getAttribute("data-price")) * count).toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2}) : "";
        }
        form.addEventListener("input", show);
        form.addEventListener("change", show);
        show();
      })();
    </script>
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


IMAGE = """<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360" role="img" aria-label="{{ p.name }}">
  <rect width="480" height="360" fill="{{ tint }}"/>
  <ellipse cx="240" cy="282" rx="140" ry="12" fill="{{ colour }}" opacity=".15"/>
  <g fill="{{ colour }}" stroke="{{ tint }}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">
{%- if p.category == "jackets" %}
    <path stroke="none" d="M190 70 240 95 290 70 340 92 372 200 338 210 312 140V275H168V140L142 210 108 200 140 92Z"/>
    <path fill="none" d="M240 98V275M212 72 240 104 268 72M184 220H214M266 220H296"/>
{%- elif p.category == "knitwear" %}
    <path stroke="none" d="M192 72Q240 112 288 72L340 92 372 205 338 214 312 145V275H168V145L142 214 108 205 140 92Z"/>
    <path fill="none" d="M168 256H312M120 192 150 184M360 192 330 184M168 160H312M168 176H312" stroke-dasharray="10 7"/>
{%- elif p.category == "bags" %}
    <path fill="none" stroke="{{ colour }}" stroke-width="12" d="M202 134V114A38 38 0 0 1 278 114V134"/>
    <rect stroke="none" x="158" y="128" width="164" height="147" rx="18"/>
    <path fill="none" d="M158 176H322"/>
    <rect fill="{{ tint }}" stroke="none" x="228" y="168" width="24" height="18" rx="3"/>
{%- else %}
    <circle stroke="none" cx="336" cy="104" r="28" opacity=".5"/>
    <path stroke="none" d="M96 275 200 120 250 195 290 150 384 275Z"/>
    <path fill="{{ tint }}" stroke="none" d="M200 120 225 158 212 152 200 165 188 151 176 157Z"/>
{%- endif %}
  </g>
  <text x="240" y="326" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="22" font-weight="600" fill="{{ colour }}" text-anchor="middle">{{ p.name }}</text>
</svg>
"""

# Each product's picture: (background tint, shape colour), by its place in PRODUCTS.
PALETTE = [("#e6edf1", "#2f4858"), ("#e2ecf6", "#33658a"), ("#e8efe2", "#5f7a3c"), ("#ece6f2", "#5b4a8f"),
           ("#f7eedd", "#a86a12"), ("#f6e5dd", "#b4492f"), ("#efe8e1", "#6b4f3a")]

# The theme's stylesheet: system fonts, no external assets, one column under 48rem.
SITE_CSS = """:root{--ink:#1d2a31;--muted:#5b6b73;--line:#e3ded6;--paper:#fbf9f6;--accent:#1f4e5f;--accent-dark:#163b48;--radius:.75rem}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{display:flex;flex-direction:column;min-height:100vh;margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;color:var(--ink);background:var(--paper)}
a{color:var(--accent)}
img{display:block;max-width:100%;height:auto}
h1{font-size:clamp(1.6rem,4vw,2.2rem);line-height:1.15;letter-spacing:-.01em;margin:.25rem 0 1rem}
h2{font-size:1.15rem;margin:0 0 .75rem}
.wrap{max-width:72rem;margin:0 auto;padding:0 1.25rem}
main.wrap{flex:1 0 auto;width:100%;padding-top:1.5rem;padding-bottom:3rem}

/* header */
.site-header{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid var(--line)}
.site-header .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.75rem;min-height:4rem}
.brand{display:flex;align-items:center;gap:.5rem;font-size:1.2rem;font-weight:700;letter-spacing:.02em;color:var(--ink);text-decoration:none}
.brand-mark{width:1.8rem;height:1.8rem;fill:var(--accent)}
.site-nav{display:flex;gap:1.25rem;flex:1;overflow-x:auto;white-space:nowrap}
.site-nav a{padding:.3rem 0;border-bottom:2px solid transparent;color:var(--muted);font-size:.95rem;text-decoration:none}
.site-nav a:hover,.site-nav a[aria-current]{color:var(--ink);border-bottom-color:var(--accent)}
.cart-link{display:flex;align-items:center;gap:.4rem;margin-left:auto;padding:.45rem .95rem;border:1px solid var(--line);border-radius:999px;color:var(--ink);font-weight:600;font-size:.95rem;text-decoration:none}
.cart-link:hover{border-color:var(--ink)}
.cart-link svg{width:1.2rem;height:1.2rem;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.breadcrumbs{margin-bottom:1rem;color:var(--muted);font-size:.85rem}
.breadcrumbs a{color:var(--muted);text-decoration:none}
.breadcrumbs a:hover{text-decoration:underline}

/* buttons and form controls (scoped: the buyback component brings its own) */
button,.button{display:inline-block;min-height:2.75rem;padding:.65rem 1.4rem;border:0;border-radius:999px;background:var(--accent);color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
button:hover,.button:hover{background:var(--accent-dark)}
select,input[type=number],input[type=email]{min-height:2.75rem;padding:.55rem .75rem;border:1px solid #cfc8bd;border-radius:.5rem;background:#fff;color:var(--ink);font:inherit}
.variant-picker,.add-to-cart label,.checkout label{display:flex;flex-direction:column;gap:.35rem;color:var(--muted);font-size:.85rem;font-weight:600}

/* home and listing pages */
.intro{margin-bottom:2rem;padding:clamp(1.5rem,5vw,3.5rem);border-radius:var(--radius);background:linear-gradient(135deg,#1f4e5f,#2f4858 60%,#3d6b7b);color:#fff}
.intro h1{font-size:clamp(1.8rem,5vw,2.8rem)}
.intro p{max-width:36rem;margin:.25rem 0;color:#dce8ec}
.intro .eyebrow{color:#a9cbd6;font-size:.8rem;font-weight:600;letter-spacing:.12em;text-transform:uppercase}
.product-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1.25rem;margin:0;padding:0;list-style:none}
.card{display:flex;flex-direction:column;overflow:hidden;border:1px solid var(--line);border-radius:var(--radius);background:#fff;transition:box-shadow .15s,transform .15s}
.card:hover{box-shadow:0 8px 24px rgba(29,42,49,.08);transform:translateY(-2px)}
.card a{display:flex;flex:1;flex-direction:column;gap:.75rem;color:var(--ink);font-weight:600;text-decoration:none}
.card a span{padding:0 1rem}
.card img{width:100%;aspect-ratio:4/3;object-fit:cover}
.card .price{padding:.2rem 1rem 0;color:var(--muted);font-size:1.05rem;font-weight:600}
.card button{align-self:flex-start;min-height:0;margin:.75rem 1rem 1rem;padding:.35rem 1rem;border:1px solid var(--accent);background:transparent;color:var(--accent)}
.card button:hover{background:var(--accent);color:#fff}

/* product pages: picture left, what to buy right */
.product,.legacy-product{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1rem clamp(1.5rem,4vw,3.5rem);align-items:start}
.product-media img,.legacy-product .hero{width:100%;border:1px solid var(--line);border-radius:var(--radius);background:#fff}
.product-info h1{margin-top:0}
.price{font-size:1.5rem;font-weight:700;font-variant-numeric:tabular-nums}
.price--tba{color:var(--muted);font-size:1.1rem;font-weight:600}
.price-block{margin-bottom:1.25rem}
croissant-toggle-pdp,croissant-slot{display:block;max-width:30rem;font-size:.92rem}
croissant-slot{margin:-.75rem 0 1rem}
.variant-picker{max-width:12rem;margin-bottom:1rem}
.add-to-cart{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.75rem;margin-bottom:1.5rem}
.add-to-cart input{width:5.5rem}
.add-to-cart button{flex:1;min-width:12rem}
.description{margin:0 0 1rem;color:#3a4850}
.perks{margin:0;padding:1rem 0 0;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;list-style:none}
.perks li::before{content:"\\2713  ";color:var(--accent);font-weight:700}
/* the old theme's page: the picture spans the text column's rows, the last row takes the rest */
.legacy-product{grid-template-rows:repeat(5,auto) 1fr;row-gap:0}
.legacy-product .hero{grid-column:1;grid-row:1/-1}
.legacy-product>:not(.hero){grid-column:2;margin:0 0 .75rem}
.legacy-product .sku{font-family:ui-monospace,monospace}
.legacy-product .cost{margin:0;font-size:1.5rem;font-weight:700}

/* cart and checkout */
.checkout{display:grid;grid-template-columns:minmax(0,1.5fr) minmax(0,1fr);gap:1.5rem;align-items:start}
.panel{padding:1.5rem;border:1px solid var(--line);border-radius:var(--radius);background:#fff}
.checkout fieldset{display:grid;gap:1rem;margin:0 0 1.5rem;padding:0;border:0}
.checkout legend{margin-bottom:.75rem;padding:0;color:var(--ink);font-size:1.05rem;font-weight:700}
.checkout button{width:100%;min-height:3rem}
.summary dl{display:grid;grid-template-columns:1fr auto;row-gap:.6rem;margin:0}
.summary dt{color:var(--muted)}
.summary dd{margin:0;padding-left:1rem;font-weight:600;text-align:right}
.summary .total{padding-top:.75rem;border-top:1px solid var(--line);color:var(--ink);font-size:1.1rem;font-weight:700}
.note{margin:1.25rem 0 0;padding:.75rem;border:1px solid #efe3c8;border-radius:.5rem;background:#fffaf0;color:var(--muted);font-size:.85rem}
.confirmation{max-width:40rem;margin:0 auto}
.prose{max-width:40rem}

/* footer */
.site-footer{margin-top:2rem;background:var(--ink);color:#c9d3d8;font-size:.9rem}
.site-footer .wrap{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1.5rem;padding-top:2.5rem;padding-bottom:2rem}
.site-footer strong{color:#fff}
.site-footer a{color:#e6eef1}
.site-footer p{margin:.5rem 0 0}
.site-footer .legal{grid-column:1/-1;padding-top:1rem;border-top:1px solid #33444d;color:#8fa1a9}
.site-footer .legal:first-child{padding-top:0;border-top:0}

/* phones */
@media (max-width:48rem){
.product,.legacy-product,.checkout{grid-template-columns:1fr}
.legacy-product{grid-template-rows:none}
.legacy-product .hero,.legacy-product>:not(.hero){grid-column:1;grid-row:auto}
.legacy-product .hero{margin-bottom:1rem}
}
@media (max-width:40rem){
.site-header{position:static}
.site-header .wrap{padding-top:.6rem;padding-bottom:.6rem}
.site-nav{order:3;flex-basis:100%;gap:1rem}
.product-grid{grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.75rem}
}
"""


def money(price: str) -> str:
    whole, _, cents = price.partition(".")
    return f"${int(whole):,}.{cents or '00'}"


def _script_safe(text: str) -> str:
    """JSON that cannot end its <script> early."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def variants_of(p: dict) -> list[dict]:
    """What a shopper can buy of a product: each size as its own item (own sku and price), else the product."""
    return [{**p, "id": f"{p['id']}-{size}", "name": f"{p['name']} ({size})", "size": size, "price": price}
            for size, price in p.get("sizes", {}).items()] or [p]


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
    variants = [{"@type": "Product", "sku": v["id"], "name": v["name"], "size": v["size"], "offers": _offer(v)} for v in variants_of(p)]
    return _script_safe(json.dumps({"@context": "https://schema.org", "@type": "ProductGroup", "productGroupID": p["id"], "name": p["name"],
                       "brand": {"@type": "Brand", "name": "Atelier Nord"}, "variesBy": ["https://schema.org/size"], "hasVariant": variants}, ensure_ascii=False))


def main() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"layout": LAYOUT, "product": PRODUCT, "listing": LISTING, "about": ABOUT, "cart": CART, "draft": DRAFT, "image": IMAGE}),
                             autoescape=True, keep_trailing_newline=True)
    env.globals.update(categories=CATEGORIES, base=BASE, money=money, jsonld=jsonld, graph=graph, group=group, variants_of=variants_of,
                       section=None, intro=None)
    if PUBLIC.exists():
        shutil.rmtree(PUBLIC)

    def write(rel: str, text: str) -> None:
        path = PUBLIC / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    for p in PRODUCTS:
        write(f"products/{p['slug']}/index.html", env.get_template("product").render(p=p, title=p["name"], section=p["category"]))
    for slug, label in CATEGORIES.items():
        write(f"{slug}/index.html", env.get_template("listing").render(title=label, section=slug,
                                                                          items=[p for p in PRODUCTS if p["category"] == slug]))
    write("index.html", env.get_template("listing").render(title="New this season", items=PRODUCTS[:6],
                                                                intro="Shells, down and wool for the Arctic coast, made in small batches in Tromsø."))
    write("about/index.html", env.get_template("about").render(title="About"))
    write("cart/index.html", env.get_template("cart").render(title="Cart", items=[v for p in PRODUCTS for v in variants_of(p)]))
    write("products/draft/index.html", env.get_template("draft").render(title="Draft"))
    write("old-parka/index.html", REDIRECT)
    for index, p in enumerate(PRODUCTS):
        tint, colour = PALETTE[index % len(PALETTE)]
        write(f"img/{p['slug']}.svg", env.get_template("image").render(p=p, tint=tint, colour=colour))
    write("css/site.css", SITE_CSS)


if __name__ == "__main__":
    main()
