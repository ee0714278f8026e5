"""The price a shopper sees as THE product's current price, and the currency it shows.

Every amount the page shows with a currency (``$20.00``, ``£`` + ``315`` over two spans,
``Buy for 12.34$``) is a candidate; so is a number alone in an element marked as a price.
Candidates a shopper does not read as the current price are dropped: struck prices (``<s>``,
``<del>``, line-through, classes and labels such as compare/was/old/original), hidden text
(screen-reader labels), code samples and option lists. The rest are ranked: the amount the
structured data gives first, then the price that stands on its own (not a link to another
product, a sentence such as "Free shipping over $99", or a button label), then the one
nearest the product's title or buy button. The component goes right after the winner: after
the whole price when it is split over inline elements, after the button or link holding it.
"""

from __future__ import annotations

import html
import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from ..currencies import CurrencyChoice, choose_currency
from .outline import INLINE, Node, Outline
from .normalise import STRUCTURED_SOURCES
from .prices import PriceError, ShownPrice, find_prices, parse_decimal, read_amount
from .scan import Html, parse_start_tag, visible_text

_HIDDEN_CLASSES = frozenset(
    "sr-only screen-reader-text visually-hidden visuallyhidden hidden d-none is-hidden u-hidden hide invisible".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_STRUCK_STYLE = re.compile(r"line-through", re.I)
_STRUCK_ELEMENTS = frozenset(("s", "del", "strike"))
_NOT_SHOWN = frozenset("pre code kbd samp select option optgroup datalist svg math head".split())
_WRAPPERS = frozenset(("a", "button", "label", "summary"))  # never put the component inside one
# words in class names: a struck price says so by itself; a weak word says so beside a price word
_STRUCK_WORDS = frozenset("compare compareat was old original strike strikethrough struck crossed barre barré rrp msrp uvp".split())
_WEAK_STRUCK_WORDS = frozenset("regular before alt cu cũ antes vorher ancien list normal retail".split())
_PRICE_WORDS = frozenset("price prices prix preis precio prezzo preco preço gia giá amount money cost tarif kaina cena pris hinta fiyat harga".split())
_CLASS_SPLIT = re.compile(r"[\s_-]+")
# labels just before an amount that make it a former price or a saving, not the price to pay
_STRUCK_LABEL = re.compile(
    r"\b(?:was|before|regular(?: price)?|original(?: price)?|compare at|list price|rrp|msrp|uvp|statt|avant|au lieu de|antes|save|you save)\W*$",
    re.I,
)
_PROSE_WORDS = 3  # more words than this beside the amount: a sentence mentioning a price
_WORD = re.compile(r"[^\W\d_]{2,}")
_TITLE_ROOM = 300  # longer text is a block of content, not a title or a price
_MOST_PRICES = 400  # a product page shows far fewer; a hostile one is read no further
_MOST_HITS = 40  # places showing the amount's digits; past this, reading the whole page is as cheap
_DEEPEST = 200  # ancestors looked at: real themes nest far less deep
_LABEL_ROOM = 40  # an element around a price still belongs to it with a label this long ("Original price:")
_HEADING_TAG = re.compile(rb"<h[1-6][\s/>]")
_LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z]{4})?[-_]([a-z]{2})\b", re.I)


@dataclass(frozen=True)
class VisiblePrice:
    """The element showing the current price: its span, its text, the amount, and where to go after it."""

    start: int
    end: int
    text: str
    amount: Decimal | None
    symbol: str | None
    after: int | None


@dataclass(frozen=True)
class _Candidate:
    holder: int
    amount: Decimal | None
    symbol: str | None
    rank: tuple[int, ...]


