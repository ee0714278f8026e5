"""Generate a synthetic static store for benchmarks: N product pages plus listings.

Pages look like a theme's output: long navigation, breadcrumbs, JSON-LD, a gallery, the price
block, a specs table, reviews, related products (with their own prices), a long footer. About
11 KB per product page. Deterministic for a given N and seed.

    python benchmarks/generate_store.py OUT_DIR --pages 10000
    python benchmarks/generate_store.py OUT_DIR --pages 10000 --hugo   # Hugo content + layouts instead
"""

from __future__ import annotations

import argparse
import html
import json
import random
import shutil
from pathlib import Path

CATEGORIES = ["jackets", "knitwear", "bags", "boots", "tents", "sleeping-bags", "lamps", "stoves", "socks", "gloves"]
WORDS = ("alpine merino shell down waxed canvas ripstop welded seam taped hood pocket zip cord buckle strap "
         "insulated breathable durable recycled lightweight packable waterproof windproof thermal quilted").split()


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def product(index: int, rng: random.Random) -> dict:
    category = CATEGORIES[index % len(CATEGORIES)]
    price = rng.randint(9, 900) + rng.choice([0, 0.5, 0.99, 0.95])
    return {
        "id": f"SKU-{index:06d}",
        "slug": f"product-{index:06d}",
        "name": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {category[:-1] if category.endswith('s') else category} {index}",
        "price": f"{price:.2f}",
        "category": category,
        "description": " ".join(sentence(rng) for _ in range(14)),
        "reviews": [(rng.choice(["Ane", "Bjørn", "Carla", "Dmitri", "Eun-ji", "Farid"]), rng.randint(3, 5), sentence(rng, 24)) for _ in range(8)],
        "specs": [(rng.choice(WORDS).capitalize(), f"{rng.randint(1, 999)} {rng.choice(['g', 'mm', 'cm', 'L', '%'])}") for _ in range(8)],
    }


NAV = "".join(f'<li><a href="/{c}/">{c.replace("-", " ").title()}</a><ul>' + "".join(f'<li><a href="/{c}/?page={i}">Page {i}</a></li>' for i in range(1, 5)) + "</ul></li>" for c in CATEGORIES)
FOOTER = "".join(f'<li><a href="/info/{w}/">{w.title()}</a></li>' for w in WORDS)


def layout(title: str, head: str, main: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{html.escape(title)} | Bench Store</title>\n"
        "<link rel=\"stylesheet\" href=\"/css/main.css\">\n<script src=\"/js/theme.js\" defer></script>\n"
        f"{head}</head>\n<body>\n<header class=\"site-header\"><a class=\"logo\" href=\"/\">Bench Store</a>\n"
        f"<nav class=\"main-nav\"><ul>{NAV}</ul></nav></header>\n<main id=\"content\">\n{main}\n</main>\n"
        f"<footer class=\"site-footer\"><ul>{FOOTER}</ul><p>© 2026 Bench Store</p></footer>\n</body>\n</html>\n"
    )


def product_page(p: dict, related: list[dict]) -> str:
    data = {"@context": "https://schema.org", "@type": "Product", "sku": p["id"], "name": p["name"], "description": p["description"][:160],
            "image": f"/img/{p['slug']}.jpg", "brand": {"@type": "Brand", "name": "Bench"}, "category": p["category"],
            "offers": {"@type": "Offer", "price": p["price"], "priceCurrency": "USD", "availability": "https://schema.org/InStock"},
            "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.4", "reviewCount": len(p["reviews"])}}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>\n'
    reviews = "".join(f'<li class="review"><strong>{html.escape(a)}</strong> <span class="stars">{"★" * s}</span><p>{html.escape(t)}</p></li>' for a, s, t in p["reviews"])
    specs = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in p["specs"])
    cards = "".join(f'<li class="card"><a href="/products/{r["slug"]}/">{html.escape(r["name"])}</a> <span class="price">${r["price"]}</span></li>' for r in related)
    main = (
        f'<nav class="breadcrumbs"><a href="/">Home</a> / <a href="/{p["category"]}/">{p["category"].title()}</a></nav>\n'
        f'<article class="product"><div class="gallery"><img src="/img/{p["slug"]}.jpg" alt=""><img src="/img/{p["slug"]}-2.jpg" alt=""></div>\n'
        f'<h1 class="product-title">{html.escape(p["name"])}</h1>\n'
        f'<div class="product-price"><span class="price">${p["price"]}</span> <small>incl. VAT</small></div>\n'
        f'<form class="buy" action="/cart/add" method="post"><input type="number" name="quantity" value="1"><button>Add to cart</button></form>\n'
        f'<div class="description"><p>{html.escape(p["description"])}</p></div>\n<table class="specs">{specs}</table>\n'
        f'<section class="reviews"><h2>Reviews</h2><ul>{reviews}</ul></section>\n'
        f'<section class="related"><h2>You may also like</h2><ul>{cards}</ul></section></article>'
    )
    return layout(p["name"], head, main)


