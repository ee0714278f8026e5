"""Process stage, page by page: read -> strip earlier insertions -> extract (or cache) -> render -> splice -> write.

Pages are independent, so large sites are processed by worker processes (one per core by
default), each taking chunks of pages; results come back in site order. Each page is
written atomically as soon as it is processed.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, NamedTuple, Sequence

from .cache import CacheReader, CacheRow, from_entry, page_key, to_entry
from .discover import Found
from .errors import ConfigError, DiskFull, SiteError
from .extract import OWN_COMPONENT, Html, PageAnalysis, analyse
from .render import Renderer
from .contract import ProductRow, product_row
from .report import PageRecord
from .rewrite import MARKER_PREFIX, splice, strip
from .settings import Settings
from .sitefiles import decode, read_bytes, write_atomic

PARALLEL_MIN_PAGES = 400
MARKER_BYTES = MARKER_PREFIX.encode("ascii")
CHUNK_PAGES = 200
PR_SET_PDEATHSIG = 1
log = logging.getLogger(__name__)


@dataclass
class PageOutcome:
    """One processed page: its record, its analysis as JSON (product pages), its cache rows.

    The analysis travels as the compact JSON the cache stores: a string is far cheaper to
    send back from a worker process than the objects it describes.
    """

    record: PageRecord
    entry: str | None = None
    cache_rows: tuple[CacheRow, ...] = ()
    row: ProductRow | None = None

    def analysis(self) -> PageAnalysis | None:
        """The analysis of an invalid product page (or of any product page, when kept)."""
        return None if self.entry is None else from_entry(self.entry)


UNPLACED = ("no place for the component next to the price: set [placement] selector in croissant.toml to the CSS "
            "selector of the price element (or CROISSANT_PLACEMENT_SELECTOR), or add <croissant-slot></croissant-slot> "
            "to the product template")
"""The reason of an ``unplaced`` page: a valid product that no insertion point was found for."""


def is_unplaced(analysis: PageAnalysis) -> bool:
    """Whether a valid product's page has no place for the component (and no component of its own)."""
    # a theme that carries its own component is placed already (extraction says so in a warning)
    return analysis.status == "product" and analysis.pdp_at is None and OWN_COMPONENT not in analysis.warnings


def _record(rel: str, analysis: PageAnalysis, changed: bool) -> PageRecord:
    warnings = analysis.warnings
    if analysis.status == "product":
        if is_unplaced(analysis):
            return PageRecord(rel, "unplaced", UNPLACED, analysis.product_id, warnings)
        return PageRecord(rel, "injected" if changed else "unchanged", "", analysis.product_id, warnings)
    if analysis.checkout_at is not None:
        return PageRecord(rel, "injected" if changed else "unchanged", "checkout: opt-in script", None, warnings)
    return PageRecord(rel, analysis.status, analysis.reason, analysis.product_id, warnings)


def _wanted(analysis: PageAnalysis) -> bool:
    """Whether the page gets any insertion."""
    return (analysis.product is not None and analysis.pdp_at is not None) or analysis.checkout_at is not None


def refuse_unsafe_offsets(analysis: PageAnalysis, page: Html) -> PageAnalysis:
    """The analysis, or when any insertion point is inside a tag, comment or raw-text element,
    the same analysis with no insertion point and a warning saying why (the last safety net:
    markup spliced there would break the page or show as text)."""
    offsets = {"the component": analysis.pdp_at, "the bundle script": analysis.head_at, "the checkout script": analysis.checkout_at}
    problems = [f"{what} was not inserted: {problem}" for what, offset in offsets.items()
                if offset is not None and (problem := page.insertion_problem(offset))]
    if not problems:
        return analysis
    return replace(analysis, pdp_at=None, head_at=None, checkout_at=None, warnings=analysis.warnings + tuple(problems))


def _foreign_markers(count: int) -> str:
    return (f"{count} croissant-embed marker(s) that this tool did not write, or whose content was edited since, "
            "were left alone: remove them from the theme if they are not wanted")


def has_marker_bytes(data: bytes) -> bool:
    """Whether raw page bytes may hold earlier insertions (always True for UTF-16 pages)."""
    return data.startswith((b"\xff\xfe", b"\xfe\xff")) or MARKER_BYTES in data


class _Hit(NamedTuple):
    """A page's analysis from the cache, its cached JSON, and whether those bytes were final."""

    analysis: PageAnalysis
    entry: str
    stable: bool


