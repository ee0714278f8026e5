"""Where the bundle script and the product component go on a product page."""

from __future__ import annotations

from typing import Literal

from . import POSITIONS
from .scan import Html, Tag, line_offsets, parse_start_tag, soup

Position = Literal["before", "after", "prepend", "append"]
BUNDLE_MARK = "croissant-toggle-web-components"


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
