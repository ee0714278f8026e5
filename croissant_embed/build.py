"""The build step, stage by stage.

    prepare the site -> process pages (discover, then per page in workers: read -> strip
      earlier insertions -> extract or cache -> render -> splice -> write) -> translations
      (each id's page to sync) -> plan
      -> guards -> sync, or write the plan -> report

Each page is written as soon as it is processed (atomically), so pages stay consistent
whatever happens later; the sync only starts once every page is known, so the catalogue
guards (:mod:`.guards`) see the whole site. The build returns an :class:`Outcome`; only the
command line turns outcomes into exit codes.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import guards
from .build_options import BuildOptions, Outcome
from .cache import AnalysisCache, CacheReader, CacheRow, FileRow, fingerprint
from .ci import should_sync
from .contract import ProductRow
from .discover import discover, listed
from .errors import AuthError, ConfigError
from .extract import Product
from .outputs import KINDS, PLAN_NAME, OutputFile, output_problems, plan_file
from .plan import Conflict, InvalidProduct, PlannedProduct, Result, Results, make_plan, plan_summary, translations
from .planfile import write_plan
from .process import outcomes_fingerprint, process_pages
from .render import Renderer
from .report import PageRecord, write_report
from .report_html import ReportData, write_report_html
from .settings import Settings
from .sitefiles import output_folder_problems, replace_output_folder, write_atomic
from .state import SyncState

if TYPE_CHECKING:
    from .sync import OnProgress

CACHE_BATCH = 2000
CACHE_NAME = "cache.sqlite3"


@dataclass
class Catalogue:
    """What the pages gave: their records, the valid products' rows, the invalid products."""

    pages: list[PageRecord] = field(default_factory=list)
    rows: list[ProductRow] = field(default_factory=list)
    invalid: list[InvalidProduct] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    """Every valid product in full (kept only for a feed)."""
    listing: str | None = None
    """The digest of the pages as the build left them, when each is known by a settled status (:mod:`.replay`)."""


@dataclass
class BuildResult:
    """Everything a build did, for the CLI to print and the tests to check."""

    site: Path
    pages: list[PageRecord]
    products: list[PlannedProduct]
    results: Results
    outcome: Outcome
    messages: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    plan_path: Path | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)
    """(market, product id) of each product synced before that left the site."""
    listing: str | None = None
    """The digest of the pages as the build left them, when each is known by a settled status (:mod:`.replay`)."""

    @property
    def summary(self) -> dict[str, int]:
        """Counts per action."""
        return plan_summary(self.products)


@dataclass
class MarketPlan:
    """One market's share of a build: its settings, its state, its plan, what left it."""

    settings: Settings
    state: SyncState
    entries: list[PlannedProduct]
    conflicts: list[Conflict]
    count: int
    """How many products (ids, valid or not) the market has on the site."""
    removed: list[str] = field(default_factory=list)


def plan_markets(settings: Settings, catalogue: Catalogue, options: BuildOptions) -> list[MarketPlan]:
    """Each market's plan against its own state (the default market alone when there are no [[markets]])."""
    rows: dict[str, list[ProductRow]] = {}
    invalid: dict[str, list[InvalidProduct]] = {}
    for row in catalogue.rows:
        rows.setdefault(row.market, []).append(row)
    for bad in catalogue.invalid:
        page_market = settings.market_of(bad.page)
        market = page_market.market
        own = bad if market is None or not bad.product_id else bad._replace(product_id=market.product_id(bad.product_id))
        invalid.setdefault(page_market.market_name, []).append(own)
    state = SyncState(settings.state_dir, settings.state_target)
    plans = []
    for name in settings.market_names():
        market = settings.for_market(name)
        own_state = state.for_target(market.state_target)
        if name not in rows and name not in invalid and not own_state.confirmed:
            continue
        own_state.adopt((row.id, row.hash) for row in rows.get(name, []))
        ordered, conflicts = translations(rows.get(name, []), shape=settings.payload, default_language=settings.default_language)
        entries = make_plan(ordered, invalid.get(name, []), synced=own_state.confirmed, unconfirmed=own_state.unconfirmed,
                            full=options.full, market=name)
        ids = {row.id for row in rows.get(name, [])}
        ids.update(bad.product_id for bad in invalid.get(name, []) if bad.product_id)
        removed = sorted(pid for pid in own_state.confirmed if pid not in ids)
        plans.append(MarketPlan(market, own_state, entries, conflicts, len(ids), removed))
    return plans


