"""Discover stage: the pages of a built site, filtered by include and exclude globs.

Symbolic links are never followed: a linked folder could loop or lead out of the site,
and writing through a linked file would change something that is not the site's. The same
walk removes the temporary files a killed build left behind, when asked to.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import SiteError
from .sitefiles import is_stale_temporary


@dataclass(frozen=True)
class Found:
    """A file under the site: its path, its path relative to the site (with ``/``)."""

    path: Path | str
    rel: str
    skipped: str | None = None


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a glob with ``**`` (any folders), ``*`` and ``?`` (within one name)."""
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out) + r"\Z", re.S)


def matches(rel: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``rel`` matches any of the glob patterns."""
    return bool(patterns) and _any_glob(patterns).match(rel) is not None


@lru_cache(maxsize=64)
def _any_glob(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for several globs: a site's every file is matched against them."""
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns), re.S)


def discover(site: Path, *, include: tuple[str, ...], exclude: tuple[str, ...], clean: bool = False) -> Iterator[Found]:
    """Every page file of the site in a stable order; links are listed as skipped.

    ``clean``: also delete the temporary files of atomic writes that a killed build left (a
    folder is listed before any of its pages is handed out, so none of this build's is seen).
    """
    if not site.is_dir():
        raise SiteError(f"the site folder {site} does not exist or is not a folder")
    root = str(site.resolve())
    yield from _walk(root, "", include, exclude, clean)


def listed(site: Path, rels: Iterable[str]) -> Iterator[Found]:
    """The pages of a walk of the site made just before (their paths in it), as :func:`discover` gives them."""
    root = str(site.resolve())
    for rel in rels:
        yield Found(os.path.join(root, rel), rel)


def _link_would_be_read(entry: os.DirEntry[str], rel: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether a symbolic link stands where the globs would read a page (or a folder of pages)."""
    try:
        to_folder = entry.is_dir()  # follows the link
    except OSError:  # a loop, or a target we may not look at
        to_folder = False
    probe = rel + "/x.html" if to_folder else rel
    return matches(probe, include) and not matches(probe, exclude)


def _walk(folder: str, prefix: str, include: tuple[str, ...], exclude: tuple[str, ...], clean: bool) -> Iterator[Found]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield Found(Path(folder), prefix.rstrip("/") or ".", f"folder cannot be read ({exc.strerror})")
        return
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_symlink():
            if _link_would_be_read(entry, rel, include, exclude):
                yield Found(Path(entry.path), rel, "symbolic link (not followed)")
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, rel + "/", include, exclude, clean)
        elif entry.name.endswith(".croissant-tmp"):
            if clean and is_stale_temporary(entry):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        elif not matches(rel, include) or matches(rel, exclude):
            continue
        else:
            yield Found(entry.path, rel)
