"""Maison Lavande: a French Jekyll theme with microdata only, the Offer outside the Product."""

from __future__ import annotations

from .common import NNBSP, Store, esc

SITE = "https://maison-lavande.example"

# slug, sku, name, price (cents), struck price, category, blurb
PRODUCTS = [
    ("savon-lavande", "LAV-SAV-01", "Savon à la lavande fine", 850, None, "soins", "Savon saponifié à froid, lavande fine de Haute-Provence."),
    ("huile-essentielle", "LAV-HUI-02", "Huile essentielle de lavandin 10 ml", 1490, None, "soins", "Lavandin grosso distillé à la vapeur, bio."),
    ("bougie-parfumee", "LAV-BOU-03", "Bougie parfumée « Soir d’été »", 2400, None, "bougies", "Cire de colza, mèche en coton, 40 heures de combustion."),
    ("coffret-prestige", "LAV-COF-04", "Coffret prestige", 8000, 9500, "coffrets", "Savon, huile, bougie et sachet dans une boîte en bois."),
    ("coffret-mariage", "LAV-COF-05", "Coffret mariage (50 sachets)", 125000, None, "coffrets", "Cinquante sachets brodés aux initiales des mariés."),
    ("sachet-brode", "LAV-SAC-06", "Sachet brodé", 600, None, "maison", "Sachet de lin brodé à la main, rempli de fleurs séchées."),
]


def euros(cents: int) -> str:
    """``1 250,00 €`` as a French locale prints it (narrow no-break spaces)."""
    whole = f"{cents // 100:,}".replace(",", NNBSP)
    return f"{whole},{cents % 100:02d}{NNBSP}€"


