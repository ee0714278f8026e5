"""Northern Pantry: a Canadian Jekyll theme with Snipcart and microdata, one tag page per tag."""

from __future__ import annotations

from .common import Store, dollars, esc

SITE = "https://northern-pantry.example"

# slug, sku (also the Snipcart id), name, price (cents), struck price, tags, blurb
PRODUCTS = [
    ("maple-syrup-amber", "NP-101", "Amber Maple Syrup 540 ml", 1299, None, ["maple"], "Quebec grade A amber, rich taste."),
    ("ice-wine-jelly", "NP-102", "Ice Wine Jelly", 950, None, ["preserves"], "Niagara Vidal ice wine set into a soft jelly."),
    ("smoked-salmon", "NP-103", "Candied Smoked Salmon 200 g", 2499, 2999, ["seafood"], "Wild sockeye, alder smoked in Prince Rupert."),
    ("wild-blueberry-jam", "NP-104", "Wild Blueberry Jam", 800, None, ["preserves"], "Lowbush blueberries from Nova Scotia."),
    ("butter-tarts", "NP-105", "Butter Tarts (6)", 1400, None, ["baking"], "Runny, no raisins, baked Friday mornings."),
]
TAGS = ["maple", "preserves", "seafood", "baking"]


def head(title: str, path: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-CA">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} | Northern Pantry</title>
  <link rel="canonical" href="{SITE}{path}">
  <link rel="stylesheet" href="/assets/css/style.css">
  <link rel="stylesheet" href="https://cdn.snipcart.com/themes/v3.2.2/default/snipcart.css">
</head>
<body>
  <header class="site-header">
    <a class="site-title" href="/">Northern Pantry</a>
    <nav class="site-nav">{" ".join(f'<a class="page-link" href="/tags/{t}/">{t.title()}</a>' for t in TAGS)} <a class="page-link" href="/about/">About</a> <a class="page-link snipcart-checkout" href="/cart/">Cart</a></nav>
  </header>
  <main class="page-content">
"""


FOOT = """  </main>
  <footer class="site-footer"><p>Northern Pantry · Halifax, Nova Scotia · Shipping across Canada, free over $60</p></footer>
  <div hidden id="snipcart" data-api-key="ZXhhbXBsZS1wdWJsaWMta2V5"></div>
  <script async src="https://cdn.snipcart.com/themes/v3.2.2/default/snipcart.js"></script>
</body>
</html>
"""


def product_block(p: tuple, heading: str, full: bool) -> str:
    """The product include, used on the product page and (unchanged) on tag pages."""
    slug, sku, name, price, was, _tags, blurb = p
    struck = f' <s class="was">{dollars(was)}</s>' if was else ""
    qty = '\n        <label>Qty <input type="number" name="quantity" value="1" min="1" class="qty"></label>' if full else ""
    return f"""    <div class="product" itemscope itemtype="http://schema.org/Product">
      <img itemprop="image" src="/assets/img/{slug}.jpg" alt="{esc(name)}" width="{600 if full else 300}">
      <{heading} class="product-name" itemprop="name">{esc(name)}</{heading}>
      <meta itemprop="sku" content="{sku}">
      <link itemprop="url" href="{SITE}/products/{slug}/">
      <p itemprop="description">{esc(blurb)}</p>
      <p class="product-price" itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span class="amount" itemprop="price" content="{price / 100:.2f}">{dollars(price)}</span>{struck}</p>
      <div class="buy">{qty}
        <button class="snipcart-add-item button" data-item-id="{sku}" data-item-name="{esc(name)}" data-item-price="{price / 100:.2f}" data-item-url="/products/{slug}/" data-item-image="/assets/img/{slug}.jpg">Add to cart</button>
      </div>
    </div>
"""


def build() -> Store:
    store = Store(
        "northern-pantry-jekyll-tags",
        "Jekyll, en-CA: microdata (sku, no priceCurrency) plus Snipcart buttons with relative "
        "data-item-url; every tag page repeats the product include in full, so a tag with one product "
        "looks like a product page (its canonical link is the tag's own); jekyll-redirect-from stubs.",
        ["microdata", "snipcart", "dollar-by-locale", "single-product-listing", "redirect-stub", "sale-s",
         "canonical-without-base-url"],
        config='base_url = "https://northern-pantry.example/"\ndefault_currency = "CAD"\n',
    )
    for p in PRODUCTS:
        body = head(p[2], f"/products/{p[0]}/") + f"""    <p class="breadcrumbs"><a href="/">Home</a> › <a href="/tags/{p[5][0]}/">{p[5][0].title()}</a> › {esc(p[2])}</p>
{product_block(p, "h1", True)}    <p class="tags">Tagged: {", ".join(f'<a href="/tags/{t}/">{t}</a>' for t in p[5])}</p>
""" + FOOT
        store.product(f"products/{p[0]}/index.html", body, id=p[1], price=p[3], currency="CAD", selector=".product-price .amount")
    for tag in TAGS:
        tagged = [p for p in PRODUCTS if tag in p[5]]
        store.page(f"tags/{tag}/index.html", head(f"Tagged “{tag}”", f"/tags/{tag}/") + f"""    <h1 class="page-heading">Tagged “{tag}”</h1>
{"".join(product_block(p, "h2", False) for p in tagged)}""" + FOOT)
    store.page("index.html", head("Northern Pantry", "/") + """    <h1 class="page-heading">Pantry goods from coast to coast</h1>
    <ul class="post-list">
""" + "".join(f'      <li><a href="/products/{p[0]}/">{esc(p[2])}</a> — {dollars(p[3])}</li>\n' for p in PRODUCTS) + """    </ul>
""" + FOOT)
    store.page("about/index.html", head("About", "/about/") + """    <h1 class="page-heading">About</h1>
    <p>We are a small grocer in Halifax shipping Canadian pantry staples since 2016.</p>
""" + FOOT)
    store.page("cart/index.html", head("Cart", "/cart/") + """    <h1 class="page-heading">Cart</h1>
    <p><button class="snipcart-checkout button">Open the cart</button></p>
""" + FOOT)
    for old, new in (("old/maple-syrup.html", "products/maple-syrup-amber/"), ("shop/salmon/index.html", "products/smoked-salmon/")):
        store.page(old, f"""<!DOCTYPE html>
<html lang="en-US">
  <meta charset="utf-8">
  <title>Redirecting&hellip;</title>
  <link rel="canonical" href="{SITE}/{new}">
  <script>location="{SITE}/{new}"</script>
  <meta http-equiv="refresh" content="0; url={SITE}/{new}">
  <meta name="robots" content="noindex">
  <h1>Redirecting&hellip;</h1>
  <a href="{SITE}/{new}">Click here if you are not redirected.</a>
</html>
""")
    return store
