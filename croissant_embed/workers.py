"""How the process stage spreads pages over worker processes and gives the outcomes back in site order.

Only the pages that need work go to the workers (the others are known already), in chunks,
a few chunks ahead of each worker so that memory stays bounded however large the site. The
pool is started only once enough pages need work to pay for it; a few such pages among many
known ones are processed in the build's own process. Workers die with the build.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
from collections import deque
from typing import TYPE_CHECKING, Callable, Generic, Iterable, Iterator, Sequence, TypeVar

from .discover import Found

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .settings import Settings

PARALLEL_MIN_PAGES = 400  # fewer pages to process than this: forking workers costs more than it saves
CHUNK_PAGES = 200
WINDOW_PAGES = 1000  # pages looked up ahead of those still being processed
AHEAD = 4  # chunks a worker may have queued
PR_SET_PDEATHSIG = 1

Outcome = TypeVar("Outcome")
Batch = Callable[[Sequence[Found]], list[Outcome]]
"""What processes pages: a batch of them in, their outcomes out, in the same order."""
_PROCESS: Batch[object] | None = None


def worker_count(settings: Settings) -> int:
    """Worker processes to use: the setting, else one per available core."""
    if settings.workers:
        return settings.workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class InSiteOrder(Generic[Outcome]):
    """The outcome of every page, in site order: known ones as they are, the others processed by workers or here.

    ``process`` handles a batch of pages in a worker (it is forked, or pickled where there is
    no fork); ``local`` does the same work in this process, with nothing a forked worker must
    not inherit.
    """

    def __init__(self, process: Batch[Outcome], local: Batch[Outcome], *, workers: int) -> None:
        self.process, self.local = process, local
        # forking a process that runs other threads (a plugin inside `mkdocs serve`, an embedding
        # server) can deadlock the child: such callers get the pages processed in-process
        self.workers = workers if threading.active_count() == 1 else 1

    def __call__(self, founds: Iterable[Found], known: Callable[[Found], Outcome | None]) -> Iterator[Outcome]:
        """Each page's outcome: ``known`` gives it for a page that needs no work, else None."""
        pool: ProcessPoolExecutor | None = None
        queued: deque[tuple[list[Outcome | Found], Future[list[Outcome]] | None]] = deque()
        window: list[Outcome | Found] = []
        misses = total = 0  # pages to process in the window, and in all
        try:
            for found in founds:
                done = known(found)
                window.append(found if done is None else done)
                if done is None:
                    misses, total = misses + 1, total + 1
                if pool is None and self.workers > 1 and total >= PARALLEL_MIN_PAGES:
                    pool = _start_pool(self.process, self.workers)
                if pool is not None and (misses >= CHUNK_PAGES or len(window) >= WINDOW_PAGES):
                    queued.append(_submit(pool, window))
                    window, misses = [], 0
                    while queued and (queued[0][1] is None or queued[0][1].done() or len(queued) > AHEAD * self.workers):
                        yield from self._in_order(*queued.popleft())
                elif pool is None and len(window) >= WINDOW_PAGES:
                    yield from self._in_order(window, None)
                    window, misses = [], 0
            if pool is not None and window:
                queued.append(_submit(pool, window))
            while queued:
                yield from self._in_order(*queued.popleft())
            if pool is None:
                yield from self._in_order(window, None)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _in_order(self, window: list[Outcome | Found], future: Future[list[Outcome]] | None) -> Iterator[Outcome]:
        """The window's outcomes in site order: the known ones, and the others from the worker (or processed here)."""
        processed = iter(future.result() if future is not None else self.local([item for item in window if isinstance(item, Found)]))
        for item in window:
            yield next(processed) if isinstance(item, Found) else item


def _start_pool(process: Batch[object], workers: int) -> ProcessPoolExecutor:
    import multiprocessing  # imported when used: a build whose pages are all known needs no worker
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                               initargs=(process, os.getpid()))


def _submit(pool: ProcessPoolExecutor, window: list[Outcome | Found]) -> tuple[list[Outcome | Found], Future[list[Outcome]] | None]:
    """The window, and the future of its pages still to process (None when every page was known)."""
    todo = [item for item in window if isinstance(item, Found)]
    return window, (pool.submit(_run_chunk, todo) if todo else None)


def _start_worker(process: Batch[object], parent: int) -> None:
    global _PROCESS
    _die_with_parent(parent)
    # what the worker inherited lives as long as it does: the collector need not scan it (nor copy its pages by touching them)
    gc.freeze()
    _PROCESS = process


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the build process dies (Linux; elsewhere a no-op).

    A SIGKILLed build cannot shut its pool down, and its workers would otherwise wait on
    the task queue forever. The parent may have died before the request was made: then the
    worker has already been handed to another parent, and leaves at once. (The signal follows
    the thread that forked the worker: the pool forks from the thread that submits the pages,
    the build's own, which lives as long as the build.)
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return
    if os.getppid() != parent:
        os._exit(1)


def _run_chunk(chunk: Sequence[Found]) -> list[object]:
    assert _PROCESS is not None
    return _PROCESS(chunk)
