"""Process stage, page by page: read -> strip earlier insertions -> extract (or cache) -> render -> splice -> write.

Pages are independent, so large sites are processed by worker processes (one per core by
default, see :mod:`.workers`); results come back in site order. Each page is
written atomically as soon as it is processed. A page whose file is exactly as an earlier
build left it (told by its status, see :mod:`.cache`) is not read at all: what that build
made of it is taken back from the cache.
"""

from __future__ import annotations

import copy
import gc
import logging
import os
import sys
import time
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from .cache import (AnalysisCache, CacheReader, CacheRow, FileRow, field_values, fingerprint, from_entry, outcome_from_json, outcome_json,
                    page_key, to_entry)
from .discover import Found
from .errors import ConfigError, DiskFull, SiteError
from .extract import OWN_COMPONENT, Html, PageAnalysis, Product, analyse
from .render import Renderer
from .contract import VARIANT_FIELDS, PayloadStore, ProductRow, product_row
from .report import PageRecord
from .rewrite import MARKER_PREFIX, splice, strip
from .settings import DEFAULT_MARKET, Market, Settings, market_of
from .sitefiles import decode, file_stat, read_page
from .sitefiles.pages import PageWriter
from .workers import InSiteOrder, worker_count

MARKER_BYTES = MARKER_PREFIX.encode("ascii")
PAYLOADS_IN_MEMORY = 20_000
"""Products whose payloads a build keeps in memory; the payloads of the others wait on disk until sent or written."""
FREEZE_EVERY = 1000  # pages
log = logging.getLogger(__name__)


@dataclass
class PageOutcome:
    """One processed page: its record, its analysis as JSON (product pages), its cache rows.

    The analysis travels as the compact JSON the cache stores: a string is far cheaper to
    send back from a worker process than the objects it describes.
    """

    record: PageRecord
    entry: str | None = None
    cache_rows: tuple[CacheRow | FileRow, ...] = ()
    rows: tuple[ProductRow, ...] = ()
    """The page's products to plan: its product, or each of its variants."""

    def analysis(self) -> PageAnalysis | None:
        """The analysis of an invalid product page (or of any product page, when kept)."""
        return None if self.entry is None else from_entry(self.entry)

    def __reduce__(self) -> tuple[Any, ...]:
        # every page's outcome crosses from a worker: as plain tuples it unpickles several times faster than as dataclasses
        return (_outcome_of, (field_values(self.record), self.entry, self.cache_rows, tuple(field_values(row) for row in self.rows)))


def _outcome_of(record: tuple[Any, ...], entry: str | None, cache_rows: tuple[CacheRow | FileRow, ...],
                rows: tuple[tuple[Any, ...], ...]) -> PageOutcome:
    path, status, reason, product_id, warnings, placement = record
    # the placement names the price shown, which many pages share: one string for all of them, as a known page's (cache.py)
    return PageOutcome(PageRecord(path, status, reason, product_id, warnings, sys.intern(placement)), entry, cache_rows,
                       tuple(ProductRow(*row) for row in rows))


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
        return PageRecord(rel, "injected" if changed else "unchanged", "", analysis.product_id, warnings, analysis.placement)
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
    return replace(analysis, pdp_at=None, head_at=None, checkout_at=None, placement="", warnings=analysis.warnings + tuple(problems))


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
        self.writer = PageWriter()

    def batch(self, founds: Sequence[Found]) -> list[PageOutcome]:
        """Each page processed in turn; the temporary file the writer keeps between pages is gone when this returns."""
        try:
            return [self(found) for found in founds]
        finally:
            self.writer.release()

    def insertions(self, analysis: PageAnalysis, rel: str) -> list[tuple[int, str]]:
        """The snippets this page gets, with their offsets in the clean text."""
        out: list[tuple[int, str]] = []
        if analysis.product is not None and analysis.pdp_at is not None:
            out.append((analysis.pdp_at, self.renderer.pdp(analysis.shown, analysis.variants, market=market_of(rel, self.settings.markets))))
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
        read_at = time.time_ns()
        data, status = read_page(found.path, found.rel)
        key = page_key(found.rel, data)
        final = (status, key, read_at)
        hit = self._cached(key)
        if hit is not None and hit.stable:  # these exact bytes were final last time: nothing to do
            return self._outcome(found, hit.analysis, hit.entry, False, (CacheRow(key, None, True),), final)
        if hit is not None and not self.write and not has_marker_bytes(data):
            wanted = _wanted(hit.analysis)  # a dry run over an un-injected page: no need to decode
            return self._outcome(found, hit.analysis, hit.entry, wanted, (CacheRow(key, None, not wanted),), final)
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
            return self._outcome(found, analysis, known, changed, (CacheRow(key, entry, not changed),), final)
        new_text = splice(clean, self.insertions(analysis, found.rel))
        changed = new_text != page.text
        rows: tuple[CacheRow, ...] = (CacheRow(key, entry, not changed),)
        if changed and self.write:
            output = page.encode(new_text)
            written = self.writer.write(str(found.path), output, permissions=status.st_mode & 0o7777)
            output_key = page_key(found.rel, output)
            rows += (CacheRow(output_key, known, True),)  # the next in-place run finds it final
            final = None if written is None else (written, output_key, 0)
        return self._outcome(found, analysis, known, changed, rows, final)

    def _outcome(
        self, found: Found, analysis: PageAnalysis, entry: str, changed: bool, rows: tuple[CacheRow, ...],
        final: tuple[os.stat_result, str, int] | None,
    ) -> PageOutcome:
        """The page's outcome; with ``final`` (its file's status, the key of the bytes it holds, when the status
        was taken: 0 when just written), also what the next build may take back by that status alone."""
        # the plan's rows are computed here, in the worker; the analysis travels only when needed
        rel = found.rel
        sold = analysis.variants or ((analysis.product,) if analysis.product is not None else ())
        market = market_of(rel, self.settings.markets)
        language = analysis.language and sys.intern(analysis.language)  # one string for every page in it, sent once per chunk
        products = tuple(product_row(rel, *_in_market(product, market), product.sources, self.settings.payload, language=language,
                                     alternates=analysis.alternates, market=DEFAULT_MARKET if market is None else market.name)
                         for product in sold)
        invalid = analysis.status == "invalid" or bool(analysis.invalid_variants)
        record = _record(rel, analysis, changed)
        if final is not None:
            status, key, read_at = final
            stable = not changed or not read_at  # a page just written is final; a dry run also keeps what it judged
            known = _record(rel, analysis, False) if changed and stable else record
            rows += (FileRow(rel, str(found.path), file_stat(status), key, len(entry), stable, outcome_json(known, products, invalid), read_at),)
        return PageOutcome(record, entry if invalid or (bool(products) and self.keep_products) else None, rows, products)


