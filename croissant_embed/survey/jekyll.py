"""For ``init`` in a Jekyll project: keep ``croissant.toml`` out of the published site.

Jekyll copies every file of its source folder into ``_site`` unless ``exclude`` in
``_config.yml`` names it, and the settings must never be published. The file is edited as
text, minimally (one list item or one line added), and only when ``exclude`` is missing or a
plain list of plain names; anything else is left alone and the user is told what to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..sitefiles import write_atomic

CONFIG_NAMES = ("_config.yml", "_config.yaml")
OUTPUT_NAME = "_site"
_KEY = re.compile(r"^exclude[ \t]*:(.*?)\r?\n?$")
_ITEM = re.compile(r"^([ \t]*)-[ \t]+(.*?)[ \t]*\r?\n?$")
_PLAIN = re.compile(r"""^(?:[A-Za-z0-9_./*\-][^:#\[\]{},"'&!|>%@`]*|'[^']*'|"[^"\\]*")$""")


@dataclass(frozen=True)
class JekyllExclude:
    """What ``init`` did about Jekyll's ``exclude``: the config file, whether it excludes the
    settings now, and what to say."""

    config: Path
    excluded: bool
    message: str


def jekyll_config(root: Path) -> Path | None:
    """The project's ``_config.yml`` (or ``.yaml``), if ``root`` is a Jekyll source folder."""
    return next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)


def publishes_root(root: Path, site: Path | None) -> bool:
    """Whether Jekyll builds ``root`` into the site: no site yet, or the site is its ``_site``."""
    if jekyll_config(root) is None:
        return False
    return site is None or site.resolve() == (root / OUTPUT_NAME).resolve()


def _unquoted(item: str) -> str:
    return item[1:-1] if item[:1] in "'\"" and item[-1:] == item[:1] and len(item) > 1 else item


def _value(raw: str) -> str | None:
    """The value after ``exclude:`` without a trailing comment, or None when it is not plain."""
    text = raw.strip()
    if "#" in text:
        if "'" in text or '"' in text:
            return None  # a comment mark may be inside quotes: not worth guessing
        text = text.split("#", 1)[0].strip() if text.startswith("#") or " #" in text else text
    return text


def _block_items(lines: list[str], at: int) -> list[tuple[int, str, str]] | None:
    """The block list under the key at line ``at``: (line index, indentation, item) of each item,
    or None when what follows is not a plain list of plain names."""
    items: list[tuple[int, str, str]] = []
    for index in range(at + 1, len(lines)):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ITEM.match(line)
        if match is None:
            if line[0] in " \t":
                return None  # a nested mapping, or an item's continuation
            break
        item = _value(match.group(2))
        if (items and match.group(1) != items[0][1]) or item is None or not _PLAIN.match(item):
            return None
        items.append((index, match.group(1), item))
    return items


def _edited(text: str, name: str) -> str | None:
    """The config text with ``name`` in ``exclude``; ``text`` itself when it is there; None when unsafe."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if any(line.rstrip() in ("---", "...") for line in lines[1:]):
        return None  # several YAML documents
    keys = [index for index, line in enumerate(lines) if _KEY.match(line)]
    if not keys:
        ending = "" if not text or text.endswith(("\n", "\r")) else newline
        return f"{text}{ending}exclude:{newline}  - {name}{newline}"
    if len(keys) > 1:
        return None
    at = keys[0]
    value = _value(_KEY.match(lines[at]).group(1))
    if value is None:
        return None
    if not value:
        block = _block_items(lines, at)
        if block is None:
            return None
        if any(_unquoted(item) == name for _, _, item in block):
            return text
        last, indentation = (block[-1][0], block[-1][1]) if block else (at, "  ")
        return "".join(lines[: last + 1] + [f"{indentation}- {name}{newline}"] + lines[last + 1:])
    flow = re.fullmatch(r"\[(.*)\]", value)
    if flow is None or any(mark in flow.group(1) for mark in "[]{}"):
        return None
    items = [item.strip() for item in flow.group(1).split(",") if item.strip()]
    if not all(_PLAIN.match(item) for item in items):
        return None
    if any(_unquoted(item) == name for item in items):
        return text
    key_line = lines[at]
    start = key_line.index("[")
    end = key_line.rindex("]")
    inner = key_line[start + 1:end].rstrip()
    lines[at] = key_line[: start + 1] + inner + (", " if items else "") + name + key_line[end:]
    return "".join(lines)


def exclude_from_jekyll(root: Path, name: str = "croissant.toml") -> JekyllExclude | None:
    """Add ``name`` to Jekyll's ``exclude`` in ``root``'s config; None when ``root`` is no Jekyll source."""
    config = jekyll_config(root)
    if config is None:
        return None
    how = (f"add {name} to exclude in {config.name} so that Jekyll never publishes it, e.g.\n"
           f"  exclude:\n    - {name}")
    try:
        text = config.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return JekyllExclude(config, False, f"{config.name} could not be read ({exc}); {how}")
    edited = _edited(text, name)
    if edited is None:
        return JekyllExclude(config, False, f"{config.name} was left alone (its exclude is not a plain list); {how}")
    if edited == text:
        return JekyllExclude(config, True, f"{config.name} already excludes {name} from the site")
    write_atomic(config, edited.encode("utf-8"))
    return JekyllExclude(config, True, f"added {name} to exclude in {config.name}, so that Jekyll never publishes it")
