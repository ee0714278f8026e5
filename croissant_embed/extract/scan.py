"""Locating tags and elements in raw HTML text without parsing the whole page.

BeautifulSoup costs milliseconds per page; most of what a product page needs is found by a
few compiled regular expressions over the text. This module finds start tags by attribute,
the span of an element (nesting-aware), and the regions whose content is not markup
(comments, scripts, styles, templates), which every search skips. Positions are offsets
into the text, ready for splicing.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

_OPAQUE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template|textarea|noscript)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
_START_TAG = re.compile(
    r"""<([a-zA-Z][\w:.-]*)((?:\s+[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(/?)>""",
)
_ATTR = re.compile(r"""([^\s/>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_JSONLD = re.compile(r"""<script\b[^>]*?type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script\s*>""", re.S | re.I)
_TAG_TEXT = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


@dataclass(frozen=True)
class Tag:
    """A start tag: lower-case name, attributes (entities decoded), and its span."""

    name: str
    attrs: dict[str, str]
    start: int
    end: int
    self_closing: bool = False

    def get(self, name: str, default: str | None = None) -> str | None:
        """An attribute's value."""
        return self.attrs.get(name, default)


def parse_start_tag(text: str, pos: int) -> Tag | None:
    """The start tag beginning at ``pos`` (which holds ``<``), or None."""
    match = _START_TAG.match(text, pos)
    if match is None:
        return None
    attrs: dict[str, str] = {}
    for attr in _ATTR.finditer(match.group(2)):
        name = attr.group(1).lower()
        value = attr.group(2) or ""
        if value[:1] in ('"', "'"):
            value = value[1:-1]
        attrs.setdefault(name, html.unescape(value))
    return Tag(match.group(1).lower(), attrs, match.start(), match.end(), bool(match.group(3)))


@dataclass
class Html:
    """One page's text with cheap, cached lookups."""

    text: str
    _opaque: list[tuple[int, int]] | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _lower: str | None = field(default=None, repr=False)

    @property
    def lower(self) -> str:
        """The text in lower case, offset for offset (for literal searches)."""
        if self._lower is None:
            lowered = self.text.lower()
            # a few characters (such as "İ") change length when lowered: keep offsets aligned
            self._lower = lowered if len(lowered) == len(self.text) else self.text.translate(_ASCII_LOWER)
        return self._lower

    def find_all(self, needle: str, start: int = 0) -> Iterator[int]:
        """Offsets of a lower-case literal, case-insensitively."""
        lower = self.lower
        at = lower.find(needle, start)
        while at >= 0:
            yield at
            at = lower.find(needle, at + 1)

    def find_markup(self, needle: str) -> int | None:
        """The first occurrence of a lower-case literal outside opaque regions."""
        return next((at for at in self.find_all(needle) if not self.is_opaque(at)), None)

    def opaque_spans(self) -> list[tuple[int, int]]:
        """Spans of comments, scripts, styles and templates (not searched for markup)."""
        if self._opaque is None:
            self._opaque = [m.span() for m in _OPAQUE.finditer(self.text)]
            self._starts = [start for start, _ in self._opaque]
        return self._opaque

    def is_opaque(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a comment, script, style or template."""
        spans = self.opaque_spans()
        assert self._starts is not None
        index = bisect.bisect_right(self._starts, pos) - 1
        return index >= 0 and spans[index][0] < pos < spans[index][1]

    def tags_with(self, needle: str, accept: Callable[[Tag], bool] | None = None) -> Iterator[Tag]:
        """Start tags (outside opaque regions) whose source holds ``needle`` (lower case).

        The page is searched for the literal with ``str.find``; only the tags around its
        occurrences are parsed, so a page without the needle costs one scan in C.
        """
        seen: set[int] = set()
        text = self.text
        for at in self.find_all(needle):
            open_at = at if text.startswith("<", at) else text.rfind("<", 0, at)
            if open_at < 0 or open_at in seen:
                continue
            tag = parse_start_tag(text, open_at)
            if tag is None or tag.end <= at or self.is_opaque(open_at):
                continue
            seen.add(open_at)
            if accept is None or accept(tag):
                yield tag

    def element_end(self, tag: Tag) -> int:
        """Offset just past the element's end tag (past the start tag for void elements)."""
        if tag.self_closing or tag.name in VOID:
            return tag.end
        pattern = _element_pattern(tag.name)
        depth = 1
        for match in pattern.finditer(self.text, tag.end):
            if self.is_opaque(match.start()):
                continue
            depth += -1 if match.group(1) else (0 if match.group(0).endswith("/>") else 1)
            if depth == 0:
                return match.end()
        return tag.end

    def inner(self, tag: Tag) -> str:
        """The element's content as source text."""
        end = self.element_end(tag)
        close = self.text.rfind("<", tag.end, end)
        return self.text[tag.end : close if close >= tag.end else end]

    def jsonld_blocks(self) -> Iterator[tuple[int, str]]:
        """(offset, content) of each JSON-LD script."""
        if "ld+json" not in self.text:
            return
        for match in _JSONLD.finditer(self.text):
            if not _inside_comment(self.text, match.start()):
                yield match.start(), match.group(1)


@functools.lru_cache(maxsize=64)
def _element_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", re.I)


def _inside_comment(text: str, pos: int) -> bool:
    opened = text.rfind("<!--", 0, pos)
    return opened >= 0 and text.rfind("-->", opened, pos) < 0


def soup(markup: str) -> Any:
    """A BeautifulSoup tree of ``markup`` (html.parser keeps source positions).

    bs4 is imported on first use: most pages never need a tree, and a build step's start-up
    time is paid on every build.
    """
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "html.parser")


def visible_text(fragment: str) -> str:
    """Text of a small markup fragment: tags dropped, entities decoded, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG_TEXT.sub(" ", fragment))).strip()


def line_offsets(text: str) -> list[int]:
    """Offset of the start of each line (for converting BeautifulSoup's line/column)."""
    offsets = [0]
    offsets.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))
    return offsets