class PagePrices:
    """The visible prices of one product page, read on first use and ranked for the product.

    Knowing the amount to look for, only the parts of the page showing its digits are
    outlined (a fraction of the page); the whole page is read only when they show no such
    price, or the amount is unknown.
    """

    def __init__(self, page: Html, *, name: str | None = None, product_id: str | None = None) -> None:
        self.page = page
        self._name, self._product_id = name, product_id
        self._anchor_starts: list[int] | None = None
        self._whole: _Reading | None = None
        self._around: dict[Decimal, _Reading | None] = {}

    def current(self, amount: Decimal | None = None) -> VisiblePrice | None:
        """The current price, preferring one that shows ``amount`` (the structured data's)."""
        found = self._best(amount, symbol_only=False)
        return found[0].visible(found[1]) if found else None

    def symbol(self, amount: Decimal | None = None) -> str | None:
        """The currency symbol or code shown with the product's price (one showing ``amount``, else one standing on its own)."""
        found = self._best(amount, symbol_only=True)
        return found[1].symbol if found else None

    def _best(self, amount: Decimal | None, *, symbol_only: bool) -> tuple[_Reading, _Candidate] | None:
        readings = [self._reading_around(amount)] if amount is not None else []
        for reading in [*readings, None]:
            if reading is None:  # the whole page: when the places showing the amount's digits held no such price
                reading = self._whole = self._whole or _Reading(self, Outline(self.page))
            best = reading.best(amount, symbol_only=symbol_only)
            if best is not None and (reading is self._whole or best.amount == amount):
                return reading, best
        return None

    def _reading_around(self, amount: Decimal) -> _Reading | None:
        """The page outlined only around the places that show the amount's digits (None: none do)."""
        if amount not in self._around:
            hits = [at for needle in _needles(amount) for at in itertools.islice(self.page.find_all(needle), _MOST_HITS + 1)]
            hits = [at for at in hits if not self.page.is_opaque(at)]
            self._around[amount] = None
            if hits and len(hits) <= _MOST_HITS:
                self._around[amount] = _Reading(self, Outline(self.page, keep=sorted(hits + self.anchor_starts())))
        return self._around[amount]

    def anchor_starts(self) -> list[int]:
        """Where the product's own elements start: its title heading, its buy button, its marked container."""
        if self._anchor_starts is None:
            page, found = self.page, []
            title = _title_heading(page, self._name)
            if title is not None:
                found.append(title)
            for needle, accept in (
                ("data-croissant-product-id", lambda tag: "data-croissant-product-id" in tag.attrs),
                ("data-item-id", lambda tag: self._product_id is not None and tag.get("data-item-id") == self._product_id),
                ("schema.org/product", lambda tag: (tag.get("itemtype") or "").lower().rstrip("/").endswith("schema.org/product")),
            ):
                tag = next(page.tags_with(needle, accept), None)
                if tag is not None:
                    found.append(tag.start)
            self._anchor_starts = found
        return self._anchor_starts


