"""What ``build`` prints of a finished build: the summary, the failures, and what CI providers read."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click

from ..build import BuildResult
from ..build_options import BuildOptions, Outcome
from ..extract import URL_ID
from ..outputs import plan_file
from ..plan import PlannedProduct, Results, plan_summary
from ..settings import Settings
from ..summary import annotations, failures, gitlab_section, markdown, page_counts, problem_pages, sync_counts

_MAX_WARNINGS_SHOWN = 20


def _url_ids(result: BuildResult) -> tuple[list[str], set[str]]:
    """The ids taken from a page's URL path (no id of the product's own), and the pages they are on."""
    entries = [entry for entry in result.products if entry.sources.get("id") == "url"]
    return [entry.id for entry in entries], {page for entry in entries for page in (entry.page, *entry.also_on)}


def print_summary(result: BuildResult, settings: Settings, options: BuildOptions, echo: Callable[..., None]) -> None:
    """The build's summary, line by line through ``echo``: warnings and problem pages, counts, then the sync or the plan."""
    url_ids, url_pages = _url_ids(result)
    # each such page carries the same warning: one line for all of them below, not one per page
    warnings = [(record.path, w) for record in result.pages for w in record.warnings
                if not (record.path in url_pages and w.startswith(URL_ID))]
    if url_ids:
        shown = ", ".join(repr(pid) for pid in url_ids[:5]) + (", ..." if len(url_ids) > 5 else "")
        echo(f"warning: {len(url_ids)} products have no id of their own; their URL path is used: {shown}. "
             "A moved page becomes a new product: set data-croissant-product-id or a sku", err=True)
    lines = [f"warning: {path}: {warning}" for path, warning in warnings[:_MAX_WARNINGS_SHOWN]]
    if len(warnings) > _MAX_WARNINGS_SHOWN:
        lines.append(f"warning: ... and {len(warnings) - _MAX_WARNINGS_SHOWN} more (see --report)")
    if lines and settings.ci.provider == "gitlab-ci":  # folded away in the job log, one click to open
        lines = gitlab_section("croissant_embed_warnings", f"croissant-embed: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}", lines)
    for line in lines:
        echo(line, err=True)
    for record in problem_pages(result.pages):
        product = f" product {record.product_id!r}:" if record.product_id else ""
        echo(f"{record.status}: {record.path}:{product} {record.reason}", err=True)
    echo(f"pages: {len(result.pages)} in {result.site} ({page_counts(result.pages)})")
    echo(f"products: {_counts(result.summary)}  [{settings.environment}: {settings.target_label}]")
    for name in settings.market_names() if settings.markets else ():
        market = settings.for_market(name)
        entries = [entry for entry in result.products if entry.market == name]
        echo(f"  market {name} ({market.default_currency or 'any currency'}, merchant {market.merchant_id}): "
             f"{_counts(plan_summary(entries))}")
    if result.plan_path is not None:
        plans = ", ".join(str(plan_file(result.plan_path, settings.for_market(name))) for name in sorted({e.market for e in result.products}))
        echo("dry run: nothing was sent and no page was written" if options.dry_run
             else f"nothing was sent (see the plan: {plans or result.plan_path})")
        for entry in [e for e in result.products if e.to_send][:20]:
            echo(f"  would {entry.action} {entry.id!r} ({entry.page})")
        return
    synced, failed = sync_counts(result.products, result.results)
    echo(f"sync: {synced} synced, {failed} failed")
    print_failures(result.products, result.results, echo)


def print_failures(products: list[PlannedProduct], results: Results, echo: Callable[..., None]) -> None:
    """One line per cause, with a count and examples (a dead API is one line, not one per product)."""
    for failure in failures(products, results):
        echo(f"failed: {failure.line()}", err=True)


def report_to_ci(result: BuildResult, settings: Settings, options: BuildOptions) -> None:
    """Under GitHub Actions: annotations on the pages concerned, and the step summary."""
    if settings.ci.provider != "github-actions":
        return
    synced = result.plan_path is None and result.outcome is not Outcome.REFUSED
    try:
        prefix = result.site.resolve().relative_to(Path.cwd().resolve()).as_posix() + "/"
    except ValueError:
        prefix = result.site.as_posix().rstrip("/") + "/"
    for line in annotations(result.pages, result.products, result.results, site_prefix=prefix):
        click.echo(line)  # workflow commands are read from standard output
    if settings.ci.step_summary:
        text = markdown(result.pages, result.products, result.results, title=_title(result, options), synced=synced,
                        target=f"{settings.environment}: {settings.target_label}", messages=result.messages)
        try:
            with open(settings.ci.step_summary, "a", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            click.echo(f"warning: cannot write the step summary to {settings.ci.step_summary}: {exc.strerror}", err=True)


def _title(result: BuildResult, options: BuildOptions) -> str:
    if result.outcome is Outcome.OK:
        return "dry run" if options.dry_run else "plan written" if result.plan_path is not None else "synced"
    return result.outcome.value


def _counts(summary: dict[str, int]) -> str:
    return (f"{summary['create']} to create, {summary['update']} to update, "
            f"{summary['unchanged']} unchanged, {summary['invalid']} invalid")


__all__ = ["print_failures", "print_summary", "report_to_ci"]