class PageProcessor:
    """Processes single pages for one build's settings (one per worker process)."""

    def __init__(
        self, settings: Settings, renderer: Renderer, *, write: bool, cache: CacheReader, keep_products: bool = False
    ) -> None:
        self.settings = settings
        self.options = settings.extract_options()
        self.renderer = renderer
        self.write = write
        self.cache = cache
        self.keep_products = keep_products

    def insertions(self, analysis: PageAnalysis) -> list[tuple[int, str]]:
        """The snippets this page gets, with their offsets in the clean text."""
        out: list[tuple[int, str]] = []
        if analysis.product is not None and analysis.pdp_at is not None:
            out.append((analysis.pdp_at, self.renderer.pdp(analysis.product)))
            if analysis.head_at is not None:
                out.append((analysis.head_at, self.renderer.bundle))
        if analysis.checkout_at is not None:
            out.append((analysis.checkout_at, self.renderer.checkout()))
        return out

    def __call__(self, found: Found) -> PageOutcome:
        """The page processed; whatever goes wrong with it becomes its own ``error`` record."""
        try:
            return self._process(found)
        except (DiskFull, ConfigError):
            raise  # not this page's fault (a full disk, a broken template): every page would fail alike
        except SiteError as exc:
            return PageOutcome(PageRecord(found.rel, "error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - one page never ends the build
            log.debug("internal error on %s", found.rel, exc_info=True)
            return PageOutcome(PageRecord(found.rel, "error", f"internal error while analysing: {type(exc).__name__} {str(exc)[:200]}"))

    def _cached(self, key: str) -> _Hit | None:
        """The cached analysis of these bytes, or None: a miss, or an entry that no longer reads.

        A damaged entry is simply analysed again; the fresh entry replaces it in the cache.
        """
        hit = self.cache.get(key)
        if hit is None:
            return None
        try:
            return _Hit(from_entry(hit[0]), hit[0], hit[1])
        except (ValueError, TypeError, KeyError, AttributeError):
            log.debug("cache entry for %s does not read; analysing the page again", key)
            return None

    def _process(self, found: Found) -> PageOutcome:
        if found.skipped:
            return PageOutcome(PageRecord(found.rel, "not-product", found.skipped))
        data = read_bytes(found.path, found.rel)
        key = page_key(found.rel, data)
        hit = self._cached(key)
        if hit is not None and hit.stable:  # these exact bytes were final last time: nothing to do
            return self._outcome(found.rel, hit.analysis, hit.entry, False, (CacheRow(key, None, True),))
        if hit is not None and not self.write and not has_marker_bytes(data):
            wanted = _wanted(hit.analysis)  # a dry run over an un-injected page: no need to decode
            return self._outcome(found.rel, hit.analysis, hit.entry, wanted, (CacheRow(key, None, not wanted),))
        page = decode(data, found.rel)
        stripped = strip(page.text)
        clean = stripped.text
        entry: str | None = None  # a new cache entry (None when the cache already has this key)
        if hit is None:
            html = Html(clean)
            analysis = refuse_unsafe_offsets(analyse(html, found.rel, self.options), html)
            if stripped.foreign_markers:
                analysis = replace(analysis, warnings=analysis.warnings + (_foreign_markers(stripped.foreign_markers),))
            entry = known = to_entry(analysis)
            entry.encode("utf-8")  # what is cached and reported must be writable (no lone surrogates)
        else:
            analysis, known = hit.analysis, hit.entry
        wanted = _wanted(analysis)
        if not self.write and clean is page.text:
            changed = wanted  # a page without earlier insertions changes exactly when it gets some
            return self._outcome(found.rel, analysis, known, changed, (CacheRow(key, entry, not changed),))
        new_text = splice(clean, self.insertions(analysis))
        changed = new_text != page.text
        rows: tuple[CacheRow, ...] = (CacheRow(key, entry, not changed),)
        if changed and self.write:
            output = page.encode(new_text)
            write_atomic(found.path, output)
            rows += (CacheRow(page_key(found.rel, output), known, True),)  # the next in-place run finds it final
        return self._outcome(found.rel, analysis, known, changed, rows)

    def _outcome(self, rel: str, analysis: PageAnalysis, entry: str, changed: bool, rows: tuple[CacheRow, ...]) -> PageOutcome:
        # the plan's row is computed here, in the worker; the analysis travels only when needed
        product = analysis.product
        row = None if product is None else product_row(rel, product.id, product.fields(), product.sources, self.settings.payload,
                                                       language=analysis.language, alternates=analysis.alternates)
        keep = entry if analysis.status == "invalid" or (row is not None and self.keep_products) else None
        return PageOutcome(_record(rel, analysis, changed), keep, rows, row)


_WORKER: PageProcessor | None = None


def _start_worker(processor: PageProcessor, parent: int) -> None:
    global _WORKER
    _die_with_parent(parent)
    _WORKER = processor


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


def _run_chunk(chunk: Sequence[Found]) -> list[PageOutcome]:
    assert _WORKER is not None
    return [_WORKER(found) for found in chunk]


def worker_count(settings: Settings) -> int:
    """Worker processes to use: the setting, else one per available core."""
    if settings.workers:
        return settings.workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _chunks(first: list[Found], rest: Iterator[Found]) -> Iterator[list[Found]]:
    pending = first
    for found in rest:
        pending.append(found)
        if len(pending) >= CHUNK_PAGES:
            yield pending
            pending = []
    while pending:
        yield pending[:CHUNK_PAGES]
        pending = pending[CHUNK_PAGES:]


def process_pages(
    settings: Settings,
    renderer: Renderer,
    founds: Iterable[Found],
    *,
    write: bool,
    cache: CacheReader,
    keep_products: bool = False,
) -> Iterator[PageOutcome]:
    """Every page processed, in site order; in worker processes for large sites.

    Pages are handed to the workers while the site is still being walked, so discovery and
    processing overlap.
    """
    processor = PageProcessor(replace(settings, client_secret=None), renderer, write=write, cache=cache, keep_products=keep_products)
    # forking a process that runs other threads (a plugin inside `mkdocs serve`, an embedding
    # server) can deadlock the child: such callers get the pages processed in-process
    workers = worker_count(settings) if threading.active_count() == 1 else 1
    pages = iter(founds)
    head = list(itertools.islice(pages, PARALLEL_MIN_PAGES))
    if workers <= 1 or len(head) < PARALLEL_MIN_PAGES:
        yield from map(processor, itertools.chain(head, pages))
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(processor, os.getpid())) as pool:
        for outcomes in pool.map(_run_chunk, _chunks(head, pages)):
            yield from outcomes
