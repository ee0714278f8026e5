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

import enum
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import guards
from .cache import AnalysisCache, CacheReader, CacheRow, fingerprint
from .ci import should_sync
from .contract import ProductRow
from .discover import discover
from .errors import AuthError, ConfigError
from .extract import Product
from .feed import feed_paths, write_feeds
from .outputs import KINDS, OutputFile, output_problems
from .plan import InvalidProduct, PlannedProduct, Result, Results, make_plan, plan_summary, translations
from .planfile import write_plan
from .process import process_pages
from .render import Renderer
from .report import PageRecord, write_report
from .settings import Settings
from .sitefiles import output_folder_problems, remove_stale_temporaries, replace_output_folder, write_atomic
from .state import SyncState
from .sync import OnProgress, run_sync

CACHE_BATCH = 2000
CACHE_NAME = "cache.sqlite3"
PLAN_NAME = "plan.json"


class Outcome(enum.Enum):
    """How a build ended (errors that stop it early are exceptions instead)."""

    OK = "ok"
    SYNC_FAILED = "some products failed to sync"
    REFUSED = "a guard stopped the sync (invalid or unplaced products, guessed currencies, conflicting duplicates or a sudden drop)"


@dataclass(frozen=True)
class BuildOptions:
    """What one ``build`` invocation asks for (the flags that are not settings)."""

    out_dir: Path | None = None
    dry_run: bool = False
    full: bool = False
    sync_mode: str = "auto"
    report_path: Path | None = None
    plan_path: Path | None = None
    prune_report: Path | None = None
    feed: str | None = None
    allow_drop: bool = False
    verify: bool = False

    def __post_init__(self) -> None:
        if self.verify and (self.dry_run or self.plan_path is not None):
            raise ConfigError(["--verify reads products back from Croissant: it needs a build that syncs, not --dry-run or --plan"])


@dataclass
class Catalogue:
    """What the pages gave: their records, the valid products' rows, the invalid products."""

    pages: list[PageRecord] = field(default_factory=list)
    rows: list[ProductRow] = field(default_factory=list)
    invalid: list[InvalidProduct] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    """Every valid product in full (kept only for a feed)."""

    @property
    def ids(self) -> set[str]:
        """Every product id on the site, valid or not."""
        return {row.id for row in self.rows} | {bad.product_id for bad in self.invalid if bad.product_id}


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

    @property
    def summary(self) -> dict[str, int]:
        """Counts per action."""
        return plan_summary(self.products)


def run_build(settings: Settings, options: BuildOptions, *, on_progress: OnProgress | None = None) -> BuildResult:
    """Run the whole build step and return what happened."""
    started = time.perf_counter()
    site = prepare_site(settings, options)
    catalogue = process_site(settings, site, options)
    guards.require_products(catalogue.rows, catalogue.invalid, pages=len(catalogue.pages), site=site)
    pages_done = time.perf_counter()
    state = SyncState(settings.state_dir, settings.api_base_url)
    rows, conflicts = translations(catalogue.rows, shape=settings.payload, default_language=settings.default_language)
    entries = make_plan(rows, catalogue.invalid, synced=state.confirmed, unconfirmed=state.unconfirmed, full=options.full)
    if options.feed and not options.dry_run:
        write_feeds(site, options.feed, catalogue.products, settings)
    messages: list[str] = []
    removed = removed_products(settings, options, catalogue, state, messages)
    planning = options.dry_run or options.plan_path is not None
    sync_now, why = should_sync(options.sync_mode, settings.ci)
    preview = not planning and not sync_now  # a pull-request build: warnings only, for what only a real sync must refuse
    stop = guards.first_stop(
        guards.conflicting_duplicates(conflicts),
        guards.too_many_invalid(catalogue.invalid, settings.max_invalid),
        guards.too_many_unplaced([page for page in catalogue.pages if page.status == "unplaced"], settings.max_unplaced),
        None if preview else guards.guessed_currencies(catalogue.rows, settings.environment),
        None if options.allow_drop else guards.sudden_drop(len(catalogue.ids), len(state.confirmed), settings.max_drop),
    )
    result = BuildResult(site, catalogue.pages, entries, {}, Outcome.OK, messages)
    refused: AuthError | None = None
    if stop is not None:
        messages.extend(stop.lines)
        result.outcome = Outcome.REFUSED
    elif planning or preview:
        if preview:
            messages.append(f"not syncing: {why}")
        result.plan_path = options.plan_path or settings.state_dir / PLAN_NAME
        _write_plan(result.plan_path, settings, entries, state, removed)
        result.results = {entry.id: Result("planned") for entry in entries if entry.to_send}
    else:
        run = run_sync(settings, entries, state, f"build-{uuid.uuid4()}", finish_on_failure=True,
                       on_progress=on_progress, messages=messages, verify=options.verify)
        result.results, result.outcome = run.results, Outcome.OK if run.ok else Outcome.SYNC_FAILED
        refused = run.stopped if isinstance(run.stopped, AuthError) else None
    result.timings = {"pages": round(pages_done - started, 3), "sync": round(time.perf_counter() - pages_done, 3)}
    if options.report_path is not None:
        write_report(options.report_path, result.pages, entries, result.results, environment=settings.environment,
                     dry_run=options.dry_run, timings=result.timings)
    if refused is not None:  # refused credentials end the build, once the report says what was sent
        raise refused
    return result