def listing_page(title: str, items: list[dict]) -> str:
    cards = "".join(f'<li class="card"><a href="/products/{p["slug"]}/">{html.escape(p["name"])}</a> <span class="price">${p["price"]}</span></li>' for p in items)
    return layout(title, "", f"<h1>{html.escape(title)}</h1><ul class=\"grid\">{cards}</ul>")


def generate(out: Path, pages: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    products = [product(i, rng) for i in range(pages)]
    if out.exists():
        shutil.rmtree(out)
    for index, p in enumerate(products):
        related = [products[(index + k) % pages] for k in (1, 2, 3, 4)]
        path = out / "products" / p["slug"] / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(product_page(p, related), encoding="utf-8")
    for category in CATEGORIES:
        items = [p for p in products if p["category"] == category]
        for start in range(0, len(items), 50):
            page = start // 50 + 1
            path = out / category / (f"page/{page}/index.html" if page > 1 else "index.html")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(listing_page(f"{category.title()} ({page})", items[start : start + 50]), encoding="utf-8")
    (out / "index.html").write_text(listing_page("Bench Store", products[:24]), encoding="utf-8")
    (out / "about").mkdir(exist_ok=True)
    (out / "about" / "index.html").write_text(layout("About", "", "<h1>About</h1><p>A synthetic store.</p>"), encoding="utf-8")
    return products


def generate_hugo(out: Path, pages: int, seed: int = 1) -> None:
    """The same store as a Hugo project (content + layouts); ``hugo`` builds it into public/."""
    rng = random.Random(seed)
    products = [product(i, rng) for i in range(pages)]
    if out.exists():
        shutil.rmtree(out)
    (out / "layouts" / "_default").mkdir(parents=True)
    (out / "hugo.toml").write_text('baseURL = "https://bench.example/"\ntitle = "Bench Store"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    single = layout("{{ .Title }}", '{{ with .Params.jsonld }}<script type="application/ld+json">{{ . | safeJS }}</script>{{ end }}\n',
                    '<nav class="breadcrumbs"><a href="/">Home</a> / <a href="/products/">Products</a></nav>\n'
                    '<article class="product"><div class="gallery"><img src="/img/{{ .Params.slug }}.jpg" alt=""></div>\n'
                    '<h1 class="product-title">{{ .Title }}</h1>\n'
                    '<div class="product-price"><span class="price">${{ .Params.price }}</span> <small>incl. VAT</small></div>\n'
                    '<form class="buy" action="/cart/add" method="post"><input type="number" name="quantity" value="1"><button>Add to cart</button></form>\n'
                    '<div class="description">{{ .Content }}</div>\n'
                    '<table class="specs">{{ range .Params.specs }}<tr><th>{{ index . 0 }}</th><td>{{ index . 1 }}</td></tr>{{ end }}</table>\n'
                    '<section class="related"><h2>You may also like</h2><ul>{{ range .Params.related }}'
                    '<li class="card"><a href="/products/{{ .slug }}/">{{ .name }}</a> <span class="price">${{ .price }}</span></li>{{ end }}</ul></section></article>')
    (out / "layouts" / "_default" / "single.html").write_text(single, encoding="utf-8")
    (out / "layouts" / "_default" / "list.html").write_text(layout("{{ .Title }}", "", "<h1>{{ .Title }}</h1><ul>{{ range first 50 .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"), encoding="utf-8")
    (out / "layouts" / "index.html").write_text(layout("Home", "", "<h1>Bench Store</h1>"), encoding="utf-8")
    content = out / "content" / "products"
    content.mkdir(parents=True)
    for index, p in enumerate(products):
        related = [{"slug": r["slug"], "name": r["name"], "price": r["price"]} for r in (products[(index + k) % pages] for k in (1, 2, 3, 4))]
        data = {"@context": "https://schema.org", "@type": "Product", "sku": p["id"], "name": p["name"],
                "offers": {"@type": "Offer", "price": p["price"], "priceCurrency": "USD"}}
        front = {"title": p["name"], "slug": p["slug"], "price": p["price"], "jsonld": json.dumps(data), "specs": p["specs"], "related": related}
        reviews = "\n\n".join(f"**{a}** ({s}/5): {t}" for a, s, t in p["reviews"])
        (content / f"{p['slug']}.md").write_text(json.dumps(front) + "\n\n" + p["description"] + "\n\n" + reviews + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", action="store_true", help="write a Hugo project instead of built pages")
    args = parser.parse_args()
    (generate_hugo if args.hugo else generate)(args.out, args.pages, args.seed)


if __name__ == "__main__":
    main()
