"""Sync stage: PUT the planned products, recording each confirmation as it arrives.

Both a build's sync and an applied plan end here. What became of each product comes back as
:class:`~.plan.Result` values by id; progress goes to an optional callback, so whatever
shows it to people (a terminal bar, CI lines) lives with the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Awaitable, Callable, TypeVar

from .errors import ApiError, AuthError, CircuitOpen
from .plan import PlannedProduct, Result, Results, all_sent
from .state import SyncState

if TYPE_CHECKING:
    from .api import AsyncCroissantClient
    from .settings import Settings

T = TypeVar("T")
OnProgress = Callable[[int, int, int], None]
"""Called after each product sent: (done, failed, total)."""
SYNCED = Result("synced")  # one value for every product synced (a large catalogue's results hold it a hundred thousand times)


class _Counter:
    """Counts finished sends and reports them to the progress callback."""

    def __init__(self, total: int, on_progress: OnProgress | None) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self._report = on_progress

    def tick(self, ok: bool) -> None:
        """One product finished."""
        self.done += 1
        self.failed += 0 if ok else 1
        if self._report is not None:
            self._report(self.done, self.failed, self.total)


@dataclass
class SyncRun:
    """What a sync made of each product, and the error that stopped it early (if one did)."""

    results: Results = field(default_factory=dict)
    stopped: ApiError | None = None

    @property
    def ok(self) -> bool:
        """Whether every product was sent (or verified) without failure."""
        return self.stopped is None and all_sent(self.results)


def run_sync(
    settings: Settings,
    entries: list[PlannedProduct],
    state: SyncState,
    sync_id: str,
    *,
    finish_on_failure: bool,
    on_progress: OnProgress | None = None,
    messages: list[str],
    verify: bool = False,
) -> SyncRun:
    """Send what ``entries`` plan, as one generation of the state.

    A build's sync finishes its generation even when products failed (they are simply not
    confirmed, and the next build sends them): ``finish_on_failure``. A plan's finishes only
    when nothing failed, so applying the same plan again resumes with the remainder.
    With ``verify``, every product the state holds as unchanged is first compared with the
    server's copy, and sent again where they differ (see :mod:`.verify`). Refused
    credentials or a circuit that opened stop the sync: the products not reached are
    ``failed`` with that reason, and ``stopped`` holds the error.
    """
    run = SyncRun()
    rechecked = [entry for entry in entries if entry.action == "unchanged"] if verify else []

    async def go() -> None:
        """Open the client for this sync, check what is asked, and push every entry."""
        from .clients import async_client
        from .verify import check_confirmed  # here: verify builds on this module's drain

        async with async_client(settings) as client:
            resent = await check_confirmed(rechecked, client, run.results) if rechecked else []
            queue = [entry for entry in entries if entry.to_send] + resent
            await push(queue, client, state, run.results, _Counter(len(queue), on_progress))
            for entry in resent:
                if run.results[entry.key].status == "synced":
                    run.results[entry.key] = Result("re-sent")

    state.begin(sync_id)
    try:
        if rechecked or any(entry.to_send for entry in entries):
            # imported when there is something to send: asyncio, the HTTP client and the sandbox weigh some 15 MB
            # that a no-op sync never needs
            import asyncio

            asyncio.run(go())
    except (CircuitOpen, AuthError) as exc:
        run.stopped = exc
        messages.append(f"sync stopped: {exc}")
        for entry in entries + rechecked:  # stopped before their turn came
            if entry.to_send and entry.key not in run.results:
                run.results[entry.key] = Result("failed", f"not sent: {exc}", f"not sent: {exc.cause}")
    if rechecked:
        statuses = [run.results[entry.key].status if entry.key in run.results else "failed" for entry in rechecked]
        messages.append(f"verify: {len(rechecked)} checked against Croissant: {statuses.count('verified')} verified, "
                        f"{statuses.count('re-sent')} re-sent, {statuses.count('failed')} failed")
    if all_sent(run.results) or finish_on_failure:
        if not isinstance(run.stopped, AuthError):
            state.finish(sync_id)
    state.save()
    return run


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

    import asyncio  # loaded already: this runs inside its event loop

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(queue))))))
    if stop:
        raise stop[0]


async def push(
    queue: list[PlannedProduct],
    client: AsyncCroissantClient,
    state: SyncState,
    results: Results,
    counter: _Counter,
    *,
    max_consecutive_failures: int | None = None,
) -> None:
    """Send every entry of ``queue``; records each ``synced`` or ``failed`` in ``results``.

    Each send is journalled as started before its request leaves, and as confirmed when the
    server answers. Products whose earlier send was never confirmed go last: that send may
    still be in flight from a killed run, and the newer data must land after it. When the
    sync stops (see :func:`drain`), the entries not sent are marked failed with the reason.
    """
    late = set(state.unconfirmed)
    pending = sorted(queue, key=lambda entry: entry.id in late)
    pending.reverse()

    async def send(entry: PlannedProduct) -> None:
        """PUT one product, journalled before and after."""
        state.start(entry.id, entry.hash or "")
        await client.put_product(entry.id, entry.payload_json or "{}")
        state.record(entry.id, entry.hash or "")
        results[entry.key] = SYNCED
        counter.tick(True)

    def failed(entry: PlannedProduct, exc: ApiError) -> None:
        results[entry.key] = Result("failed", str(exc), exc.cause)
        counter.tick(False)

    try:
        await drain(pending, send, failed, concurrency=client.max_concurrency, max_consecutive_failures=max_consecutive_failures)
    except ApiError as stop:
        for entry in pending:
            results[entry.key] = Result("failed", f"not sent: {stop}", f"not sent: {stop.cause}")
        raise
