"""Rewrite stage: splice snippets into a page's original text, never re-serialising it.

Each insertion is wrapped in ``<!--croissant-embed-->`` ... ``<!--/croissant-embed-->``.
Stripping those wrapped runs gives back the generator's text exactly, which makes a second
run over a processed page a no-op and lets a changed configuration replace old insertions.
"""

from __future__ import annotations

import re

OPEN = "<!--croissant-embed-->"
CLOSE = "<!--/croissant-embed-->"
_INSERTED = re.compile(re.escape(OPEN) + r".*?" + re.escape(CLOSE), re.S)


def strip_insertions(text: str) -> str:
    """The page as the generator wrote it (every earlier insertion removed)."""
    if OPEN not in text:
        return text
    return _INSERTED.sub("", text)


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
        parts.append(OPEN + snippet + CLOSE)
        cursor = offset
    parts.append(text[cursor:])
    return "".join(parts)