class _Reading:
    """One outline of the page, the product's anchors in it, and the candidate prices it shows."""

    def __init__(self, prices: PagePrices, outline: Outline) -> None:
        self.page, self.outline = prices.page, outline
        anchors = [outline.find(start) for start in prices.anchor_starts()]
        self._anchors = [(index, frozenset(outline.ancestors(index))) for index in anchors if index >= 0]
        self._shown = find_prices(outline.text)[:_MOST_PRICES]
        self._starts = [price.start for price in self._shown]
        self.candidates = self._read_shown()
        self._bare_read = False

    def best(self, amount: Decimal | None, *, symbol_only: bool) -> _Candidate | None:
        """The best candidate (showing ``amount`` first); bare numbers only when no shown price stands on its own."""
        def key(candidate: _Candidate) -> tuple[object, ...]:
            return (amount is not None and candidate.amount == amount, *candidate.rank)

        best = max(self.candidates, key=key, default=None)
        if not symbol_only and not self._bare_read and (best is None or key(best)[:2] != (True, 1)):
            self._bare_read = True
            self.candidates += self._read_bare()
            best = max(self.candidates, key=key, default=None)
        if symbol_only:
            # the currency comes from the product's price: one showing the data's amount, else one standing on its own
            best = max((c for c in self.candidates if c.symbol and (key(c)[0] or c.rank[0])), key=key, default=None)
        return best

    def visible(self, candidate: _Candidate) -> VisiblePrice:
        """The chosen price as the page shows it, and where the component goes after it."""
        outline, nodes = self.outline, self.outline.nodes
        node = nodes[candidate.holder]
        text = outline.text_of(candidate.holder)
        target = candidate.holder
        # a price split over inline elements (or wrapped in them) ends where its wrappers end
        while nodes[target].parent >= 0:
            parent = nodes[target].parent
            if nodes[parent].name not in INLINE or nodes[parent].name in _WRAPPERS or outline.text_of(parent) != text:
                break
            target = parent
        outer = [index for index in outline.ancestors(target, _DEEPEST) if nodes[index].name in _WRAPPERS]
        if outer:
            target = outer[-1]  # the buy button's own label, a price inside a link: after the whole
        return VisiblePrice(node.start, node.end or node.tag_end, text, candidate.amount, candidate.symbol, nodes[target].end)

    def _read_shown(self) -> list[_Candidate]:
        """Every amount shown with a currency, ranked."""
        outline, shown, candidates = self.outline, self._shown, []
        for number, price in enumerate(shown):
            holder = outline.holder(price.start, price.end)
            since = shown[number - 1].end if number else 0
            rank = self._rank(holder, price, since, self._starts) if holder >= 0 else None
            if rank is not None:
                candidates.append(_Candidate(holder, price.amount, price.symbol, rank))
        return candidates

    def _read_bare(self) -> list[_Candidate]:
        """Numbers alone in an element marked as a price ("29.50", its currency shown elsewhere or not at all)."""
        outline, candidates = self.outline, []
        for tag in itertools.islice(self.page.tags_with("price", _marked_as_price), _MOST_PRICES):
            holder = outline.find(tag.start)
            if holder < 0 or outline.size(holder) > _TITLE_ROOM or _count(self._starts, outline.nodes[holder]):
                continue
            amount = read_amount(outline.text_of(holder))
            rank = self._rank(holder, None, 0, self._starts) if amount is not None else None
            if rank is not None:
                candidates.append(_Candidate(holder, amount, None, rank))
        return candidates

    def _rank(self, holder: int, price: ShownPrice | None, since: int, starts: list[int]) -> tuple[int, ...] | None:
        """How much a candidate looks like the current price (higher is better), or None when it is not one."""
        outline, nodes = self.outline, self.outline.nodes
        # the holder and the small elements around it that show no other price: what marks this price
        own, outermost, size = True, holder, outline.size(holder)
        weak_struck = in_link = in_control = marked = False
        for index in outline.ancestors(holder, _DEEPEST):
            node = nodes[index]
            if own and index != holder:
                own = outline.size(index) <= size + _LABEL_ROOM and _count(starts, node) <= 1
                outermost = index if own else outermost
            if node.name in _NOT_SHOWN:
                return None
            tag = outline.tag(index)
            classes = (tag.get("class") or "").lower()
            style = tag.get("style") or ""
            if "hidden" in tag.attrs or (classes and _hidden(classes)) or (style and _HIDDEN_STYLE.search(style)):
                return None
            if own:
                words = set(_CLASS_SPLIT.split(classes)) if classes else set()
                if node.name in _STRUCK_ELEMENTS or words & _STRUCK_WORDS or "line-through" in classes or (style and _STRUCK_STYLE.search(style)):
                    return None
                weak_struck = weak_struck or bool(words & _WEAK_STRUCK_WORDS and words & _PRICE_WORDS)
                marked = marked or bool(words & _PRICE_WORDS) or (tag.get("itemprop") or "").strip().lower() == "price"
            href = (tag.get("href") or "").strip().lower() if node.name == "a" else ""
            in_link = in_link or bool(href and not href.startswith(("#", "javascript:")))
            in_control = in_control or node.name in ("button", "label")
        if price is not None and _STRUCK_LABEL.search(outline.text[max(since, nodes[outermost].text_from) : price.start]):
            return None
        prose = size > _TITLE_ROOM or len(_WORD.findall(outline.text_of(holder))) > _PROSE_WORDS
        near, distance = self._nearness(holder)
        return (int(not (in_link or prose)), int(not in_control), int(not weak_struck), near, int(marked), -distance)

    def _nearness(self, holder: int) -> tuple[int, int]:
        """How deep the candidate shares a container with the product's anchors, and how far it is from them."""
        nodes = self.outline.nodes
        start = nodes[holder].start
        if not self._anchors:
            return 0, start
        shared = next((index for index in self.outline.ancestors(holder, _DEEPEST) if any(index in around for _, around in self._anchors)), -1)
        distance = min(abs(start - nodes[anchor].start) for anchor, _ in self._anchors)
        return (nodes[shared].depth + 1 if shared >= 0 else 0), distance


