"""Werkstatt Holz: a hand-made German theme with no structured data at all (needs [capture])."""

from __future__ import annotations

from .common import NBSP, Store, esc, slug_of

SITE = "https://werkstatt-holz.example"

# slug, name, price (cents), struck price, how the theme prints whole euros, blurb
PRODUCTS = [
    ("schneidebrett-eiche", "Schneidebrett Eiche, groß", 3990, None, "Aus einem Stück Eiche, geölt, 45 × 30 cm."),
    ("kochloeffel-set", "Kochlöffel-Set (3 Stück)", 1800, None, "Buche aus dem Schwarzwald, handgeschnitzt."),
    ("salatbesteck", "Salatbesteck Kirsche", 1850, 2490, "Kirschholz, lebensmittelecht geölt."),
    ("butterdose", "Butterdose mit Deckel", 2900, None, "Esche und Keramik, für 250 g Butter."),
    ("pfeffermuehle", "Pfeffermühle Nussbaum", 5400, None, "Keramikmahlwerk, stufenlos einstellbar."),
]


def euro(cents: int) -> str:
    """Whole euros as the theme prints them ('18€'); others as '24,90 €'."""
    if cents % 100 == 0:
        return f"{cents // 100}€"
    return f"{cents // 100},{cents % 100:02d}{NBSP}€"


def head(title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="de-DE">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>{esc(title)} – Werkstatt Holz</title>
  <link rel="stylesheet" href="/css/style.css">
</head>
<body>
  <div class="topbar">Kostenloser Versand ab 50€ · Versand in 2–3 Werktagen</div>
  <header class="kopf">
    <a class="logo" href="/"><img src="/img/logo.svg" alt="Werkstatt Holz" width="160" height="40"></a>
    <ul class="menue">
      <li><a href="/">Start</a></li>
      <li><a href="/kategorien/kuechenhelfer/">Küchenhelfer</a></li>
      <li><a href="/ueber-uns/">Über uns</a></li>
      <li><a href="/warenkorb/">Warenkorb</a></li>
    </ul>
  </header>
"""


FOOT = """  <footer class="fuss">
    <p><a href="/impressum/">Impressum</a> · <a href="/versand/">Versand &amp; Rückgabe</a> · Alle Preise inkl. MwSt.</p>
  </footer>
  <script src="/js/warenkorb.js"></script>
</body>
</html>
"""


def karte(p: tuple) -> str:
    slug, name, price, _was, _blurb = p
    return f"""      <div class="karte">
        <a href="/produkte/{slug}/"><img src="/img/{slug}-klein.jpg" alt="{esc(name)}"></a>
        <h2><a href="/produkte/{slug}/">{esc(name)}</a></h2>
        <span class="karte-preis">{euro(price)}</span>
      </div>
"""


def product_page(p: tuple) -> str:
    slug, name, price, was, blurb = p
    # the old price is struck with an inline style, before the current one
    alt = f'<span class="preis-alt" style="text-decoration: line-through; color: #999">{euro(was)}</span> ' if was else ""
    related = "".join(karte(q) for q in [q for q in PRODUCTS if q[0] != slug][:3])
    return head(name) + f"""  <div class="pfad"><a href="/">Start</a> &raquo; <a href="/kategorien/kuechenhelfer/">Küchenhelfer</a> &raquo; {esc(name)}</div>
  <div class="produkt">
    <div class="bild"><img src="/img/{slug}.jpg" alt="{esc(name)}" width="600" height="600"></div>
    <div class="info">
      <h1>{esc(name)}</h1>
      <div class="preis">{alt}<span class="preis-aktuell">{euro(price)}</span></div>
      <p class="steuer">inkl. 19 % MwSt., zzgl. Versand</p>
      <p>{esc(blurb)}</p>
      <form action="/warenkorb/" method="post">
        <input type="hidden" name="artikel" value="{slug}">
        <label for="menge">Menge</label>
        <input id="menge" type="number" name="menge" value="1" min="1">
        <button type="submit" class="knopf">In den Warenkorb</button>
      </form>
    </div>
  </div>
  <h3 class="aehnlich">Das könnte Ihnen auch gefallen</h3>
  <div class="raster">
{related}  </div>
""" + FOOT


def page(title: str, body: str) -> str:
    return head(title) + body + FOOT


def build() -> Store:
    store = Store(
        "werkstatt-holz-capture",
        "A hand-written German theme with no structured data and no Snipcart: prices '18€' and "
        "'24,90 €' (no-break space), an old price struck by an inline style before the current one. "
        "Needs [capture]; its croissant.toml sets name and price but no id, so ids are the URL slugs.",
        ["no-structured-data", "capture-without-id", "id-from-url", "currency-symbol-only", "euro-suffix",
         "sale-inline-line-through", "related-products"],
        config=('base_url = "https://werkstatt-holz.example/"\ndefault_currency = "EUR"\n\n'
                '[capture]                      # the theme has no structured data\n'
                'name = ".produkt h1"\nprice = ".produkt .preis-aktuell"\nimage = ".produkt .bild img[src]"\n'),
    )
    for p in PRODUCTS:
        path = f"produkte/{p[0]}/index.html"
        store.product(path, product_page(p), id=slug_of(path), price=p[2], currency="EUR", selector=".produkt .preis-aktuell")
    store.page("index.html", page("Start", f"""  <section class="held"><h1>Holz für die Küche</h1><p>Aus unserer Werkstatt in Freiburg.</p></section>
  <div class="raster">
{"".join(karte(p) for p in PRODUCTS)}  </div>
"""))
    store.page("kategorien/kuechenhelfer/index.html", page("Küchenhelfer", f"""  <div class="pfad"><a href="/">Start</a> &raquo; Küchenhelfer</div>
  <h1>Küchenhelfer</h1>
  <div class="raster">
{"".join(karte(p) for p in PRODUCTS[1:4])}  </div>
"""))
    store.page("ueber-uns/index.html", page("Über uns", """  <h1>Über uns</h1>
  <p>Seit 2009 drechseln und schnitzen wir in Freiburg Küchenhelfer aus heimischen Hölzern.</p>
  <img src="/img/werkstatt.jpg" alt="Unsere Werkstatt" width="600" height="400">
"""))
    store.page("warenkorb/index.html", page("Warenkorb", """  <h1>Warenkorb</h1>
  <form id="kasse" action="/kasse/" method="post">
    <table class="warenkorb"><tr><th>Artikel</th><th>Menge</th><th>Preis</th></tr></table>
    <p>Summe: <span class="summe">0,00 €</span></p>
    <button type="submit" class="knopf">Zur Kasse</button>
  </form>
"""))
    store.page("impressum/index.html", page("Impressum", """  <h1>Impressum</h1>
  <p>Werkstatt Holz GbR, Talstraße 4, 79102 Freiburg. USt-IdNr. DE123456789.</p>
"""))
    store.page("versand/index.html", page("Versand & Rückgabe", """  <h1>Versand &amp; Rückgabe</h1>
  <p>Versand innerhalb Deutschlands 4,90 €, ab 50€ kostenlos. 30 Tage Rückgaberecht.</p>
"""))
    return store