def run_build(settings: Settings, options: BuildOptions, *, on_progress: OnProgress | None = None,
              pages: Sequence[str] | None = None) -> BuildResult:
    """Run the whole build step and return what happened (``pages``: the site's pages, when a walk just listed them)."""
    started = time.perf_counter()
    site = prepare_site(settings, options)
    catalogue = process_site(settings, site, options, pages)
    guards.require_products(catalogue.rows, catalogue.invalid, pages=len(catalogue.pages), site=site)
    pages_done = time.perf_counter()
    markets = plan_markets(settings, catalogue, options)
    entries = [entry for market in markets for entry in market.entries]
    if options.feed and not options.dry_run:
        from .feed import write_feeds  # imported when used: most builds write no feed

        write_feeds(site, options.feed, catalogue.products, settings)
    messages: list[str] = []
    report_removed(settings, options, markets, messages)
    planning = options.dry_run or options.plan_path is not None
    sync_now, why = should_sync(options.sync_mode, settings.ci)
    preview = not planning and not sync_now  # a pull-request build: warnings only, for what only a real sync must refuse
    stop = guards.first_stop(
        guards.conflicting_duplicates([conflict for market in markets for conflict in market.conflicts]),
        guards.ids_shared_by_markets(catalogue.rows, {m.settings.market_name: _merchant(m.settings) for m in markets}),
        guards.too_many_invalid(catalogue.invalid, settings.max_invalid),
        guards.too_many_unplaced([page for page in catalogue.pages if page.status == "unplaced"], settings.max_unplaced),
        None if preview else guards.guessed_currencies(catalogue.rows, settings.environment),
        *(None if options.allow_drop else guards.sudden_drop(m.count, len(m.state.confirmed), settings.max_drop, market=_label(settings, m))
          for m in markets),
    )
    catalogue.rows.clear()  # the guards were their last reader: from here the plan's entries hold what the sync and the report need
    result = BuildResult(site, catalogue.pages, entries, {}, Outcome.OK, messages,
                         removed=[(m.settings.market_name, pid) for m in markets for pid in m.removed], listing=catalogue.listing)
    refused: AuthError | None = None
    if stop is not None:
        messages.extend(stop.lines)
        result.outcome = Outcome.REFUSED
    elif planning or preview:
        if preview:
            messages.append(f"not syncing: {why}")
        result.plan_path = options.plan_path or settings.state_dir / PLAN_NAME
        for market in markets:
            _write_plan(plan_file(result.plan_path, market.settings), market)
        planned = Result("planned")  # one value for every product (a large catalogue holds a hundred thousand)
        result.results = {entry.key: planned for entry in entries if entry.to_send}
    else:
        from .sync import run_sync  # imported when used: asyncio and the HTTP client cost start-up time on every build

        progress = _Progress(sum(1 for entry in entries if entry.to_send), on_progress)
        for market in markets:
            run = run_sync(market.settings, market.entries, market.state, f"build-{uuid.uuid4()}", finish_on_failure=True,
                           on_progress=progress.for_market(), messages=messages, verify=options.verify)
            if result.results:
                result.results.update(run.results)
            else:  # the first market's results as they are: a copy of a large catalogue's would hold them twice
                result.results = run.results
            if not run.ok:
                result.outcome = Outcome.SYNC_FAILED
            if isinstance(run.stopped, AuthError) and refused is None:
                refused = run.stopped
    result.timings = {"pages": round(pages_done - started, 3), "sync": round(time.perf_counter() - pages_done, 3)}
    if options.report_path is not None:
        write_report(options.report_path, result.pages, entries, result.results, environment=settings.environment,
                     dry_run=options.dry_run, timings=result.timings)
    if options.report_html_path is not None:
        write_report_html(options.report_html_path, settings, ReportData.of_build(result, dry_run=options.dry_run))
    if refused is not None:  # refused credentials end the build, once the report says what was sent
        raise refused
    return result


def _merchant(settings: Settings) -> tuple[str, str | None]:
    """Who a market's products belong to at Croissant: its merchant and the credentials it syncs with."""
    return settings.merchant_id, settings.client_id


def _label(settings: Settings, market: MarketPlan) -> str | None:
    """The market's name in messages, when the site has markets."""
    return market.settings.market_name if settings.markets else None


class _Progress:
    """One progress count over the markets' syncs, which run one after another."""

    def __init__(self, total: int, report: OnProgress | None) -> None:
        self.total, self.report = total, report
        self.done = self.failed = 0

    def for_market(self) -> OnProgress | None:
        """The callback of the next market's sync, counting on from the markets before it."""
        if self.report is None:
            return None
        base_done, base_failed = self.done, self.failed

        def tick(done: int, failed: int, _total: int) -> None:
            self.done, self.failed = base_done + done, base_failed + failed
            assert self.report is not None
            self.report(self.done, self.failed, max(self.total, self.done))
        return tick


