"""The build step, stage by stage.

    discover pages -> [per page, in workers: read -> strip earlier insertions -> extract
      (or cache) -> render snippets -> splice (in memory) -> write page] -> plan sync
      -> apply sync -> report

Each page is written as soon as it is processed (atomically), so pages stay consistent
whatever happens later; the sync only starts once every page is known, so the catalogue
guards (no products, conflicting duplicates, too many invalid products) see the whole site.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from .cache import AnalysisCache, CacheReader, fingerprint
from .discover import discover
from .errors import AuthError, ConfigError
from .extract import Product
from .pages import CacheRow, process_pages
from .ci import detect, should_sync
from .feed import feed_paths, write_feeds
from .plan import PlannedProduct, ProductRow, make_plan, plan_summary, write_plan
from .render import Renderer
from .report import PageRecord, write_report
from .settings import Settings
from .outputs import OutputFile, output_problems
from .sitefiles import output_folder_problems, remove_stale_temporaries, replace_output_folder, write_atomic
from .state import SyncState
from .sync import run_sync

EXIT_OK, EXIT_SYNC_FAILED, EXIT_DATA = 0, 1, 3
CACHE_BATCH = 2000


@dataclass(frozen=True)
class BuildOptions:
    """What one ``build`` invocation asks for (the flags that are not settings)."""

    site_dir: Path | None = None
    out_dir: Path | None = None
    dry_run: bool = False
    full: bool = False
    sync_mode: str = "auto"
    report_path: Path | None = None
    plan_path: Path | None = None
    prune_report: Path | None = None
    feed: str | None = None
    allow_drop: bool = False
    progress: bool = True
    verify: bool = False

    def __post_init__(self) -> None:
        if self.verify and (self.dry_run or self.plan_path is not None):
            raise ConfigError(["--verify reads products back from Croissant: it needs a build that syncs, not --dry-run or --plan"])


@dataclass
class BuildResult:
    """Everything a build did, for the CLI to print and the tests to check."""

    site: Path
    pages: list[PageRecord]
    products: list[PlannedProduct]
    exit_code: int
    messages: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        """Counts per action."""
        return plan_summary(self.products)


def resolve_site(settings: Settings, options: BuildOptions) -> Path:
    """The folder to process: SITE_DIR, else ``site_dir`` from the settings."""
    site = options.site_dir or settings.site_dir
    if site is None:
        raise ConfigError(["site_dir: give SITE_DIR on the command line or site_dir in croissant.toml"])
    site = Path(site)
    if not site.is_dir():
        raise ConfigError([f"site_dir: {site} is not a folder"])
    state_dir = settings.state_dir.resolve()
    if site.resolve() == state_dir or site.resolve() in state_dir.parents:
        raise ConfigError([f"site_dir: {site} contains the state folder {state_dir}; keep croissant.toml outside the site"])
    problems = output_problems(_output_files(site, options), site=site)
    if options.out_dir is not None:
        problems += output_folder_problems(site, options.out_dir, state_dir=settings.state_dir, cwd=Path.cwd())
    if problems:
        raise ConfigError(problems)
    if options.out_dir is not None and not options.dry_run:  # a dry run reads the site where it is
        replace_output_folder(site, options.out_dir)
        return options.out_dir
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


def run_build(settings: Settings, options: BuildOptions) -> BuildResult:
    """Run the whole build step and return what happened."""
    started = time.perf_counter()
    site = resolve_site(settings, options)
    write = not options.dry_run
    if write:
        remove_stale_temporaries(site)
    pages: list[PageRecord] = []
    products: list[ProductRow] = []
    feed_products: list[Product] = []
    invalid: list[tuple[str, str | None, tuple[str, ...], dict[str, str]]] = []
    cache_path = settings.state_dir / "cache.sqlite3"
    renderer = Renderer(settings)
    cache = AnalysisCache(cache_path, fingerprint(settings.extract_options(), renderer.fingerprint()))
    rows: list[CacheRow] = []
    founds = discover(site, include=settings.include, exclude=settings.exclude)
    for outcome in process_pages(settings, renderer, founds, write=write, cache=CacheReader(cache_path), keep_products=bool(options.feed)):
        pages.append(outcome.record)
        rows.extend(outcome.cache_rows)
        if len(rows) >= CACHE_BATCH:
            cache.record(rows)
            rows.clear()
        if outcome.row is not None:
            products.append(outcome.row)
        analysis = outcome.analysis()
        if analysis is not None and analysis.product is not None:
            feed_products.append(analysis.product)
        elif analysis is not None and analysis.status == "invalid":
            invalid.append((outcome.record.path, analysis.product_id, analysis.problems, analysis.sources))
    cache.record(rows)
    cache.finish()
    if not products and not invalid:
        raise ConfigError([
            f"site_dir: no product pages among the {len(pages)} pages of {site}; check the folder and include/exclude, "
            "or mark products with data-croissant-product-id"
        ])
    pages_done = time.perf_counter()
    state = SyncState(settings.state_dir, settings.api_base_url)
    entries = make_plan(products, invalid, synced=state.confirmed, unconfirmed=state.unconfirmed, full=options.full)
    if options.feed and write:
        write_feeds(site, options.feed, feed_products, settings)
    messages: list[str] = []
    exit_code = EXIT_OK
    seen_ids = {row.id for row in products} | {pid for _, pid, _, _ in invalid if pid}
    removed = sorted(set(state.confirmed) - seen_ids)
    if removed:
        messages.append(f"{len(removed)} products synced before are no longer on the site (the API has no delete): "
                        + ", ".join(repr(r) for r in removed[:10]) + (" ..." if len(removed) > 10 else ""))
    if options.prune_report is not None:
        _write_prune_report(options.prune_report, settings, removed, state)
    drop = _sudden_drop(len(seen_ids), len(state.confirmed), settings.max_drop)
    sync_now, why = should_sync(options.sync_mode, detect(os.environ))
    if len(invalid) > settings.max_invalid:
        exit_code = EXIT_DATA
        messages.append(f"{len(invalid)} invalid products (max_invalid = {settings.max_invalid}); nothing was synced:")
        messages += [f"  {page}: product {pid or '(no id)'}: {'; '.join(problems)}" for page, pid, problems, _ in invalid]
    elif drop and not options.allow_drop:
        exit_code = EXIT_DATA
        messages.append(drop + "; nothing was synced. If the products really went away, pass --allow-drop (or raise max_drop).")
    elif options.dry_run or options.plan_path is not None or not sync_now:
        for entry in entries:
            entry.result = "planned" if entry.to_send else "skipped"
        if not (options.dry_run or options.plan_path is not None):
            messages.append(f"not syncing: {why}")
        _write_plan(options.plan_path or settings.state_dir / "plan.json", settings, entries, state, removed)
    else:
        try:
            ok = run_sync(settings, entries, state, f"build-{uuid.uuid4()}", finish_on_failure=True,
                          progress=options.progress, messages=messages, verify=options.verify)
        except AuthError:  # refused credentials end the build, and the report says what was sent
            _finish_report(settings, options, pages, entries, started, pages_done)
            raise
        exit_code = EXIT_OK if ok else EXIT_SYNC_FAILED
    timings = _finish_report(settings, options, pages, entries, started, pages_done)
    return BuildResult(site, pages, entries, exit_code, messages, timings)


def _finish_report(
    settings: Settings, options: BuildOptions, pages: list[PageRecord], entries: list[PlannedProduct], started: float, pages_done: float
) -> dict[str, float]:
    """The build's timings, and its report when one was asked for."""
    timings = {"pages": round(pages_done - started, 3), "sync": round(time.perf_counter() - pages_done, 3)}
    if options.report_path is not None:
        write_report(options.report_path, pages, entries, environment=settings.environment, dry_run=options.dry_run, timings=timings)
    return timings


def _sudden_drop(now: int, before: int, max_drop: float) -> str | None:
    """Why the product count fell suspiciously, or None."""
    if before >= 20 and now < before * (1 - max_drop):
        return f"the product count dropped from {before} to {now}, more than max_drop = {max_drop:.0%}: a broken theme or a partial build?"
    return None


def _write_prune_report(path: Path, settings: Settings, removed: list[str], state: SyncState) -> None:
    body = {"kind": "croissant-embed-prune-report", "version": 1, "target": settings.api_base_url,
            "removed": [{"id": pid, "last_synced_hash": state.confirmed[pid]} for pid in removed]}
    write_atomic(path, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _write_plan(path: Path, settings: Settings, entries: list[PlannedProduct], state: SyncState, removed: list[str]) -> None:
    plan_id = str(uuid.uuid4())
    state.plan_made(plan_id, path)  # registered first: every older plan is stale from here on, even if writing fails
    write_plan(path, plan_id=plan_id, target=settings.api_base_url, environment=settings.environment,
               generation=state.table.generation, entries=entries, confirmed=state.confirmed, removed=removed)
    state.save()


__all__ = ["BuildOptions", "BuildResult", "run_build"]