def _in_market(product: Product, market: Market | None) -> tuple[str, dict[str, Any]]:
    """A product's id and fields as its market knows them: its ids (and its group's) through the market's id_template."""
    values = product.fields()
    if market is None:
        return product.id, values
    if product.group_id is not None:
        values[VARIANT_FIELDS[0]] = market.product_id(product.group_id)
    return market.product_id(product.id), values



def outcomes_fingerprint(settings: Settings) -> str:
    """What a page's outcome depends on besides its analysis: the payload's fields and the markets."""
    return fingerprint(settings.payload, [(market.name, market.path, market.id_template) for market in settings.markets])


def _known_outcome(found: Found, cache: AnalysisCache, *, write: bool, keep_products: bool) -> PageOutcome | None:
    """The outcome of a page whose file is as an earlier build left it, without reading it (None: read it)."""
    if found.skipped:
        return None
    hit = cache.known(found.rel, str(found.path), stable_only=write)
    if hit is None:
        return None
    key, text, stat = hit
    try:
        record, rows, invalid = outcome_from_json(found.rel, text)
    except (ValueError, TypeError, KeyError):
        log.debug("cache row of %s does not read; reading the page", found.rel)
        return None
    outcome = PageOutcome(record, None, (), rows)
    if invalid or (keep_products and rows):
        outcome.entry = cache.entry(key)
        try:
            from_entry(outcome.entry or "")
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # a damaged entry: the page is analysed again
    cache.keep(found.rel, stat)
    return outcome


def process_pages(
    settings: Settings,
    renderer: Renderer,
    founds: Iterable[Found],
    *,
    write: bool,
    cache: CacheReader,
    known: AnalysisCache | None = None,
    keep_products: bool = False,
) -> Iterator[PageOutcome]:
    """Every page processed, in site order; in worker processes when many pages need work.

    A page ``known`` by its file's status is taken back from the cache without being read.
    The others are handed to the workers while the site is still being walked, so discovery
    and processing overlap; a few of them among many known pages are processed right here.
    Past :data:`PAYLOADS_IN_MEMORY` products, payloads are kept on disk, so that memory does
    not grow with them.
    """
    if known is not None and known.empty:
        cache = CacheReader(cache.path, empty=True)  # a cold build: no page is looked up (each query costs as much as a small page's read)
    processor = PageProcessor(replace(settings, client_secret=None), renderer, write=write, cache=cache, keep_products=keep_products)
    local = copy.copy(processor)  # its own cache connection: one opened here must never reach a forked worker
    local.cache = CacheReader(cache.path, empty=cache.empty)
    local.writer = PageWriter()
    outcomes = InSiteOrder(processor.batch, local.batch, workers=worker_count(settings))(
        founds, lambda found: None if known is None else _known_outcome(found, known, write=write, keep_products=keep_products))
    products, store = 0, None
    # What the build keeps of each page lives until its end: the collector need not scan it again at each of its full
    # passes, which would cost more per page the larger the site. Never thaw what a host process froze itself.
    freezing = gc.get_freeze_count() == 0
    try:
        for count, outcome in enumerate(outcomes, 1):
            products += len(outcome.rows)
            if products > PAYLOADS_IN_MEMORY and outcome.rows:
                store = store or PayloadStore()
                outcome.rows = tuple(store.keep(outcome.rows))
            if freezing and count % FREEZE_EVERY == 0:
                gc.freeze()
            yield outcome
    finally:
        if freezing:
            gc.unfreeze()
