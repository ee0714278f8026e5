"""Salt & Pepper Kitchen: a WooCommerce site exported to static HTML (Simply Static style)."""

from __future__ import annotations

from .common import Store, esc, jsonld

SITE = "https://saltandpepper-kitchen.example"

# slug, sku, name, price (cents), regular price when on sale, category, blurb
PRODUCTS = [
    ("salt-pepper-mill-set", "SPK-201", "Salt & Pepper Mill Set", 3500, 5000, "tools", "Beech mills with ceramic burrs, sold as a pair."),
    ("cast-iron-skillet", "SPK-202", "Cast Iron Skillet 10\"", 4200, None, "cookware", "Pre-seasoned, 25 cm, works on induction."),
    ("knife-and-sheath", "SPK-203", "Paring Knife & Sheath", 2800, None, "tools", "Carbon steel blade with a walnut sheath."),
    ("olive-wood-board", "SPK-204", "Olive Wood Board", 6400, None, "tools", "A single piece of Tuscan olive wood, 40 cm."),
    ("linen-apron", "SPK-205", "Apron — Linen & Cotton", 2400, 3200, "textiles", "Cross-back straps and a deep front pocket."),
    ("spice-tin-set", "SPK-206", "Spice Tin Set (6)", 1950, None, "tools", "Magnetic tins with window lids."),
]


def amount(cents: int) -> str:
    return (f'<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>'
            f'{cents // 100:,}.{cents % 100:02d}</bdi></span>')


def price_html(cents: int, regular: int | None) -> str:
    if regular:
        return (f'<del aria-hidden="true">{amount(regular)}</del> <span class="screen-reader-text">Original price was: ${regular / 100:.2f}.</span>'
                f'<ins aria-hidden="true">{amount(cents)}</ins><span class="screen-reader-text">Current price is: ${cents / 100:.2f}.</span>')
    return amount(cents)


def double_escaped(name: str) -> str:
    """What the theme's JSON-LD filter does to names: escape, then escape again."""
    return esc(esc(name))


def head(title: str, path: str, ld: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} &#8211; Salt &amp; Pepper Kitchen</title>
<link rel="canonical" href="{SITE}{path}">
<link rel="stylesheet" id="woocommerce-general-css" href="/wp-content/plugins/woocommerce/assets/css/woocommerce.css?ver=8.7.0" media="all">
<link rel="stylesheet" id="theme-css" href="/wp-content/themes/kitchen/style.css?ver=1.4" media="all">
{ld}</head>
<body class="wp-singular product-template-default single single-product woocommerce woocommerce-page">
<header id="masthead" class="site-header flex items-center justify-between px-6 py-4">
  <p class="site-title text-xl font-bold"><a href="/" rel="home">Salt &amp; Pepper Kitchen</a></p>
  <nav id="site-navigation" class="main-navigation"><ul class="menu flex gap-4">
    <li class="menu-item"><a href="/shop/">Shop</a></li>
    <li class="menu-item"><a href="/product-category/cookware/">Cookware</a></li>
    <li class="menu-item"><a href="/about/">About</a></li>
    <li class="menu-item"><a href="/cart/">Cart</a></li>
  </ul></nav>
</header>
<div id="content" class="site-content mx-auto max-w-5xl">
"""


FOOT = """</div>
<footer id="colophon" class="site-footer px-6 py-8 text-sm"><div class="site-info">&copy; 2026 Salt &amp; Pepper Kitchen &middot; Proudly powered by WordPress</div></footer>
<script src="/wp-content/plugins/woocommerce/assets/js/frontend/add-to-cart.min.js?ver=8.7.0" id="wc-add-to-cart-js" defer></script>
</body>
</html>
"""


def loop_item(p: tuple, index: int) -> str:
    slug, sku, name, price, regular, _cat, _blurb = p
    return f"""    <li class="product type-product status-publish instock{' sale' if regular else ''}">
      <a href="{SITE}/product/{slug}/" class="woocommerce-LoopProduct-link woocommerce-loop-product__link"><img width="300" height="300" src="/wp-content/uploads/2026/03/{slug}-300x300.jpg" class="attachment-woocommerce_thumbnail" alt="{esc(name)}" loading="lazy"><h2 class="woocommerce-loop-product__title">{esc(name)}</h2>
      <span class="price">{price_html(price, regular)}</span></a>
      <a href="?add-to-cart={310 + index}" data-quantity="1" class="button product_type_simple add_to_cart_button ajax_add_to_cart" data-product_id="{310 + index}" data-product_sku="{sku}" rel="nofollow">Add to cart</a>
    </li>
"""


def product_page(p: tuple, index: int) -> str:
    slug, sku, name, price, regular, cat, blurb = p
    data = {"@context": "https://schema.org/", "@graph": [
        {"@type": "Product", "@id": f"{SITE}/product/{slug}/#product", "name": double_escaped(name), "url": f"{SITE}/product/{slug}/",
         "description": blurb, "image": f"{SITE}/wp-content/uploads/2026/03/{slug}.jpg", "sku": sku,
         "offers": [{"@type": "Offer", "price": f"{price / 100:.2f}",
                     "priceSpecification": {"price": f"{price / 100:.2f}", "priceCurrency": "USD", "valueAddedTaxIncluded": "false"},
                     "priceCurrency": "USD", "availability": "http://schema.org/InStock", "url": f"{SITE}/product/{slug}/"}]}]}
    related = "".join(loop_item(q, i) for i, q in [(i, q) for i, q in enumerate(PRODUCTS) if q[0] != slug and not q[4]][:2])
    return head(name, f"/product/{slug}/", jsonld(data, indent=None) + "\n") + f"""<main id="main" class="site-main">
