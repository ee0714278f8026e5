"""A light outline of a page's body: its elements, nested, and the text a shopper reads.

Finding the price a shopper sees needs ancestors (is it struck? inside a link? beside the
title?) and text that runs across elements (``<span>£</span> <span>315</span>``). A full
parser costs milliseconds a page; this walks the start and end tags once with a regular
expression, skipping the regions :class:`~.scan.Html` already knows are not markup
(comments, scripts, styles, templates), and pairs them with the few implied-end rules themes
rely on (a block closes an open ``<p>``, an ``<li>`` closes the previous one). Attributes are
parsed only for the elements asked about.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Iterator

from .scan import VOID, Html, Tag, parse_start_tag

# Elements that flow inside a line: their tags do not break the text into separate lines.
INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark q s samp small span "
    "strike strong sub sup time tt u var".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section table ul".split()
)
_P_SCOPE = frozenset("button table td th caption object template html".split())
_LIST_SCOPE = frozenset(("ul", "ol", "menu"))
_DL_SCOPE = frozenset(("dl",))
_TAG_START = re.compile(r"<(?:(/?)([A-Za-z][^\s/>]*)|[!?/])")
_SPACES = re.compile(r"\s+")
_IMPLIED_REACH = 64
# blocks whose end tag is never left out: passing over one by its end tag is safe
_SKIPPABLE = frozenset("article aside blockquote details div dl fieldset figure footer form header main menu nav ol section table ul".split())
_MIN_SKIP = 300  # a shorter block costs less to outline than to pass over


class Node:
    """One element: its name, where its start tag and its end are, and its span of the text."""

    __slots__ = ("name", "start", "tag_end", "end", "parent", "depth", "text_from", "text_to", "_tag")

    def __init__(self, name: str, start: int, tag_end: int, parent: int, depth: int, text_from: int) -> None:
        self.name = name
        self.start = start
        self.tag_end = tag_end
        self.end: int | None = None  # just past the end tag (or where the element was implicitly closed)
        self.parent = parent
        self.depth = depth
        self.text_from = text_from
        self.text_to = text_from
        self._tag: Tag | None = None


_start_of = attrgetter("start")


class Outline:
    """The body's elements in page order and its visible text, with offsets to map between them.

    With ``keep`` (sorted offsets), a block element holding none of them (a navigation, a
    footer, a long description) is passed over whole: only the parts of the page around
    those offsets are outlined, which is most of the cost saved on a typical page.
    """

    def __init__(self, page: Html, keep: list[int] | None = None) -> None:
        self.page = page
        self._keep = keep
        self.nodes: list[Node] = []
        self._chunk_at: list[int] = []  # offset in ``text`` where each chunk of page text starts
        self._chunk_node: list[int] = []  # the element holding that chunk (-1: none)
        self.text = ""
        self._open: dict[str, int] = {}  # how many elements of each name are open while building
        self._build()

    def _build(self) -> None:
        page, source = self.page, self.page.text
        regions = page.regions()
        body = page.find_markup("<body")
        pos = 0 if body is None else body
        pieces: list[str] = []
        length = 0
        stack: list[int] = []
        nodes, opened = self.nodes, self._open
        chunk_at, chunk_node = self._chunk_at, self._chunk_node
        region_index, region_count = 0, len(regions)
        search_from = pos
        while True:
            match = _TAG_START.search(source, search_from)  # searched again after a jump, not iterated through
            if match is None:
                break
            at = match.start()
            search_from = at + 1
            if at < pos:
                search_from = pos
                continue
            while region_index < region_count and regions[region_index].end <= at:
                region_index += 1
            region = regions[region_index] if region_index < region_count and regions[region_index].start <= at else None
            if region is not None and region.start < at:
                continue  # inside a comment, a script, or a tag with "<" in an attribute
            name = match.group(2)
            if region is None and name is None:
                continue  # a "<" that opens nothing is text
            if at > pos:
                chunk = source[pos:at]
                if chunk.isspace():
                    chunk = " "  # most text between tags is a line break or an indent (no regex needed)
                else:
                    if "&" in chunk:
                        chunk = html.unescape(chunk)
                    chunk = _SPACES.sub(" ", chunk)
                chunk_at.append(length)
                chunk_node.append(stack[-1] if stack else -1)
                pieces.append(chunk)
                length += len(chunk)
            if region is not None and region.kind != "tag":
                pos = region.end  # a comment or a raw-text element: no visible text
                continue
            if region is not None:
                tag_end = region.end
            else:
                gt = source.find(">", match.end())
                tag_end = len(source) if gt < 0 else gt + 1
            pos = tag_end
            name = name.lower()
            if name not in INLINE and pieces and pieces[-1] != "\n":
                pieces.append("\n")  # a block boundary: no price runs across it
                length += 1
            if match.group(1):  # an end tag
                if name in ("body", "html"):
                    break
                if opened.get(name):  # else nothing of that name is open: browsers ignore it
                    depth = len(stack) - 1
                    while nodes[stack[depth]].name != name:
                        depth -= 1
                    self._close(stack, depth, at, length, tag_end)
                continue
            if opened.get("p") and name in _CLOSES_P:
                self._implied_end(stack, ("p",), _P_SCOPE, at, length)
            if name == "li" and opened.get("li"):
                self._implied_end(stack, ("li",), _LIST_SCOPE, at, length)
            elif (name == "dt" or name == "dd") and (opened.get("dt") or opened.get("dd")):
                self._implied_end(stack, ("dt", "dd"), _DL_SCOPE, at, length)
            elif (name == "option" or name == "optgroup") and stack and nodes[stack[-1]].name == "option":
                self._close(stack, len(stack) - 1, at, length)
            if name in VOID or source[tag_end - 2 : tag_end] == "/>":
                continue  # nothing inside: not needed in the outline
            if self._keep is not None and name in _SKIPPABLE:
                skip_to = self._skip(name, at, tag_end)
                if skip_to is not None:
                    pos = skip_to
                    if pieces and pieces[-1] != "\n":
                        pieces.append("\n")
                        length += 1
                    continue
            stack.append(len(nodes))
            nodes.append(Node(name, at, tag_end, stack[-2] if len(stack) > 1 else -1, len(stack) - 1, length))
            opened[name] = opened.get(name, 0) + 1
        for index in stack:
            nodes[index].text_to = length  # never closed: the element runs to the end
        self.text = "".join(pieces)

    def _skip(self, name: str, at: int, tag_end: int) -> int | None:
        """Where a block holding no kept offset ends, when it is long enough to be worth passing over."""
        keep = self._keep
        assert keep is not None
        index = bisect_left(keep, at)
        following = keep[index] if index < len(keep) else len(self.page.text) + _MIN_SKIP
        if following - at <= _MIN_SKIP:
            return None
        end = self.page.element_end(Tag(name, {}, at, tag_end))
        # closed (its end tag found), long, and holding nothing kept
        return end if end > tag_end and end - at > _MIN_SKIP and end <= following else None

    def _close(self, stack: list[int], depth: int, at: int, length: int, own_end: int | None = None) -> None:
        """Close the open element at ``depth`` of the stack (ended by its own end tag, or implied at ``at``)."""
        nodes = self.nodes
        for index in stack[depth:]:
            node = nodes[index]
            node.end, node.text_to = at, length
            self._open[node.name] -= 1
        if own_end is not None:
            nodes[stack[depth]].end = own_end
        del stack[depth:]

    def _implied_end(self, stack: list[int], wanted: tuple[str, ...], scope: frozenset[str], at: int, length: int) -> None:
        """Close an open element that a new start tag ends implicitly (``<p>`` before ``<div>``)."""
        # an open <p> is near the top of the stack; looking no deeper keeps hostile nesting linear
        for depth in range(len(stack) - 1, max(-1, len(stack) - 1 - _IMPLIED_REACH), -1):
            name = self.nodes[stack[depth]].name
            if name in wanted:
                self._close(stack, depth, at, length)
                return
            if name in scope:
                return

    def find(self, start: int) -> int:
        """The element whose start tag begins at ``start`` (-1: none in the outline)."""
        index = bisect_left(self.nodes, start, key=_start_of)
        return index if index < len(self.nodes) and self.nodes[index].start == start else -1

    def tag(self, index: int) -> Tag:
        """The element's start tag with its attributes (parsed on first use)."""
        node = self.nodes[index]
        if node._tag is None:
            node._tag = parse_start_tag(self.page.text, node.start) or Tag(node.name, {}, node.start, node.tag_end)
        return node._tag

    def text_of(self, index: int) -> str:
        """The element's visible text, spaces collapsed."""
        node = self.nodes[index]
        return " ".join(self.text[node.text_from : node.text_to].split())

    def size(self, index: int) -> int:
        """How long the element's text is (cheap: no text is built)."""
        node = self.nodes[index]
        return node.text_to - node.text_from

    def ancestors(self, index: int, limit: int | None = None) -> Iterator[int]:
        """The element and those around it, innermost first (at most ``limit`` of them)."""
        while index >= 0 and limit != 0:
            yield index
            index = self.nodes[index].parent
            limit = None if limit is None else limit - 1

    def common(self, first: int, second: int) -> int:
        """The innermost element holding both (-1: only the page)."""
        nodes = self.nodes
        while first != second and first >= 0 and second >= 0:
            if nodes[first].depth >= nodes[second].depth:
                first = nodes[first].parent
            else:
                second = nodes[second].parent
        return first if first == second else -1

    def holder(self, start: int, end: int) -> int:
        """The innermost element holding the text between two offsets of ``text``."""
        first = bisect_right(self._chunk_at, start) - 1
        last = bisect_right(self._chunk_at, max(start, end - 1)) - 1
        if first < 0:
            return -1
        held = self._chunk_node[first]
        for chunk in range(first + 1, last + 1):
            held = self.common(held, self._chunk_node[chunk])
        return held