def _needles(amount: Decimal) -> list[str]:
    """Digits every way of showing ``amount`` contains: "299" for 1,299.00 / 1.299,00 / 1 299."""
    whole = int(amount)
    digits = str(whole)
    if len(digits) >= 4:
        return [digits[-3:]]  # the last group of thousands, whatever separates the groups
    if len(digits) >= 2 or amount == whole:
        return [digits]
    tenths = str(int((amount - whole) * 10))
    return [f"{digits}.{tenths}", f"{digits},{tenths}"]  # "4.5" of $4.50, "4,5" of 4,50 €


def _title_heading(page: Html, name: str | None) -> int | None:
    """Where the heading showing the product's name starts (the first one, at any level)."""
    wanted = _comparable(name)
    if not wanted:
        return None
    for match in itertools.islice(_HEADING_TAG.finditer(page.lower), _MOST_PRICES):
        tag = None if page.is_opaque(match.start()) else parse_start_tag(page.text, match.start())
        if tag is None or page.element_end(tag) - tag.end > 4 * _TITLE_ROOM:
            continue  # a heading holding a whole section is no title
        shown = _comparable(visible_text(page.inner(tag)))
        if shown and (shown == wanted or (len(shown) > 3 and (shown in wanted or wanted in shown))):
            return tag.start
    return None


def _count(starts: list[int], node: Node) -> int:
    """How many shown prices start inside an element."""
    return bisect_left(starts, node.text_to) - bisect_left(starts, node.text_from)


def _hidden(classes: str) -> bool:
    """Whether classes hide an element on every screen (``hidden md:block`` shows it on wide ones)."""
    names = classes.split()
    return bool(_HIDDEN_CLASSES.intersection(names)) and not any(":" in name or (name.startswith("d-") and name != "d-none") for name in names)


def _marked_as_price(tag) -> bool:  # type: ignore[no-untyped-def]
    if tag.name in ("meta", "link", "input", "script", "select", "option"):
        return False
    return (tag.get("itemprop") or "").strip().lower() == "price" or "price" in (tag.get("class") or "").lower()


def _comparable(text: str | None) -> str:
    """Text reduced for comparing a title with a heading: entities decoded, case and spaces folded."""
    if not text:
        return ""
    for _ in range(2):  # names double-escaped by a theme ("&amp;amp;")
        text = html.unescape(text)
    return " ".join(re.findall(r"\w+", text.casefold()))


def page_regions(page: Html, meta: dict[str, str]) -> tuple[str, ...]:
    """The regions a page declares for its locale: ``<html lang="en-CA">``, then ``og:locale``."""
    found: list[str] = []
    html_tag = next(page.tags_with("<html", lambda tag: tag.name == "html"), None)
    for value in ((html_tag.get("lang") or html_tag.get("xml:lang")) if html_tag else None, meta.get("og:locale")):
        match = _LOCALE.match((value or "").strip())
        if match and match.group(1).upper() not in found:
            found.append(match.group(1).upper())
    return tuple(found)


def data_amount(raw: object, source: str | None) -> Decimal | None:
    """The structured data's price as a Decimal, to prefer the element showing it (None if unreadable)."""
    try:
        return parse_decimal(raw, machine=source in STRUCTURED_SOURCES) if raw not in (None, "") else None
    except PriceError:
        return None


def infer_currency(
    prices: PagePrices, meta: dict[str, str], *, amount: Decimal | None, default_currency: str | None
) -> tuple[CurrencyChoice | None, tuple[str, ...]]:
    """The currency of a page whose data states none, read from its visible price, and any warning."""
    symbol = prices.symbol(amount)
    choice = choose_currency(symbol, default_currency=default_currency, regions=page_regions(prices.page, meta) if symbol else ())
    if choice is None or choice.source != "guessed":
        return choice, ()
    return choice, (
        f"currency: the page states none and shows a bare {symbol!r}, read as {choice.code} (a guess); "
        "set default_currency, or priceCurrency in the structured data, to say which",
    )