def prepare_site(settings: Settings, options: BuildOptions) -> Path:
    """The folder to process, after every output path was checked (and ``--out`` filled)."""
    if settings.site_dir is None:
        raise ConfigError(["site_dir: give SITE_DIR on the command line or site_dir in croissant.toml"])
    site = settings.site_dir
    problems = output_problems(_output_files(site, options, settings), site=site)
    if options.out_dir is not None:
        problems += output_folder_problems(site, options.out_dir, state_dir=settings.state_dir, cwd=Path.cwd())
    if problems:
        raise ConfigError(problems)
    if options.out_dir is not None and not options.dry_run:  # a dry run reads the site where it is
        replace_output_folder(site, options.out_dir)
        site = options.out_dir
    return site


def _output_files(site: Path, options: BuildOptions, settings: Settings) -> list[OutputFile]:
    """Every file the build will write besides the pages, with the flag that named it."""
    files = [
        OutputFile(flag, path, kind)
        for flag, path, kind in (("--report", options.report_path, "report"),
                                 ("--report-html", options.report_html_path, "report-html"),
                                 ("--plan", options.plan_path, "plan"),
                                 ("--prune-report", options.prune_report, "prune-report"))
        if path is not None
    ]
    if options.plan_path is not None:  # each market's plan beside the default market's
        files += [OutputFile("--plan", plan_file(options.plan_path, settings.for_market(name)), "plan") for name in settings.market_names()[1:]]
    if options.feed:
        from .feed import feed_paths

        json_path, xml_path = feed_paths(site, options.feed)
        files += [OutputFile("--feed", json_path, "feed-json"), OutputFile("--feed", xml_path, "feed-xml")]
    return files


def process_site(settings: Settings, site: Path, options: BuildOptions, pages: Sequence[str] | None = None) -> Catalogue:
    """Every page processed (and written, unless a dry run), the cache brought up to date."""
    catalogue = Catalogue()
    cache_path = settings.state_dir / CACHE_NAME
    renderer = Renderer(settings)
    cache = AnalysisCache(cache_path, fingerprint(settings.extract_options(), renderer.fingerprint()), outcomes=outcomes_fingerprint(settings))
    rows: list[CacheRow | FileRow] = []
    if pages is None:
        founds = discover(site, include=settings.include, exclude=settings.exclude, clean=not options.dry_run)
    else:
        founds = listed(site, pages)
    outcomes = process_pages(settings, renderer, founds, write=not options.dry_run, cache=CacheReader(cache_path), known=cache,
                             keep_products=bool(options.feed))
    for outcome in outcomes:
        catalogue.pages.append(outcome.record)
        rows.extend(outcome.cache_rows)
        if len(rows) >= CACHE_BATCH:
            cache.record(rows)
            rows.clear()
        catalogue.rows.extend(outcome.rows)
        analysis = outcome.analysis()
        if analysis is not None and analysis.product is not None:
            catalogue.products.extend(analysis.variants or (analysis.product,))
            catalogue.invalid.extend(InvalidProduct(outcome.record.path, vid, problems, analysis.sources)
                                     for vid, problems in analysis.invalid_variants)
        elif analysis is not None and analysis.status == "invalid":
            catalogue.invalid.append(InvalidProduct(outcome.record.path, analysis.product_id, analysis.problems, analysis.sources))
    cache.record(rows)
    cache.finish()
    if cache.listing.count == len(catalogue.pages):
        catalogue.listing = cache.listing.value
    return catalogue


def report_removed(settings: Settings, options: BuildOptions, markets: list[MarketPlan], messages: list[str]) -> None:
    """Products synced before that left the site: listed, and written to ``--prune-report``."""
    for market in markets:
        removed = market.removed
        if removed:
            where = f"market {market.settings.market_name}: " if settings.markets else ""
            messages.append(f"{where}{len(removed)} products synced before are no longer on the site (the API has no delete): "
                            + ", ".join(repr(r) for r in removed[:10]) + (" ..." if len(removed) > 10 else ""))
    if options.prune_report is not None:
        body = {"kind": KINDS["prune-report"], "version": 1, "target": settings.api_base_url,
                "removed": [{"id": pid, "last_synced_hash": market.state.confirmed[pid], "market": market.settings.market_name}
                            for market in markets for pid in market.removed]}
        write_atomic(options.prune_report, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _write_plan(path: Path, market: MarketPlan) -> None:
    plan_id = str(uuid.uuid4())
    state = market.state
    state.plan_made(plan_id, path)  # registered first: every older plan is stale from here on, even if writing fails
    write_plan(path, plan_id=plan_id, target=market.settings.state_target, environment=market.settings.environment,
               generation=state.table.generation, entries=market.entries, confirmed=state.confirmed, removed=market.removed,
               market=market.settings.market_name)
    state.save()


__all__ = ["BuildOptions", "BuildResult", "Catalogue", "MarketPlan", "Outcome", "run_build"]
