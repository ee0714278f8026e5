"""Locating tags and elements in raw HTML text without parsing the whole page.

BeautifulSoup costs milliseconds per page; most of what a product page needs is found by a
few compiled regular expressions over the text. This module finds start tags by attribute,
the span of an element (nesting-aware), and the regions whose content is not markup, which
every search skips: comments, raw-text elements (script, style, title, textarea, ...),
templates, and tags whose attribute values hold ``<`` or ``>`` (a ``<span>`` inside
``data-bs-content="<span class='price'>"`` is not a tag). Positions are offsets into the
text, ready for splicing.

Every pattern here is unambiguous (no two ways to match the same text), so a failed match
costs time linear in what it looked at, and the page is walked once: hostile pages (a tag
that never ends, thousands of unclosed elements) cost time in proportion to their size.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, NamedTuple

RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext", "template")
"""Elements whose content is not markup (``template``'s is inert; treated the same)."""

# A start or end tag exactly as the HTML tokenizer reads it: the name runs to whitespace,
# "/" or ">"; a quoted value may hold ">"; a tag cut off by the end of the page ends there
# (group 5 is then empty). Every branch is decided by the next character, so the first way
# tried always succeeds: no backtracking, whatever the page holds.
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][^\s/>]*)"""
    r"""((?:\s+|/(?!>))*(?:[^\s/>][^\s/>=]*(?:\s*=\s*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\s>]+|(?=>)|\Z))?(?:\s+|/(?!>))*)*)"""
    r"""(/?)(>|\Z)"""
)
_ATTR = re.compile(r"""([^\s/>][^\s/>=]*)(?:\s*=\s*("[^"]*"?|'[^']*'?|[^\s>]*))?""")
# What the walk skips in one call: text, and ordinary tags (no "<", ">" or stray quotes in
# their attributes), for which the first ">" is the tag's end. A name is never split and an
# unquoted value ends at whitespace or ">", so this pattern is unambiguous too.
_PLAIN = re.compile(
    r"""[^<]*(?:(?:<(?!!--)[^<>"'=]*>"""
    r"""|</?[a-zA-Z][^\s/<>"'=]*(?:\s+[^\s/<>"'=]+(?:=(?:"[^<>"]*"|'[^<>']*'|[^\s<>"'=`]+(?=[\s>])))?)*\s*/?>"""
    r"""|<(?![a-zA-Z!/?]))[^<]*)*"""
)
_SPECIAL = re.compile(rb"<(?:!--|(?:" + "|".join(RAW_TEXT).encode() + rb")(?=[\s/>]))")  # searched in Html.lower
_COMMENT_END = re.compile(r"-?>|.*?--!?>", re.S)
_TAG_TEXT = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OPENS_TAG = _LETTERS | {"/", "!", "?"}
_ENDS_NAME = frozenset((b" ", b"\t", b"\n", b"\r", b"\f", b"/", b">"))
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


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
    """The start tag beginning at ``pos`` (which holds ``<``), or None (an end tag, or cut off)."""
    match = _TAG.match(text, pos)
    if match is None or match.group(1) or not match.group(5):
        return None
    attrs: dict[str, str] = {}
    for attr in _ATTR.finditer(match.group(3)):
        name = attr.group(1).lower()
        value = attr.group(2) or ""
        if value[:1] in ('"', "'"):
            value = value[1:-1]
        attrs.setdefault(name, html.unescape(value))
    return Tag(match.group(2).lower(), attrs, match.start(), match.end(), bool(match.group(4)))


class Region(NamedTuple):
    """A span whose inside is not markup: a comment, a raw-text element, or a tag.

    (A named tuple rather than a dataclass: every page makes several, and it is cheaper.)
    """

    start: int
    end: int
    kind: str  # "comment", "tag", or the raw-text element's name
    content: tuple[int, int] | None = None  # a closed raw-text element's content span


