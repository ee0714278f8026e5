"""For ``init``: ``[capture]`` selectors for a theme whose pages carry no product data at all.

Such a theme's product pages still share a template: one element shows the page's own price
(a currency sign or code next to one amount, in a few words at most), and a heading before it
names the product. The price selector chosen matches that element exactly once on as many
pages as possible and never twice on one page (a listing, whose cards repeat it, would become
a product page); the name selector finds the heading before it on each of those pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..extract.prices import find_prices
from ..extract.scan import soup
from .price_selector import candidate_selectors, preferred, same_place, shown_prices, text_of

MAX_PAGES = 120
"""Pages parsed to choose selectors: enough to see a theme's templates, few enough to stay quick."""
MAX_WORDS = 12
"""Letters a price element may show besides its amount ("Now", "From", "ab", "Preis:")."""
_NUMBER = re.compile(r"\d(?:[\d.,'\u00a0\u202f\u2009 ]*\d)?")
_LETTER = re.compile(r"[^\W\d_]")
_HEADINGS = ["h1", "h2", "h3", "h4"]


@dataclass(frozen=True)
class CaptureGuess:
    """Selectors for ``[capture]``, and the pages they make product pages of."""

    name: str
    price: str
    pages: tuple[str, ...]


def _is_price_text(text: str) -> bool:
    """One amount, marked with a currency, and hardly any words."""
    shown = find_prices(text)
    if len(shown) != 1 or len(_NUMBER.findall(text)) != 1:
        return False
    rest = text[: shown[0].start] + text[shown[0].end:]
    return len(_LETTER.findall(rest)) <= MAX_WORDS


def _prices(tree: Any) -> list[Any]:
    found: list[Any] = []
    for element in shown_prices(tree, lambda text: True):
        if element not in found and _is_price_text(text_of(element)):
            found.append(element)
    return found


def _best(scores: dict[str, int]) -> str | None:
    best = max(scores, key=lambda selector: (scores[selector], *preferred(selector)), default=None)
    return best if best is not None and scores[best] else None


def _price_selector(pages: list[tuple[str, Any, list[Any]]]) -> tuple[str | None, list[tuple[str, Any, Any]]]:
    """The price selector, and (page, tree, price element) of each page it finds once."""
    selectors = {selector for _, _, prices in pages for element in prices for selector in candidate_selectors(element)}
    scores: dict[str, int] = {}
    for selector in selectors:
        once = 0
        for _, tree, prices in pages:
            matches = tree.select(selector, limit=2)
            if len(matches) > 1 or (matches and not any(same_place(matches[0], price) for price in prices)):
                break  # twice on a page, or on something that is not a price: not a product's own price
            once += len(matches)
        else:
            scores[selector] = once
    selector = _best(scores)
    if selector is None:
        return None, []
    return selector, [(rel, tree, match) for rel, tree, _ in pages if (match := tree.select_one(selector)) is not None]


def guess_capture(pages: Iterable[tuple[str, str]]) -> CaptureGuess | None:
    """``[capture]`` name and price selectors for pages (path, text) with no product data, or None."""
    parsed = []
    for rel, text in pages:
        tree = soup(text)
        parsed.append((rel, tree, _prices(tree)))
        if len(parsed) >= MAX_PAGES:
            break
    price, products = _price_selector(parsed)
    if price is None:
        return None
    headings = [(tree, element.find_previous(_HEADINGS)) for _, tree, element in products]
    if any(heading is None for _, heading in headings):
        return None
    selectors = {selector for _, heading in headings for selector in candidate_selectors(heading)}
    scores = {selector: sum(1 for tree, heading in headings if tree.select_one(selector) is heading) for selector in selectors}
    name = _best({selector: score for selector, score in scores.items() if score == len(headings)})
    if name is None:
        return None
    return CaptureGuess(name, price, tuple(rel for rel, _, _ in products))
