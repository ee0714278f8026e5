"""Replay: a build that finds nothing changed since the last one repeats what it printed.

A build's result is a function of its inputs: the pages, the settings and flags, the
templates, croissant-embed's own code, the sync state and the plan files. When the last
``build`` sent nothing and left every page final, it keeps what it printed and its exit
code here, with a digest of those inputs. The next ``build`` takes the digest again (every
page is only stat-ed, never read) and, when nothing differs, prints the same lines and
exits the same way instead of processing, planning and writing again.

A page counts by its file's status (size, mtime, ctime, inode), and only a status that had
settled when the last build took it (see :mod:`.cache`), so a page changed since is never
missed. Anything that cannot be known this way (a page that failed, a link, an unreadable
folder, a report or feed to write, a sync that sent something) makes the next build a
full one. Nothing secret is kept: settings are taken by their repr, which masks secrets.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
from pathlib import Path
from typing import Iterable, NamedTuple

from . import __version__
from .discover import discover
from .errors import SiteError
from .settings import Settings, builtin_templates_dir
from .sitefiles import FileStat, status_of, write_atomic

log = logging.getLogger(__name__)
REPLAY_NAME = "replay.json"
STATE_FILES = ("state.json", "state.journal")
_MASK = (1 << 128) - 1
_STATUS = struct.Struct("<qqqQ")
_PACKAGE = Path(__file__).resolve().parent


class Listing:
    """An order-free digest of the pages of a site and their files' statuses.

    A sum of one hash per page: the build adds pages in whatever order its workers finish
    them, and the replay adds them in the order of its walk.
    """

    def __init__(self) -> None:
        self.count = 0
        self._total = 0

    def add(self, rel: str, stat: FileStat) -> None:
        """Count one page, with the status its file had."""
        digest = hashlib.blake2b(rel.encode("utf-8", "surrogateescape") + _STATUS.pack(*stat), digest_size=16).digest()
        self._total += int.from_bytes(digest, "big")  # masked when read
        self.count += 1

    @property
    def value(self) -> str:
        """The digest, with the number of pages."""
        return f"{self.count}:{self._total & _MASK:032x}"


class Line(NamedTuple):
    """One line the build printed, and whether to standard error."""

    text: str
    err: bool


class Replay(NamedTuple):
    """What the last build printed and how it exited."""

    lines: tuple[Line, ...]
    exit_code: int


def path(settings: Settings) -> Path:
    """Where the last build's replay is kept."""
    return settings.state_dir / REPLAY_NAME


def inputs(settings: Settings, flags: str) -> str:
    """A digest of what a build's result depends on besides the pages, the state and the plans, taken as the build begins.

    ``flags``: the build's options as text. Templates count by their bytes, croissant-embed's
    own modules by their status.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, repr(settings), flags, os.getcwd())).encode("utf-8", "surrogateescape"))
    for folder in (builtin_templates_dir(), *([settings.templates_dir] if settings.templates_dir else [])):
        for file in _files(folder):
            digest.update(f"{file}\0".encode("utf-8", "surrogateescape") + _bytes(file))
    for file in _files(_PACKAGE):
        digest.update(f"{file}\0{status_of(file)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _key(settings: Settings, inputs: str, plans: Iterable[Path]) -> str:
    """``inputs`` with the state and the plan files (``plans``: those the build writes, whose registration in the state
    makes each the one ``apply`` takes), by their status: both are only ever replaced whole, by a rename, or appended to."""
    digest = hashlib.blake2b(inputs.encode("ascii"), digest_size=16)
    for file in [*(settings.state_dir / name for name in STATE_FILES), *plans]:
        digest.update(f"{file}\0{status_of(file)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _files(folder: Path | str) -> list[str]:
    """Every file under ``folder``, in a stable order (bytecode caches left out; an unreadable folder as itself)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return [str(folder)]
    found = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                found += _files(entry.path)
        else:
            found.append(entry.path)
    return found


def _bytes(file: str) -> bytes:
    try:
        with open(file, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return b"-"


class Check(NamedTuple):
    """What the last build's replay says of this build."""

    replay: Replay | None = None
    """The last build's lines and exit code, when nothing changed since."""
    pages: list[str] | None = None
    """The site's pages (paths in it) when the check walked them and found a change: the build goes on with them."""


def check(settings: Settings, inputs: str, plans: Iterable[Path], *, clean: bool) -> Check:
    """The last build's replay, when nothing it depended on has changed since (``inputs``: see :func:`inputs`).

    ``clean``: the walk removes what killed builds left, as the build's own would.
    """
    if settings.site_dir is None or not settings.site_dir.is_dir():
        return Check()
    try:
        kept = json.loads(path(settings).read_text(encoding="utf-8"))
        if kept["version"] != 1 or kept["inputs"] != _key(settings, inputs, plans):
            return Check()
        replay = Replay(tuple(Line(str(text), bool(err)) for text, err in kept["lines"]), int(kept["exit"]))
        site = str(kept["site"])
    except (OSError, ValueError, KeyError, TypeError):  # none kept, or damaged: a full build
        return Check()
    listing, pages = Listing(), []
    for found in discover(settings.site_dir, include=settings.include, exclude=settings.exclude, clean=clean):
        stat = None if found.skipped else status_of(found.path)
        if stat is None:  # a link, an unreadable folder, a page gone: the build walks and reports it
            return Check()
        listing.add(found.rel, stat)
        pages.append(found.rel)
    return Check(replay) if listing.value == site else Check(pages=pages)


def remember(settings: Settings, inputs: str, plans: Iterable[Path], site: str, replay: Replay) -> None:
    """Keep a build's replay for the next, or none when it cannot be written.

    ``inputs``: as the build began (see :func:`inputs`); ``site``: its pages' digest as the build left them.
    """
    body = {"version": 1, "inputs": _key(settings, inputs, plans), "site": site, "exit": replay.exit_code,
            "lines": [[line.text, line.err] for line in replay.lines]}
    try:
        write_atomic(path(settings), (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8"))
    except SiteError as exc:  # the build is done and its result stands: the next one is simply a full build
        log.debug("no replay kept: %s", exc)


def forget(settings: Settings) -> None:
    """Drop the last build's replay (a build is about to change what it describes)."""
    try:
        path(settings).unlink()
    except OSError:  # none, or it cannot be removed: its inputs, which this build changes, still tell it apart
        pass


__all__ = ["Check", "Line", "Listing", "Replay", "check", "forget", "remember"]
