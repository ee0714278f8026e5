"""For ``init``: a CSS selector of the element showing each product page's current price.

``init`` proposes it as ``[placement] selector`` when the build would find no place for the
component on some product pages. Each page is parsed with BeautifulSoup: init reads a sample
of a few hundred pages, and the build never runs this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from bs4 import NavigableString

from ..currencies import SYMBOLS
from ..extract.prices import PriceError, to_minor_units
from ..extract.scan import soup

_NOT_SHOWN = frozenset({"script", "style", "template", "noscript", "title", "textarea", "pre", "code", "head", "select", "svg"})
_AROUND_THE_PRODUCT = frozenset({"header", "nav", "footer", "aside"})
_STRUCK_TAGS = frozenset({"s", "del", "strike"})
_STRUCK_WORDS = re.compile(r"(?:^|[-_])(?:compare|was|old|regular|original|strike|struck|crossed|before|list)(?:$|[-_])", re.I)
_CLICKABLE = frozenset({"a", "button"})
_NUMBER = re.compile(r"\d(?:[\d.,'\u00a0\u202f\u2009 ]*\d)?")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_CSS_IDENT = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")
_CODE = re.compile(r"\b[A-Z]{3}\b")
_SIGNS = sorted(SYMBOLS, key=len, reverse=True)


@dataclass(frozen=True)
class PricedPage:
    """A product page's text and the price it should show (in minor units of ``currency``)."""

    rel: str
    text: str
    price: int
    currency: str


def _shows(text: str, price: int, currency: str) -> bool:
    """Whether some number in ``text`` reads as ``price``."""
    for token in _NUMBER.findall(text):
        try:
            if to_minor_units(token.strip(), currency) == price:
                return True
        except PriceError:
            continue
    return False


def _struck(element: Any) -> bool:
    classes = element.get("class") or []
    style = (element.get("style") or "").replace(" ", "").lower()
    return (element.name in _STRUCK_TAGS or "line-through" in style
            or any(_STRUCK_WORDS.search(name) for name in classes))


def _hidden_or_aside(element: Any) -> bool:
    """Inside markup that is not shown, struck, or around the product rather than about it."""
    for node in [element, *element.parents]:
        if node.name in _NOT_SHOWN or node.name in _AROUND_THE_PRODUCT or _struck(node):
            return True
    return False


def text_of(element: Any) -> str:
    """An element's visible text, spaces collapsed."""
    return " ".join(element.get_text(" ").split())


def _price_only(outer: str, inner: str) -> bool:
    """Whether ``outer`` shows nothing besides ``inner`` but a currency sign, code or punctuation."""
    rest = _CODE.sub("", outer.replace(inner, "", 1))
    for sign in _SIGNS:
        rest = rest.replace(sign, "")
    return not _DIGIT.search(rest) and not _LETTER.search(rest)  # no words, no other amount


def _climbed(element: Any) -> Any:
    """The element widened to its container while that adds only a currency sign
    (``<span>£</span><span>315</span>``); a price inside a link or button is that element."""
    clickable = next((node for node in [element, *element.parents] if node.name in _CLICKABLE), None)
    if clickable is not None:
        return clickable
    while element.parent is not None and element.parent.name not in ("body", "[document]") \
            and _price_only(text_of(element.parent), text_of(element)):
        element = element.parent
    return element


def shown_prices(tree: Any, shows: Callable[[str], bool]) -> Iterator[Any]:
    """The elements whose text ``shows`` a price, in page order: not struck, hidden or in the
    site's header, navigation or footer."""
    for string in tree.find_all(string=_DIGIT):
        element = string.parent
        if type(string) is NavigableString and element is not None and shows(str(string)) and not _hidden_or_aside(element):
            yield _climbed(element)


def price_element(tree: Any, price: int, currency: str) -> Any | None:
    """The element a shopper reads the page's current price from (the first showing it), or None."""
    return next(shown_prices(tree, lambda text: _shows(text, price, currency)), None)


def _css(name: str) -> str | None:
    return name if _CSS_IDENT.match(name) else None


def _own_selectors(element: Any) -> list[str]:
    classes = [c for c in (_css(name) for name in element.get("class") or []) if c]
    own = [f"{element.name}.{name}" for name in classes] + [f".{name}" for name in classes]
    itemprop = element.get("itemprop")
    if itemprop and _css(itemprop):
        own.append(f"{element.name}[itemprop={itemprop}]")
    return own + [element.name]


def candidate_selectors(element: Any) -> list[str]:
    """Selectors that may find ``element`` or an element inside it showing the same text: their
    own classes and attributes, then the same within the nearest classed container."""
    text = text_of(element)
    own = [selector for node in [element, *element.find_all(True)] if text_of(node) == text for selector in _own_selectors(node)]
    container = next((node for node in element.parents if node.name not in ("body", "[document]") and
                      any(_css(name) for name in node.get("class") or [])), None)
    if container is None:
        return own
    context = [f".{name}" for name in (_css(n) for n in container.get("class") or []) if name]
    return own + [f"{outer} {inner}" for outer in context for inner in own]


def same_place(found: Any, wanted: Any) -> bool:
    """Whether a match is the wanted element, or nested with it showing the same text."""
    if found is None:
        return False
    if found is wanted:
        return True
    nested = wanted in found.parents or found in wanted.parents
    return nested and text_of(found) == text_of(wanted)


def preferred(selector: str) -> tuple[bool, bool, int]:
    """How much to prefer a selector among equally right ones (larger is better)."""
    # a bare tag name ("span") finds this page's price by luck of order: a class or attribute says
    # what it is; a container's class ties it to the layout around it; shorter reads better
    return "." in selector or "[" in selector, " " not in selector, -len(selector)


def find_price_selector(pages: Iterable[PricedPage]) -> tuple[str | None, int, int]:
    """The selector whose first match is the current price element on most pages.

    Returns it (None when no page shows its price), the pages it is right on, and the pages
    whose price element was found at all. Among equally right selectors, one naming a class
    or attribute wins, then one without a container, then the shortest.
    """
    wanted: list[tuple[Any, Any]] = []
    for page in pages:
        tree = soup(page.text)
        element = price_element(tree, page.price, page.currency)
        if element is not None:
            wanted.append((tree, element))
    counts: dict[str, int] = {}
    for _, element in wanted:
        for selector in candidate_selectors(element):
            counts.setdefault(selector, 0)
    for selector in counts:
        counts[selector] = sum(1 for tree, element in wanted if same_place(tree.select_one(selector), element))
    if not counts:
        return None, 0, len(wanted)
    best = max(counts, key=lambda selector: (counts[selector], *preferred(selector)))
    return (best if counts[best] else None), counts[best], len(wanted)
