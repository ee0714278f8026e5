"""Where the bundle script and the product component go on a product page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bs4 import BeautifulSoup

from .prices import PriceError, to_minor_units
from .scan import Html, Tag, line_offsets, parse_start_tag, visible_text

Position = Literal["before", "after", "prepend", "append"]
POSITIONS: tuple[str, ...] = ("before", "after", "prepend", "append")
BUNDLE_MARK = "croissant-toggle-web-components"
_HEAD_END = re.compile(r"</head\s*>", re.I)
_BODY_END = re.compile(r"</body\s*>", re.I)
_BODY = re.compile(r"<body\b", re.I)
_SLOT = re.compile(r"<croissant-slot\b|data-croissant-slot", re.I)
_PDP = re.compile(r"<croissant-toggle-pdp\b", re.I)
_PRICE = re.compile(r"""itemprop\s*=\s*["']?price\b|class\s*=\s*(?:"[^"]*price|'[^']*price|[^\s>"']*price)""", re.I)


@dataclass(frozen=True)
class VisiblePrice:
    """The price element a shopper sees, and the amount it shows (if readable)."""

    start: int
    end: int
    text: str
    amount: int | None


def offset_of(tag: Tag, position: str, page: Html) -> int:
    """The text offset for inserting at ``position`` relative to ``tag``'s element."""
    if position == "before":
        return tag.start
    if position == "prepend":
        return tag.end
    end = page.element_end(tag)
    if position == "after" or end == tag.end:
        return end
    return page.text.rfind("<", tag.end, end)  # append: before the end tag


def head_offset(page: Html) -> int | None:
    """Where the bundle script goes (before ``</head>``), or None when it is already there."""
    for match in re.finditer(rf"<script\b[^>]*{BUNDLE_MARK}|<script\b[^>]*croissant-embed-bundle", page.text, re.I):
        if not page.is_opaque(match.start()):
            return None
    for match in _HEAD_END.finditer(page.text):
        if not page.is_opaque(match.start()):
            return match.start()
    body = next(page.tags_matching(_BODY), None)
    return body.end if body else None


def body_end_offset(page: Html) -> int:
    """Where page-level scripts go: before ``</body>``, else at the end."""
    for match in _BODY_END.finditer(page.text):
        if not page.is_opaque(match.start()):
            return match.start()
    return len(page.text)


def matches_selector(page: Html, selector: str) -> bool:
    """Whether any element matches a CSS selector (parses the page: call sparingly)."""
    return BeautifulSoup(page.text, "html.parser").select_one(selector) is not None


def has_component(page: Html) -> bool:
    """Whether the theme already carries a ``<croissant-toggle-pdp>`` of its own."""
    return next(page.tags_matching(_PDP), None) is not None


def marker_offset(page: Html) -> int | None:
    """Offset given by a ``<croissant-slot>`` element or a ``data-croissant-slot`` attribute."""
    tag = next(page.tags_matching(_SLOT), None)
    if tag is None:
        return None
    if tag.name == "croissant-slot":
        return tag.end
    position = (tag.get("data-croissant-slot") or "append").strip().lower()
    return offset_of(tag, position if position in POSITIONS else "append", page)


def selector_offset(page: Html, selector: str, position: str) -> int | None:
    """Offset relative to the first element matching a CSS selector (parses the page)."""
    soup = BeautifulSoup(page.text, "html.parser")
    element = soup.select_one(selector)
    if element is None or element.sourceline is None:
        return None
    start = line_offsets(page.text)[element.sourceline - 1] + element.sourcepos
    tag = parse_start_tag(page.text, start)
    return offset_of(tag, position, page) if tag else None


def visible_price(page: Html, price: int, currency: str) -> VisiblePrice | None:
    """The innermost price element, preferring one that shows the extracted price."""
    tags = [t for t in page.tags_matching(_PRICE) if t.name not in ("meta", "link", "input", "script")]
    spans = [(tag, page.element_end(tag)) for tag in tags]
    innermost = [(t, end) for t, end in spans if not any(t.start < o.start < end for o, _ in spans)]
    readable: list[VisiblePrice] = []
    for tag, end in innermost:
        text = visible_text(page.inner(tag))
        try:
            amount: int | None = to_minor_units(text, currency)
        except PriceError:
            amount = None
        if amount == price:
            return VisiblePrice(tag.start, end, text, amount)
        if amount is not None:
            readable.append(VisiblePrice(tag.start, end, text, amount))
    return readable[0] if readable else None
