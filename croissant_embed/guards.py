"""The catalogue guards: what stops a sync before anything is sent, and why.

Each guard looks at the whole catalogue the pages gave, so a broken theme, a partial build
or a data mistake never reaches Croissant as if it were a catalogue change:

- no product pages at all (a configuration problem: the wrong folder or globs);
- one id with two different payloads (pages that disagree about a product);
- more invalid products than ``max_invalid``;
- more valid products whose page got no component than ``max_unplaced``;
- a sync to Croissant's sandbox or production of prices whose currency was only guessed;
- a product count that fell by more than ``max_drop`` since the last sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .contract import ProductRow
from .errors import ConfigError
from .plan import InvalidProduct
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


def conflicting_duplicates(rows: list[ProductRow]) -> Stop | None:
    """One id whose pages give different payloads: each conflict names both pages."""
    first: dict[str, ProductRow] = {}
    conflicts: list[str] = []
    for row in rows:
        earlier = first.setdefault(row.id, row)
        if earlier.hash != row.hash:
            conflicts.append(f"product {row.id!r} has different data on {earlier.page} and {row.page}")
    if not conflicts:
        return None
    return Stop(("; ".join(conflicts) + ". Give each product one id, or make its pages agree: state the product URL in the data "
                 "(data-croissant-url, or url in the structured data), or exclude listing pages that repeat product data; "
                 "nothing was synced.",))


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


def sudden_drop(now: int, before: int, max_drop: float) -> Stop | None:
    """The product count fell suspiciously since the last sync."""
    if before >= DROP_MIN_PRODUCTS and now < before * (1 - max_drop):
        return Stop((f"the product count dropped from {before} to {now}, more than max_drop = {max_drop:.0%}: a broken theme "
                     "or a partial build?; nothing was synced. If the products really went away, pass --allow-drop "
                     "(or raise max_drop).",))
    return None


def first_stop(*stops: Stop | None) -> Stop | None:
    """The first guard that stops the sync, in the order given."""
    return next((stop for stop in stops if stop is not None), None)