def head(title: str, url: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{esc(title)} | Maison Lavande</title>
    <meta name="generator" content="Jekyll v4.3.3">
    <meta property="og:title" content="{esc(title)}">
    <meta property="og:locale" content="fr_FR">
    <link rel="canonical" href="{SITE}{url}">
    <meta property="og:url" content="{SITE}{url}">
    <meta property="og:site_name" content="Maison Lavande">
    <link rel="stylesheet" href="/assets/main.css">
  </head>
  <body>
    <header class="site-header">
      <div class="wrapper">
        <a class="site-title" rel="author" href="/">Maison Lavande</a>
        <nav class="site-nav">
          <a class="page-link" href="/boutique/">Boutique</a>
          <a class="page-link" href="/categories/bougies.html">Bougies</a>
          <a class="page-link" href="/a-propos.html">À propos</a>
          <a class="page-link" href="/panier.html">Panier</a>
        </nav>
      </div>
    </header>
    <main class="page-content" aria-label="Content">
      <div class="wrapper">
"""


FOOT = """      </div>
    </main>
    <footer class="site-footer h-card">
      <div class="wrapper">
        <p>Maison Lavande &middot; 12 chemin des Aires, 04300 Forcalquier &middot; <a href="/mentions-legales.html">Mentions légales</a></p>
        <p>Livraison offerte dès 60&nbsp;€ d’achat.</p>
      </div>
    </footer>
  </body>
</html>
"""


def card(p: tuple) -> str:
    slug, sku, name, price, _was, _cat, _blurb = p
    return f"""        <li class="carte" itemscope itemtype="https://schema.org/Product">
          <a href="/produits/{slug}.html"><img itemprop="image" src="/assets/img/{slug}-320.jpg" alt="{esc(name)}" loading="lazy"></a>
          <h3 class="carte-titre"><a itemprop="url" href="/produits/{slug}.html"><span itemprop="name">{esc(name)}</span></a></h3>
          <meta itemprop="sku" content="{sku}">
          <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
            <span class="carte-prix" itemprop="price" content="{price / 100:.2f}">{euros(price)}</span>
            <meta itemprop="priceCurrency" content="EUR">
          </div>
        </li>
"""


def listing(title: str, url: str, items: list[tuple]) -> str:
    return head(title, url) + f"""        <p class="fil-ariane"><a href="/">Accueil</a> › {esc(title)}</p>
        <h1 class="page-heading">{esc(title)}</h1>
        <ul class="grille-produits">
{"".join(card(p) for p in items)}        </ul>
""" + FOOT


def product_page(p: tuple) -> str:
    slug, sku, name, price, was, cat, blurb = p
    struck = f'<s class="prix-barre">{euros(was)}</s> ' if was else ""
    related = [q for q in PRODUCTS if q[0] != slug][:2]
    related_html = "".join(
        f'          <li><a href="/produits/{q[0]}.html">{esc(q[2])}</a> <span class="carte-prix">{euros(q[3])}</span></li>\n' for q in related
    )
    # The theme prints the compare-at price as an empty meta price before the real one, in an
    # Offer that sits beside the Product rather than inside it.
    return head(name, f"/produits/{slug}.html") + f"""        <p class="fil-ariane"><a href="/">Accueil</a> › <a href="/boutique/">Boutique</a> › {esc(name)}</p>
        <div class="produit" itemscope itemtype="https://schema.org/Product">
          <div class="produit-galerie"><img itemprop="image" src="/assets/img/{slug}.jpg" alt="{esc(name)}" width="640" height="640"></div>
          <div class="produit-infos">
            <h1 class="produit-titre" itemprop="name">{esc(name)}</h1>
            <meta itemprop="sku" content="{sku}">
            <meta itemprop="brand" content="Maison Lavande">
            <div class="produit-description" itemprop="description"><p>{esc(blurb)}</p></div>
          </div>
        </div>
        <div class="produit-achat" itemprop="offers" itemscope itemtype="https://schema.org/Offer">
          <meta itemprop="price" content="">
          <p class="prix">{struck}<span class="prix-actuel" itemprop="price" content="{price / 100:.2f}">{euros(price)}</span></p>
          <link itemprop="availability" href="https://schema.org/InStock">
          <form class="ajout-panier" action="/panier.html" method="get">
            <input type="hidden" name="article" value="{sku}">
            <label>Quantité <input type="number" name="quantite" value="1" min="1"></label>
            <button type="submit" class="bouton">Ajouter au panier</button>
          </form>
        </div>
        <aside class="suggestions">
          <h2>Vous aimerez aussi</h2>
          <ul>
{related_html}          </ul>
        </aside>
""" + FOOT


def page(title: str, url: str, body: str) -> str:
    return head(title, url) + body + FOOT


def build() -> Store:
    store = Store(
        "maison-lavande-microdata",
        "Jekyll, French: microdata only, the Offer a separate itemscope beside the Product, an empty "
        "itemprop=price content=\"\" before the real one, no priceCurrency on product pages, prices like "
        "'80,00 €' and '1 250,00 €' with U+202F, a struck <s> price before the current one, a category "
        "page carrying one product's full microdata.",
        ["microdata-only", "offer-separate-itemscope", "empty-price-first", "french-format", "currency-symbol-only",
         "sale-s", "single-product-listing", "related-products", "dot-html-pages"],
        config='base_url = "https://maison-lavande.example/"\ndefault_currency = "EUR"\n',
    )
    for p in PRODUCTS:
        store.product(f"produits/{p[0]}.html", product_page(p), id=p[1], price=p[3], currency="EUR", selector="span.prix-actuel")
    store.page("index.html", listing("Savonnerie et parfums de Provence", "/", PRODUCTS[:4]))
    store.page("boutique/index.html", listing("Boutique", "/boutique/", PRODUCTS))
    store.page("categories/bougies.html", listing("Bougies", "/categories/bougies.html", [p for p in PRODUCTS if p[5] == "bougies"]))
    store.page("a-propos.html", page("À propos", "/a-propos.html", """        <h1 class="page-heading">À propos</h1>
        <p>Depuis 1987, notre famille cultive la lavande fine sur les plateaux d’Albion et fabrique ses savons à l’atelier de Forcalquier.</p>
        <p><img src="/assets/img/atelier.jpg" alt="L’atelier" width="640" height="400"></p>
"""))
    store.page("panier.html", page("Panier", "/panier.html", """        <h1 class="page-heading">Votre panier</h1>
        <form id="panier" action="https://paiement.maison-lavande.example/commande" method="post">
          <table class="panier"><thead><tr><th>Article</th><th>Quantité</th><th>Total</th></tr></thead><tbody></tbody></table>
          <p>Total : <span class="panier-total">0,00&#8239;€</span></p>
          <button type="submit" class="bouton">Commander</button>
        </form>
"""))
    store.page("mentions-legales.html", page("Mentions légales", "/mentions-legales.html", """        <h1 class="page-heading">Mentions légales</h1>
        <p>Maison Lavande SARL au capital de 8 000 €, RCS Manosque 123 456 789. Hébergement : GitHub Pages.</p>
"""))
    return store
