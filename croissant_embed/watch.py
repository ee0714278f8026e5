"""Watching a site folder for changes (``preview --watch``).

``watchfiles`` (the ``watch`` extra: the operating system's own change notifications, through
a well-kept Rust library) when it is installed, else a portable poll of every file's size and
modification time. Either way, changes are gathered until the folder has been quiet for a
moment, so a generator rewriting hundreds of pages causes one rebuild, not hundreds.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterator

POLL_SECONDS = 0.5
QUIET_MS = 400
"""How long the folder must stay unchanged before the changes gathered are handed over."""


def watcher_name(*, poll: bool = False) -> str:
    """What :func:`changes` will use: ``watchfiles`` or ``polling``."""
    if poll:
        return "polling"
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return "polling"
    return "watchfiles"


def changes(folder: Path, stop: threading.Event, *, poll: bool = False) -> Iterator[set[Path]]:
    """Each batch of files changed, added or removed under ``folder``, until ``stop`` is set."""
    if watcher_name(poll=poll) == "watchfiles":
        import watchfiles

        for batch in watchfiles.watch(folder, stop_event=stop, debounce=1600, step=QUIET_MS, raise_interrupt=False,
                                      watch_filter=None):
            yield {Path(path) for _, path in batch}
        return
    yield from _polled(folder, stop)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's (size, modification time in ns), by path; unreadable entries are skipped."""
    found: dict[str, tuple[int, int]] = {}
    for top, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(top, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found[path] = (info.st_size, info.st_mtime_ns)
    return found


def _polled(folder: Path, stop: threading.Event) -> Iterator[set[Path]]:
    before = _snapshot(folder)
    pending: set[str] = set()
    while not stop.wait(POLL_SECONDS):
        now = _snapshot(folder)
        moved = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
        before = now
        if moved:
            pending |= moved  # still changing: wait for a quiet poll
        elif pending:
            yield {Path(path) for path in pending}
            pending = set()
