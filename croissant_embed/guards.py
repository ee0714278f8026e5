"""The catalogue guards: what stops a sync before anything is sent, and why.

Each guard looks at the whole catalogue the pages gave, so a broken theme, a partial build
or a data mistake never reaches Croissant as if it were a catalogue change:

- no product pages at all (a configuration problem: the wrong folder or globs);
- one id with two different payloads on pages that are not translations of each other;
- one id in two markets of the same merchant;
- more invalid products than ``max_invalid``;
- more valid products whose page got no component than ``max_unplaced``;
- a sync to Croissant's sandbox or production of prices whose currency was only guessed;
- a product count that fell by more than ``max_drop`` since the last sync.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .contract import ProductRow
from .errors import ConfigError
from .plan import Conflict, InvalidProduct
from .report import PageRecord

DROP_MIN_PRODUCTS = 20
"""Below this many products synced before, a drop is never suspicious."""


@dataclass(frozen=True)
class Stop:
    """Why the sync must not happen: the lines to show, nothing else is sent."""

    lines: tuple[str, ...]


def require_products(rows: list[ProductRow], invalid: list[InvalidProduct], *, pages: int, site: Path) -> None:
    """ConfigError when the site has no product pages at all (valid or invalid)."""
    if not rows and not invalid:
        raise ConfigError([
            f"site_dir: no product pages among the {pages} pages of {site}; check the folder and include/exclude, "
            "or mark products with data-croissant-product-id"
        ])


def conflicting_duplicates(conflicts: list[Conflict]) -> Stop | None:
    """One id whose pages give different data and are not translations: the fields that differ, on which pages."""
    if not conflicts:
        return None
    lines = [f"product {c.kept.id!r} has different data on {c.kept.page} and {c.other.page}: {_differences(c.kept, c.other)}"
             for c in conflicts]
    advice = ["Give each product one id, or make its pages agree"]
    if any(c.currencies_differ for c in conflicts):
        advice.append("sections with their own currency need [[markets]] in croissant.toml (a path glob such as \"fr/**\", "
                      "its currency and an id_template such as \"{id}-eur\")")
    if any(row.sources.get("url") in _URL_FROM_PAGE for c in conflicts for row in (c.kept, c.other)):
        advice.append("state the product URL in the data (data-croissant-url, or url in the structured data), or exclude "
                      "listing pages that repeat product data")
    advice.append("translations of one product need the same price and currency; nothing was synced.")
    return Stop(("; ".join(lines) + ". " + "; ".join(advice),))


_URL_FROM_PAGE = ("page", "guessed")
"""URL sources that mean the data named no URL (the page's own address stands in)."""


def _differences(kept: ProductRow, other: ProductRow) -> str:
    """Each payload key whose value differs, with both values and both pages."""
    first, second = json.loads(kept.payload_json), json.loads(other.payload_json)
    keys = sorted(key for key in first.keys() | second.keys() if first.get(key) != second.get(key))
    return "; ".join(f"{key}: {_shown(first, key)} on {kept.page} vs {_shown(second, key)} on {other.page}" for key in keys)


def _shown(payload: dict[str, Any], key: str) -> str:
    return json.dumps(payload[key], ensure_ascii=False) if key in payload else "(none)"


def ids_shared_by_markets(rows: list[ProductRow], merchant_of: Mapping[str, object]) -> Stop | None:
    """One id in two markets of the same merchant: the later sync would overwrite the other market's price."""
    if len({row.market for row in rows}) < 2:
        return None  # one market: nothing to compare (and no map of every id to hold)
    first: dict[tuple[object, str], ProductRow] = {}
    clashes: list[tuple[ProductRow, ProductRow]] = []
    for row in rows:
        seen = first.setdefault((merchant_of[row.market], row.id), row)
        if seen.market != row.market:
            clashes.append((seen, row))
    if not clashes:
        return None
    return Stop((f"{len(clashes)} product ids are in two markets of the same merchant, where one price would overwrite the other; "
                 "give the markets their own ids with id_template in [[markets]] (such as \"{id}-eur\"), or their own "
                 "merchant; nothing was synced:",
                 *(f"  product {a.id!r}: market {a.market} ({a.page}) and market {b.market} ({b.page})" for a, b in clashes[:20])))


def too_many_invalid(invalid: list[InvalidProduct], max_invalid: int) -> Stop | None:
    """More invalid products than tolerated: each is listed with its problems."""
    if len(invalid) <= max_invalid:
        return None
    return Stop((f"{len(invalid)} invalid products (max_invalid = {max_invalid}); nothing was synced:",
                 *(f"  {bad.page}: product {bad.product_id or '(no id)'}: {'; '.join(bad.problems)}" for bad in invalid)))


def too_many_unplaced(unplaced: list[PageRecord], max_unplaced: int) -> Stop | None:
    """More valid products without a component than tolerated: each page is listed."""
    if len(unplaced) <= max_unplaced:
        return None
    return Stop((f"{len(unplaced)} product pages got no component (max_unplaced = {max_unplaced}); nothing was synced. "
                 "Set [placement] selector in croissant.toml to the CSS selector of the price element, or add "
                 "<croissant-slot></croissant-slot> to the product template:",
                 *(f"  {page.path}: product {page.product_id}" for page in unplaced)))


def guessed_currencies(rows: list[ProductRow], environment: str) -> Stop | None:
    """Prices whose currency was guessed (a bare ``$`` read as USD) must not reach a real Croissant."""
    guessed = [row for row in rows if row.sources.get("currency") == "guessed"]
    if environment == "local" or not guessed:
        return None
    return Stop((f"{len(guessed)} products show a bare '$' with no other sign of their currency, read as USD; a sync to "
                 f"{environment} needs the currency stated: set default_currency in croissant.toml (or "
                 "CROISSANT_DEFAULT_CURRENCY) to your prices' ISO 4217 code, e.g. \"USD\" or \"CAD\"; nothing was synced:",
                 *(f"  {row.page}: product {row.id}" for row in guessed)))


def sudden_drop(now: int, before: int, max_drop: float, *, market: str | None = None) -> Stop | None:
    """The product count (of one market, when named) fell suspiciously since the last sync."""
    if before >= DROP_MIN_PRODUCTS and now < before * (1 - max_drop):
        where = f"market {market}: " if market else ""
        return Stop((f"{where}the product count dropped from {before} to {now}, more than max_drop = {max_drop:.0%}: a broken theme "
                     "or a partial build?; nothing was synced. If the products really went away, pass --allow-drop "
                     "(or raise max_drop).",))
    return None


def first_stop(*stops: Stop | None) -> Stop | None:
    """The first guard that stops the sync, in the order given."""
    return next((stop for stop in stops if stop is not None), None)