<nav class="woocommerce-breadcrumb"><a href="/">Home</a>&nbsp;&#47;&nbsp;<a href="/product-category/{cat}/">{cat.title()}</a>&nbsp;&#47;&nbsp;{esc(name)}</nav>
<div id="product-{310 + index}" class="product type-product{' sale' if regular else ''} grid grid-cols-2 gap-8">
  <div class="woocommerce-product-gallery"><img width="600" height="600" src="/wp-content/uploads/2026/03/{slug}.jpg" class="wp-post-image" alt="{esc(name)}"></div>
  <div class="summary entry-summary">
    <h1 class="product_title entry-title">{esc(name)}</h1>
    <p class="price">{price_html(price, regular)}</p>
    <div class="woocommerce-product-details__short-description"><p>{esc(blurb)}</p></div>
    <form class="cart" action="{SITE}/product/{slug}/" method="post">
      <div class="quantity"><label class="screen-reader-text" for="quantity_{index}">{esc(name)} quantity</label><input type="number" id="quantity_{index}" class="input-text qty text" name="quantity" value="1" min="1" step="1"></div>
      <button type="submit" name="add-to-cart" value="{310 + index}" class="single_add_to_cart_button button alt">Add to cart</button>
    </form>
    <div class="product_meta"><span class="sku_wrapper">SKU: <span class="sku">{sku}</span></span></div>
  </div>
</div>
<section class="related products"><h2>Related products</h2><ul class="products columns-4">
{related}</ul></section>
</main>
""" + FOOT


def build() -> Store:
    store = Store(
        "salt-pepper-woo-export",
        "A WooCommerce site exported to static HTML: Yoast-style JSON-LD @graph in the head with "
        "double-escaped names ('Salt &amp;amp; Pepper'), offers as a list, <del>/<ins> sale prices with "
        "nested amount spans, related products with their own prices, and an empty product shell "
        "(an unpublished draft rendered as '$').",
        ["jsonld-graph", "double-escaped-entities", "sale-del-ins", "related-products", "empty-product-shell"],
        config='base_url = "https://saltandpepper-kitchen.example/"\ndefault_currency = "USD"\n',
    )
    for index, p in enumerate(PRODUCTS):
        selector = ".summary p.price ins" if p[4] else ".summary p.price"
        store.product(f"product/{p[0]}/index.html", product_page(p, index), id=p[1], price=p[3], currency="USD", selector=selector)
    featured = "".join(loop_item(p, i) for i, p in enumerate(PRODUCTS) if i in (0, 3, 4))
    store.page("index.html", head("Shop", "/") + f"""<main id="main" class="site-main"><h1 class="page-title">Tools for a well-used kitchen</h1>
<ul class="products columns-3">
{featured}</ul></main>
""" + FOOT)
    for number, start in ((1, 0), (2, 4)):
        loop = "".join(loop_item(p, i) for i, p in enumerate(PRODUCTS) if start <= i < start + 4)
        shown = f"{start + 1}&ndash;{min(start + 4, len(PRODUCTS))}"
        store.page("shop/index.html" if number == 1 else f"shop/page/{number}/index.html",
                   head("Shop", "/shop/" if number == 1 else f"/shop/page/{number}/") + f"""<main id="main" class="site-main"><h1 class="woocommerce-products-header__title page-title">Shop</h1>
<p class="woocommerce-result-count">Showing {shown} of {len(PRODUCTS)} results</p>
<ul class="products columns-3">
{loop}</ul>
<nav class="woocommerce-pagination"><ul class="page-numbers"><li><a class="page-numbers" href="/shop/">1</a></li><li><a class="page-numbers" href="/shop/page/2/">2</a></li></ul></nav></main>
""" + FOOT)
    cookware = "".join(loop_item(p, i) for i, p in enumerate(PRODUCTS) if p[5] == "cookware")
    store.page("product-category/cookware/index.html", head("Cookware", "/product-category/cookware/") + f"""<main id="main" class="site-main"><h1 class="page-title">Cookware</h1>
<p class="woocommerce-result-count">Showing the single result</p>
<ul class="products columns-3">
{cookware}</ul></main>
""" + FOOT)
    store.page("cart/index.html", head("Cart", "/cart/") + """<main id="main" class="site-main"><h1>Cart</h1>
<div class="woocommerce"><div class="cart-empty woocommerce-info">Your cart is currently empty.</div>
<p class="return-to-shop"><a class="button wc-backward" href="/shop/">Return to shop</a></p></div></main>
""" + FOOT)
    store.page("about/index.html", head("About", "/about/") + """<main id="main" class="site-main"><h1>About</h1>
<p>We are a kitchen shop in Asheville. Everything here is something we cook with.</p>
<img src="/wp-content/uploads/2026/01/shop-front.jpg" alt="The shop" width="800" height="500"></main>
""" + FOOT)
    shell = {"@context": "https://schema.org/", "@type": "Product", "name": "", "url": f"{SITE}/product/draft-7/", "sku": "",
             "offers": [{"@type": "Offer", "price": "", "priceCurrency": "USD", "availability": "http://schema.org/OutOfStock"}]}
    store.page("product/draft-7/index.html", head("", "/product/draft-7/", jsonld(shell, indent=None) + "\n") + f"""<main id="main" class="site-main">
<div id="product-0" class="product type-product">
  <div class="summary entry-summary">
    <h1 class="product_title entry-title"></h1>
    <p class="price"><span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span></bdi></span></p>
    <form class="cart" action="{SITE}/product/draft-7/" method="post"><div class="quantity"><input type="number" class="input-text qty text" name="quantity" value="1" min="1"></div>
    <button type="submit" name="add-to-cart" value="0" class="single_add_to_cart_button button alt">Add to cart</button></form>
  </div>
</div>
</main>
""" + FOOT)
    return store
