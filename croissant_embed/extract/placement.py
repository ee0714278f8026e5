"""Where the bundle script and the product component go on a product page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .prices import PriceError, to_minor_units
from .scan import Html, Tag, line_offsets, parse_start_tag, soup, visible_text

Position = Literal["before", "after", "prepend", "append"]
POSITIONS: tuple[str, ...] = ("before", "after", "prepend", "append")
BUNDLE_MARK = "croissant-toggle-web-components"


def _is_price_element(tag: Tag) -> bool:
    if tag.name in ("meta", "link", "input", "script"):
        return False
    return tag.get("itemprop", "").strip().lower() == "price" or "price" in tag.get("class", "").lower()


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
    if next(page.tags_with(BUNDLE_MARK, lambda tag: tag.name == "script"), None) is not None:
        return None
    head_end = page.find_markup("</head")
    if head_end is not None:
        return head_end
    body = next(page.tags_with("<body", lambda tag: tag.name == "body"), None)
    return body.end if body else None


def body_end_offset(page: Html) -> int:
    """Where page-level scripts go: before ``</body>``, else at the end."""
    body_end = page.find_markup("</body")
    return len(page.text) if body_end is None else body_end


def matches_selector(page: Html, selector: str) -> bool:
    """Whether any element matches a CSS selector (parses the page: call sparingly)."""
    return soup(page.text).select_one(selector) is not None


def has_component(page: Html) -> bool:
    """Whether the theme already carries a ``<croissant-toggle-pdp>`` of its own."""
    return next(page.tags_with("<croissant-toggle-pdp", lambda tag: tag.name == "croissant-toggle-pdp"), None) is not None


def marker_offset(page: Html) -> int | None:
    """Offset given by a ``<croissant-slot>`` element or a ``data-croissant-slot`` attribute."""
    tag = next(page.tags_with("croissant-slot", lambda tag: tag.name == "croissant-slot" or "data-croissant-slot" in tag.attrs), None)
    if tag is None:
        return None
    if tag.name == "croissant-slot":
        return tag.end
    position = (tag.get("data-croissant-slot") or "append").strip().lower()
    return offset_of(tag, position if position in POSITIONS else "append", page)


def selector_offset(page: Html, selector: str, position: str) -> int | None:
    """Offset relative to the first element matching a CSS selector (parses the page).

    html.parser reads markup inside ``<title>`` or ``<textarea>`` as elements; browsers
    do not, so matches there are passed over.
    """
    lines = line_offsets(page.text)
    for element in soup(page.text).select(selector):
        if element.sourceline is None:
            continue
        start = lines[element.sourceline - 1] + element.sourcepos
        tag = None if page.is_opaque(start) else parse_start_tag(page.text, start)
        if tag is not None:
            return offset_of(tag, position, page)
    return None


def visible_price(page: Html, price: int, currency: str) -> VisiblePrice | None:
    """The innermost price element, preferring one that shows the extracted price."""
    spans = [(tag, page.element_end(tag)) for tag in page.tags_with("price", _is_price_element)]
    # in page order, an element holds another price element exactly when the next one starts inside it
    innermost = [(tag, end) for (tag, end), later in zip(spans, spans[1:] + [None]) if later is None or later[0].start >= end]
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
