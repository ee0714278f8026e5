"""Apply stage: PUT the planned products, recording each confirmation as it arrives."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TYPE_CHECKING, TextIO

from .errors import ApiError, AuthError, CircuitOpen
from .plan import PlannedProduct
from .state import SyncState

if TYPE_CHECKING:
    from .api import AsyncCroissantClient
    from .settings import Settings


class Progress:
    """A bar on a terminal; a plain line every tenth (or every 10 s) elsewhere, as in CI."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = self.enabled and self.stream.isatty()
        self.done = self.failed = 0
        self._last_line = time.monotonic()
        self._last_step = -1

    def tick(self, ok: bool) -> None:
        """One product finished."""
        self.done += 1
        self.failed += 0 if ok else 1
        if not self.enabled:
            return
        if self.tty:
            filled = int(30 * self.done / self.total)
            self.stream.write(f"\rsyncing [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} failed={self.failed}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
            return
        step = 10 * self.done // self.total
        periodic = self.total >= 100 and (step != self._last_step or time.monotonic() - self._last_line > 10)
        if periodic or self.done == self.total:
            self._last_step, self._last_line = step, time.monotonic()
            self.stream.write(f"sync: {self.done}/{self.total} products done, {self.failed} failed\n")
            self.stream.flush()


def run_sync(
    settings: Settings,
    entries: list[PlannedProduct],
    state: SyncState,
    sync_id: str,
    *,
    finish_on_failure: bool,
    progress: bool,
    messages: list[str],
) -> bool:
    """Send what ``entries`` plan, as one generation of the state; True when nothing failed.

    A build's sync finishes its generation even when products failed (they are simply not
    confirmed, and the next build sends them): ``finish_on_failure``. A plan's finishes only
    when nothing failed, so applying the same plan again resumes with the remainder.
    """
    from .connection import async_client

    to_send = sum(1 for entry in entries if entry.to_send)
    bar = Progress(to_send, enabled=progress)

    async def go() -> None:
        """Open the client for this sync and push every entry."""
        async with async_client(settings) as client:
            await push(entries, client, state, bar)

    state.begin(sync_id)
    try:
        if to_send:
            asyncio.run(go())
    except CircuitOpen as exc:
        messages.append(f"sync stopped: {exc}")
    ok = not any(entry.result == "failed" for entry in entries)
    if ok or finish_on_failure:
        state.finish(sync_id)
    state.save()
    return ok


async def push(
    entries: list[PlannedProduct],
    client: AsyncCroissantClient,
    state: SyncState,
    progress: Progress,
    *,
    max_consecutive_failures: int | None = None,
) -> None:
    """Send every entry that is to be sent; marks each ``synced`` or ``failed``.

    Each product already had its retries inside the client. Two things stop the whole sync
    at once, so a broken API meets no retry storm: refused credentials (AuthError), and
    ``max_consecutive_failures`` products failing in a row with no success in between
    (CircuitOpen; default twice the concurrency). The entries not sent are marked failed
    with that reason, and the error is raised.
    """
    queue = [entry for entry in entries if entry.to_send]
    queue.reverse()
    limit = max_consecutive_failures or max(8, 2 * client.max_concurrency)
    stop: list[ApiError] = []
    streak = [0]

    async def worker() -> None:
        """Take entries from the shared queue until it is empty or the sync stops."""
        while queue and not stop:
            entry = queue.pop()
            try:
                await client.put_product(entry.id, entry.payload or {})
            except ApiError as exc:
                entry.result, entry.error = "failed", str(exc)
                progress.tick(False)
                streak[0] += 1
                if isinstance(exc, AuthError) and not stop:
                    stop.append(exc)
                elif streak[0] >= limit and not stop:
                    stop.append(CircuitOpen(f"stopped after {streak[0]} products failed in a row; last error: {exc}"))
                continue
            streak[0] = 0
            state.record(entry.id, entry.hash or "")
            entry.result = "synced"
            progress.tick(True)

    workers = max(1, min(client.max_concurrency, len(queue)))
    await asyncio.gather(*(worker() for _ in range(workers)))
    if stop:
        for entry in queue:
            entry.result, entry.error = "failed", f"not sent: {stop[0]}"
        raise stop[0]