@dataclass
class Html:
    """One page's text with cheap, cached lookups."""

    text: str
    _regions: list[Region] | None = field(default=None, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _lower: bytes | None = field(default=None, repr=False)
    _ends: dict[str, dict[int, int | None]] = field(default_factory=dict, repr=False)

    @property
    def lower(self) -> bytes:
        """The text with ASCII letters in lower case and every other character as one byte.

        Offsets are the text's own. HTML names are case-insensitive in ASCII only, and
        lowering bytes is several times cheaper than ``str.lower`` on non-ASCII text.
        """
        if self._lower is None:
            self._lower = self.text.encode("ascii", "replace").lower()
        return self._lower

    def find_all(self, needle: str, start: int = 0) -> Iterator[int]:
        """Offsets of a lower-case ASCII literal, case-insensitively."""
        lower, needle_bytes = self.lower, _ascii(needle)
        at = lower.find(needle_bytes, start)
        while at >= 0:
            yield at
            at = lower.find(needle_bytes, at + 1)

    def find_markup(self, needle: str) -> int | None:
        """The first occurrence of a lower-case literal outside opaque regions."""
        return next((at for at in self.find_all(needle) if not self.is_opaque(at)), None)

    def regions(self) -> list[Region]:
        """Comments, raw-text elements and tags with ``<`` or ``>`` in them, in page order."""
        if self._regions is None:
            self._regions = list(self._walk())
            self._starts = [region.start for region in self._regions]
        return self._regions

    def _walk(self) -> Iterator[Region]:
        """One pass over the page: ``_PLAIN`` skips in C up to the next special place."""
        text, size = self.text, len(self.text)
        specials = [match.start() for match in _SPECIAL.finditer(self.lower)]
        pos = index = 0
        while pos < size:
            while index < len(specials) and specials[index] < pos:
                index += 1  # inside something already walked over (an attribute, a comment)
            stop = specials[index] if index < len(specials) else size
            pos = _PLAIN.match(text, pos, stop).end()
            if pos >= size:
                return
            region = self._token(pos)
            if region is None:
                pos += 1  # a "<" that opens nothing: text
                continue
            if region.kind != "plain":
                yield region
            pos = region.end

    def _token(self, pos: int) -> Region | None:
        """The comment, tag or raw-text element starting at ``pos``."""
        text = self.text
        if text.startswith("<!--", pos):
            match = _COMMENT_END.match(text, pos + 4)
            return Region(pos, match.end() if match else len(text), "comment")
        after = text[pos + 1 : pos + 2]
        if after in ("!", "?") or (after == "/" and text[pos + 2 : pos + 3] not in _LETTERS):
            if text.startswith("</>", pos):
                return Region(pos, pos + 3, "plain")  # ignored by browsers
            if after == "/" and pos + 2 >= len(text):
                return None
            close = text.find(">", pos)
            return Region(pos, len(text) if close < 0 else close + 1, "comment")  # a bogus comment
        match = _TAG.match(text, pos)
        if match is None:
            return None
        name = match.group(2).lower()
        if match.group(1) or name not in RAW_TEXT or not match.group(5):
            return Region(pos, match.end(), "tag")
        content = match.end()
        close = self._raw_text_end(name, content)
        if close is None:
            return Region(pos, len(text), name)
        end_tag = _TAG.match(text, close)
        assert end_tag is not None
        return Region(pos, end_tag.end(), name, (content, close))

    def _raw_text_end(self, name: str, start: int) -> int | None:
        """Offset of the end tag of a raw-text element whose content starts at ``start``."""
        if name == "plaintext":
            return None  # runs to the end of the page
        lower, needle = self.lower, b"</" + name.encode("ascii")
        at = lower.find(needle, start)
        while at >= 0 and lower[at + len(needle) : at + len(needle) + 1] not in _ENDS_NAME:
            at = lower.find(needle, at + 1)
        return at if at >= 0 else None

    def region_at(self, pos: int) -> Region | None:
        """The region ``pos`` lies strictly inside, if any."""
        regions = self.regions()
        index = bisect.bisect_right(self._starts, pos) - 1
        if index >= 0 and regions[index].start < pos < regions[index].end:
            return regions[index]
        return None

    def is_opaque(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a comment, raw-text element, template, or another tag."""
        return self.region_at(pos) is not None

    def insertion_problem(self, offset: int) -> str | None:
        """Why markup inserted at ``offset`` would not become an element, or None when it would."""
        if not 0 <= offset <= len(self.text):
            return f"offset {offset} is outside the page"
        region = self.region_at(offset)
        if region is not None:
            where = {"tag": "inside a tag", "comment": "inside a comment"}.get(region.kind, f"inside <{region.kind}>")
            return f"offset {offset} is {where}"
        # outside regions every tag is plain: no "<" inside, ended by the first ">"
        index = bisect.bisect_right(self._starts, offset) - 1
        floor = self._regions[index].end if index >= 0 and self._regions else 0  # type: ignore[index]
        text = self.text
        opened = text.rfind("<", floor, offset)
        while opened >= 0 and text[opened + 1 : opened + 2] not in _OPENS_TAG:
            opened = text.rfind("<", floor, opened)
        if opened >= 0 and text.find(">", opened, offset) < 0:
            return f"offset {offset} is inside a tag"
        return None

    def tags_with(self, needle: str, accept: Callable[[Tag], bool] | None = None) -> Iterator[Tag]:
        """Start tags (outside opaque regions) whose source holds ``needle`` (lower case).

        The page is searched for the literal with ``str.find``; only the tags around its
        occurrences are parsed, so a page without the needle costs one scan in C. Each
        stretch of text is searched for its "<" once, however many occurrences it holds.
        """
        seen: set[int] = set()
        text = self.text
        searched, last_open = 0, -1
        parsed_at, parsed = -1, None
        for at in self.find_all(needle):
            found = text.rfind("<", searched, at + 1)
            last_open = found if found >= 0 else last_open
            searched = at + 1
            open_at = last_open
            region = self.region_at(open_at) if open_at >= 0 else None
            if region is not None:
                if region.kind != "tag":
                    continue
                open_at = region.start  # the needle is in a tag whose attribute holds a "<"
            if open_at < 0 or open_at in seen:
                continue
            if open_at != parsed_at:
                parsed_at, parsed = open_at, parse_start_tag(text, open_at)
            tag = parsed
            if tag is None or tag.end <= at:
                continue
            seen.add(open_at)
            if accept is None or accept(tag):
                yield tag

    def element_end(self, tag: Tag) -> int:
        """Offset just past the element's end tag (past the start tag for void or unclosed elements)."""
        if tag.self_closing or tag.name in VOID:
            return tag.end
        ends = self._ends.setdefault(tag.name, {})
        if tag.start not in ends:
            self._pair(tag, ends)
        end = ends[tag.start]
        return tag.end if end is None else end

    def _pair(self, tag: Tag, ends: dict[int, int | None]) -> None:
        """Find ``tag``'s end tag, and on the way those of same-named elements opened inside it.

        Remembering them all makes the elements of a page cost one pass, even when thousands
        are never closed.
        """
        pattern, text = _element_pattern(tag.name), self.text
        open_starts, pos = [tag.start], tag.end
        while open_starts:
            match = pattern.search(text, pos)
            if match is None:
                break
            pos = match.end()
            if self.is_opaque(match.start()):
                continue
            if match.group(1):
                ends[open_starts.pop()] = pos + text.startswith(">", pos)
            elif not (match.group(2).endswith("/") and text.startswith(">", pos)):
                if match.start() in ends:  # paired by an earlier pass: skip the whole element
                    known = ends[match.start()]
                    if known is None:
                        break  # it never closes, so neither does anything open around it
                    pos = known
                    continue
                open_starts.append(match.start())
        for start in open_starts:
            ends[start] = None

    def inner(self, tag: Tag) -> str:
        """The element's content as source text."""
        end = self.element_end(tag)
        close = self.text.rfind("<", tag.end, end)
        return self.text[tag.end : close if close >= tag.end else end]

    def jsonld_blocks(self) -> Iterator[tuple[int, str]]:
        """(offset, content) of each closed JSON-LD script."""
        if b"ld+json" not in self.lower:
            return
        for region in self.regions():
            if region.kind != "script" or region.content is None:
                continue
            tag = parse_start_tag(self.text, region.start)
            if tag is not None and (tag.get("type") or "").strip().lower().startswith("application/ld+json"):
                yield region.start, self.text[region.content[0] : region.content[1]]


@functools.lru_cache(maxsize=64)
def _ascii(needle: str) -> bytes:
    return needle.encode("ascii")


@functools.lru_cache(maxsize=64)
def _element_pattern(name: str) -> re.Pattern[str]:
    # the tag's own text stops at the next "<" or ">": each character is looked at once
    return re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])([^<>]*)", re.I)


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
