"""Rewrite stage: splice snippets into a page's original text, never re-serialising it.

Each insertion is wrapped in ``<!--croissant-embed H-->`` ... ``<!--/croissant-embed H-->``,
where ``H`` is a hash of the snippet between the markers. Only runs whose content still
matches their hash are removed again: a marker copied into a script string, a comment or a
theme by accident (or by an attacker) never makes the tool delete what it did not write.
Stripping the verified runs gives back the generator's text exactly, which makes a second
run over a processed page a no-op and lets a changed configuration replace old insertions.

Pages written by version 0.1 carry unhashed ``<!--croissant-embed-->`` markers; those runs
are removed only when their content has the exact shape of one of that version's snippets.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MARKER_PREFIX = "<!--croissant-embed"
"""Every opening marker, hashed or legacy, starts with this (a cheap test for insertions)."""
OPEN = MARKER_PREFIX
CLOSE = "<!--/croissant-embed"
_HASHED_OPEN = re.compile(r"<!--croissant-embed ([0-9a-f]{16})-->")
_LEGACY_OPEN, _LEGACY_CLOSE = "<!--croissant-embed-->", "<!--/croissant-embed-->"
_LEGACY_SNIPPET = re.compile(
    r"\s*(?:<script src=\"[^\"<>]*\" defer></script>"
    r"|<croissant-toggle-pdp [^<>]*></croissant-toggle-pdp>(?:\r?\n<script>\r?\n\(function \(\) \{\r?\n"
    r"  /\* croissant-embed: [^<]*?\}\)\(\);\r?\n</script>)?"
    r"|<script>\r?\n\(function \(\) \{\r?\n  /\* croissant-embed: copy [^<]*?\}\)\(\);\r?\n</script>)\s*"
)


def _digest(snippet: str) -> str:
    """The hash a run carries: over the snippet with non-ASCII as character references.

    Pages in legacy encodings store characters they lack as references, so hashing that
    form makes the hash survive the round trip through any page encoding.
    """
    canonical = snippet.encode("ascii", errors="xmlcharrefreplace")
    return hashlib.sha256(canonical).hexdigest()[:16]


def wrap(snippet: str) -> str:
    """``snippet`` between its hashed markers, ready to insert."""
    digest = _digest(snippet)
    return f"{MARKER_PREFIX} {digest}-->{snippet}{CLOSE} {digest}-->"


@dataclass(frozen=True)
class Stripped:
    """A page without its verified insertions, and how many markers were left alone."""

    text: str
    foreign_markers: int = 0


def strip(text: str) -> Stripped:
    """The page as the generator wrote it, plus a count of markers this tool did not write.

    Linear in the page: each marker is looked at once, and a run is removed only when its
    closing marker follows and its content matches the hash (or a legacy snippet's shape).
    """
    if MARKER_PREFIX not in text:
        return Stripped(text)
    parts: list[str] = []
    cursor = scan = 0
    foreign = 0
    while True:
        at = text.find(MARKER_PREFIX, scan)
        if at < 0:
            break
        end = _verified_run_end(text, at)
        if end is None:
            foreign += 1
            scan = at + len(MARKER_PREFIX)
            continue
        parts.append(text[cursor:at])
        cursor = scan = end
    if cursor == 0:
        return Stripped(text, foreign)
    parts.append(text[cursor:])
    return Stripped("".join(parts), foreign)


def _verified_run_end(text: str, at: int) -> int | None:
    """The end of the run opening at ``at`` when this tool wrote it, else None."""
    hashed = _HASHED_OPEN.match(text, at)
    if hashed is not None:
        close = f"{CLOSE} {hashed.group(1)}-->"
        stop = text.find(close, hashed.end())
        if stop >= 0 and _digest(text[hashed.end() : stop]) == hashed.group(1):
            return stop + len(close)
        return None
    if text.startswith(_LEGACY_OPEN, at):
        start = at + len(_LEGACY_OPEN)
        stop = text.find(_LEGACY_CLOSE, start)
        if stop >= 0 and _LEGACY_SNIPPET.fullmatch(text, start, stop):
            return stop + len(_LEGACY_CLOSE)
    return None


def strip_insertions(text: str) -> str:
    """The page as the generator wrote it (every insertion this tool made removed)."""
    return strip(text).text


def newline_of(text: str) -> str:
    """The page's line ending (``\\r\\n`` when it uses them, else ``\\n``)."""
    return "\r\n" if "\r\n" in text else "\n"


def splice(text: str, insertions: list[tuple[int, str]]) -> str:
    """``text`` with each snippet wrapped and inserted at its offset (stable for ties)."""
    if not insertions:
        return text
    newline = newline_of(text)
    parts, cursor = [], 0
    for offset, snippet in sorted(insertions, key=lambda item: item[0]):
        if not 0 <= offset <= len(text):
            raise ValueError(f"insertion offset {offset} outside the page")
        if newline != "\n":
            snippet = snippet.replace("\r\n", "\n").replace("\n", newline)
        parts.append(text[cursor:offset])
        parts.append(wrap(snippet))
        cursor = offset
    parts.append(text[cursor:])
    return "".join(parts)
