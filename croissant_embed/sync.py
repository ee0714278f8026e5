"""Apply stage: PUT the planned products, recording each confirmation as it arrives."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TYPE_CHECKING, Awaitable, Callable, TextIO, TypeVar

from .errors import ApiError, AuthError, CircuitOpen
from .plan import PlannedProduct
from .state import SyncState

if TYPE_CHECKING:
    from .api import AsyncCroissantClient
    from .settings import Settings

T = TypeVar("T")


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
    verify: bool = False,
) -> bool:
    """Send what ``entries`` plan, as one generation of the state; True when nothing failed.

    A build's sync finishes its generation even when products failed (they are simply not
    confirmed, and the next build sends them): ``finish_on_failure``. A plan's finishes only
    when nothing failed, so applying the same plan again resumes with the remainder.
    With ``verify``, every product the state holds as unchanged is first compared with the
    server's copy, and sent again where they differ (see :mod:`.verify`).
    """
    from .connection import async_client
    from .verify import check_confirmed  # here: verify builds on this module's drain

    rechecked = [entry for entry in entries if entry.action == "unchanged"] if verify else []

    async def go() -> None:
        """Open the client for this sync, check what is asked, and push every entry."""
        async with async_client(settings) as client:
            resent = await check_confirmed(rechecked, client) if rechecked else []
            await push(entries, client, state, Progress(sum(1 for e in entries if e.to_send), enabled=progress))
            for entry in resent:
                entry.result = "re-sent" if entry.result == "synced" else entry.result

    state.begin(sync_id)
    try:
        if rechecked or any(entry.to_send for entry in entries):
            asyncio.run(go())
    except (CircuitOpen, AuthError) as exc:
        messages.append(f"sync stopped: {exc}")
        for entry in entries:  # stopped before their turn came
            if entry.to_send and entry.result == "skipped":
                entry.result, entry.error = "failed", f"not sent: {exc}"
        if isinstance(exc, AuthError):  # the caller reports it as refused credentials, state saved first
            state.save()
            raise
    if rechecked:
        results = [entry.result for entry in rechecked]
        messages.append(f"verify: {len(rechecked)} checked against Croissant: {results.count('verified')} verified, "
                        f"{results.count('re-sent')} re-sent, {results.count('failed')} failed")
    ok = not any(entry.result == "failed" for entry in entries)
    if ok or finish_on_failure:
        state.finish(sync_id)
    state.save()
    return ok


async def drain(
    queue: list[T],
    work: Callable[[T], Awaitable[None]],
    failed: Callable[[T, ApiError], None],
    *,
    concurrency: int,
    max_consecutive_failures: int | None = None,
) -> None:
    """Run ``work`` on every item of ``queue`` (taken from its end) with ``concurrency`` workers.

    ``work`` raises ApiError for an item that failed (it had its retries inside the client);
    ``failed`` records it. Two things stop the whole run at once, so a broken API meets no
    retry storm: refused credentials (AuthError), and ``max_consecutive_failures`` items
    failing in a row with no success in between (CircuitOpen; default twice the
    concurrency). The items never started are left in ``queue``, and the error is raised.
    """
    limit = max_consecutive_failures or max(8, 2 * concurrency)
    stop: list[ApiError] = []
    streak = [0]

    async def worker() -> None:
        """Take items from the shared queue until it is empty or the run stops."""
        while queue and not stop:
            item = queue.pop()
            try:
                await work(item)
            except ApiError as exc:
                failed(item, exc)
                streak[0] += 1
                if isinstance(exc, AuthError) and not stop:
                    stop.append(exc)
                elif streak[0] >= limit and not stop:
                    stop.append(CircuitOpen(f"stopped after {streak[0]} products failed in a row; last error: {exc}"))
                continue
            streak[0] = 0

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(queue))))))
    if stop:
        raise stop[0]


async def push(
    entries: list[PlannedProduct],
    client: AsyncCroissantClient,
    state: SyncState,
    progress: Progress,
    *,
    max_consecutive_failures: int | None = None,
) -> None:
    """Send every entry that is to be sent; marks each ``synced`` or ``failed``.

    Each send is journalled as started before its request leaves, and as confirmed when the
    server answers. Products whose earlier send was never confirmed go last: that send may
    still be in flight from a killed run, and the newer data must land after it. When the
    sync stops (see :func:`drain`), the entries not sent are marked failed with the reason.
    """
    late = set(state.unconfirmed)
    queue = sorted((entry for entry in entries if entry.to_send), key=lambda entry: entry.id in late)
    queue.reverse()

    async def send(entry: PlannedProduct) -> None:
        """PUT one product, journalled before and after."""
        state.start(entry.id, entry.hash or "")
        await client.put_product(entry.id, entry.payload or {})
        state.record(entry.id, entry.hash or "")
        entry.result = "synced"
        progress.tick(True)

    def failed(entry: PlannedProduct, exc: ApiError) -> None:
        entry.result, entry.error = "failed", str(exc)
        progress.tick(False)

    try:
        await drain(queue, send, failed, concurrency=client.max_concurrency, max_consecutive_failures=max_consecutive_failures)
    except ApiError as stop:
        for entry in queue:
            entry.result, entry.error = "failed", f"not sent: {stop}"
        raise