def prepare_site(settings: Settings, options: BuildOptions) -> Path:
    """The folder to process, after every output path was checked (and ``--out`` filled)."""
    if settings.site_dir is None:
        raise ConfigError(["site_dir: give SITE_DIR on the command line or site_dir in croissant.toml"])
    site = settings.site_dir
    problems = output_problems(_output_files(site, options), site=site)
    if options.out_dir is not None:
        problems += output_folder_problems(site, options.out_dir, state_dir=settings.state_dir, cwd=Path.cwd())
    if problems:
        raise ConfigError(problems)
    if options.out_dir is not None and not options.dry_run:  # a dry run reads the site where it is
        replace_output_folder(site, options.out_dir)
        site = options.out_dir
    if not options.dry_run:
        remove_stale_temporaries(site)
    return site


def _output_files(site: Path, options: BuildOptions) -> list[OutputFile]:
    """Every file the build will write besides the pages, with the flag that named it."""
    files = [
        OutputFile(flag, path, kind)
        for flag, path, kind in (("--report", options.report_path, "report"), ("--plan", options.plan_path, "plan"),
                                 ("--prune-report", options.prune_report, "prune-report"))
        if path is not None
    ]
    if options.feed:
        json_path, xml_path = feed_paths(site, options.feed)
        files += [OutputFile("--feed", json_path, "feed-json"), OutputFile("--feed", xml_path, "feed-xml")]
    return files


def process_site(settings: Settings, site: Path, options: BuildOptions) -> Catalogue:
    """Every page processed (and written, unless a dry run), the cache brought up to date."""
    catalogue = Catalogue()
    cache_path = settings.state_dir / CACHE_NAME
    renderer = Renderer(settings)
    cache = AnalysisCache(cache_path, fingerprint(settings.extract_options(), renderer.fingerprint()))
    rows: list[CacheRow] = []
    founds = discover(site, include=settings.include, exclude=settings.exclude)
    outcomes = process_pages(settings, renderer, founds, write=not options.dry_run, cache=CacheReader(cache_path),
                             keep_products=bool(options.feed))
    for outcome in outcomes:
        catalogue.pages.append(outcome.record)
        rows.extend(outcome.cache_rows)
        if len(rows) >= CACHE_BATCH:
            cache.record(rows)
            rows.clear()
        if outcome.row is not None:
            catalogue.rows.append(outcome.row)
        analysis = outcome.analysis()
        if analysis is not None and analysis.product is not None:
            catalogue.products.append(analysis.product)
        elif analysis is not None and analysis.status == "invalid":
            catalogue.invalid.append(InvalidProduct(outcome.record.path, analysis.product_id, analysis.problems, analysis.sources))
    cache.record(rows)
    cache.finish()
    return catalogue


def removed_products(settings: Settings, options: BuildOptions, catalogue: Catalogue, state: SyncState, messages: list[str]) -> list[str]:
    """Products synced before that left the site: listed, and written to ``--prune-report``."""
    removed = sorted(set(state.confirmed) - catalogue.ids)
    if removed:
        messages.append(f"{len(removed)} products synced before are no longer on the site (the API has no delete): "
                        + ", ".join(repr(r) for r in removed[:10]) + (" ..." if len(removed) > 10 else ""))
    if options.prune_report is not None:
        body = {"kind": KINDS["prune-report"], "version": 1, "target": settings.api_base_url,
                "removed": [{"id": pid, "last_synced_hash": state.confirmed[pid]} for pid in removed]}
        write_atomic(options.prune_report, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return removed


def _write_plan(path: Path, settings: Settings, entries: list[PlannedProduct], state: SyncState, removed: list[str]) -> None:
    plan_id = str(uuid.uuid4())
    state.plan_made(plan_id, path)  # registered first: every older plan is stale from here on, even if writing fails
    write_plan(path, plan_id=plan_id, target=settings.api_base_url, environment=settings.environment,
               generation=state.table.generation, entries=entries, confirmed=state.confirmed, removed=removed)
    state.save()


__all__ = ["BuildOptions", "BuildResult", "Catalogue", "Outcome", "run_build"]
