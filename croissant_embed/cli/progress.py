"""Sync progress for people: a bar on a terminal, a plain line every tenth (or 10 s) in CI logs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """A sync progress callback (``done, failed, total``) that draws on ``stream``."""

    def __init__(self, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self._last_line = time.monotonic()
        self._last_step = -1

    def __call__(self, done: int, failed: int, total: int) -> None:
        """One more product finished: ``done`` of ``total``, ``failed`` of them failed."""
        if not self.enabled or total <= 0:
            return
        if self.tty:
            filled = int(30 * done / total)
            self.stream.write(f"\rsyncing [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} failed={failed}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
            return
        step = 10 * done // total
        periodic = total >= 100 and (step != self._last_step or time.monotonic() - self._last_line > 10)
        if periodic or done == total:
            self._last_step, self._last_line = step, time.monotonic()
            self.stream.write(f"sync: {done}/{total} products done, {failed} failed\n")
            self.stream.flush()
