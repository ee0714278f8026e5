"""``croissant-embed build`` and ``check``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..build import BuildOptions, BuildResult, Outcome, plan_file, run_build
from ..extract import URL_ID
from ..plan import PlannedProduct, Results, plan_summary
from ..settings import Settings, load_settings
from ..summary import annotations, failures, gitlab_section, markdown, page_counts, problem_pages, sync_counts
from . import EXIT_FOR_OUTCOME, EXIT_OK, EXIT_SYNC_FAILED, main
from .progress import ProgressBar

if TYPE_CHECKING:
    from ..survey import Proposal, SiteSurvey

_MAX_WARNINGS_SHOWN = 20
"""What the page warning of an id taken from the page's URL says (the extract stage writes it)."""


def settings_from(config: Path | None, **flags: Any) -> Settings:
    """Settings from the config file, the environment, then the given flags (warnings printed).

    Paths given as flags are relative to the current folder (those in a file, to the file's).
    """
    flags = {key: Path(value).resolve() if isinstance(value, Path) else value for key, value in flags.items()}
    settings = load_settings(config=config, overrides=flags)
    for notice in settings.notices:
        click.echo(f"warning: {notice}", err=True)
    return settings


config_option = click.option(
    "--config", "config", type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file (default: ./croissant.toml, else [tool.croissant-embed] in ./pyproject.toml).",
)


@main.command("build")
@click.argument("site_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@config_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Write the processed site here instead of in place.")
@click.option("--dry-run", is_flag=True, help="No network and no page writes: print and write the plan.")
@click.option("--full", is_flag=True, help="Send every product, changed or not.")
@click.option("--verify", is_flag=True, help="Read back every product the state holds as synced, and send again what Croissant lost or holds differently.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), help="Write a JSON report here.")
@click.option("--report-html", "report_html_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write a self-contained HTML report here (open it in a browser, or keep it as a CI artifact).")
@click.option("--plan", "plan_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Inject pages and write the sync plan here without any network; send it later with `apply`.")
@click.option("--sync", "sync_mode", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="auto: sync, except on pull-request and preview builds of known CI providers.")
@click.option("--prune-report", type=click.Path(path_type=Path, dir_okay=False), help="List products synced before that left the site.")
@click.option("--allow-drop", is_flag=True, help="Sync even when the product count fell by more than max_drop.")
@click.option("--feed", help="Also write the catalogue as PATH.json and PATH.xml (RSS) inside the site.")
@click.option("--environment", type=click.Choice(["local", "sandbox", "production"]), help="Croissant environment.")
@click.option("--api-url", help="A custom API base URL (e.g. a `sandbox serve`).")
@click.option("--base-url", help="The site's public URL, for absolute product URLs.")
@click.option("--merchant-id", help="Your Croissant merchant id.")
@click.option("--concurrency", type=int, help="Products in flight at once.")
@click.option("--max-invalid", type=int, help="Invalid products tolerated before exit code 3.")
@click.option("--max-unplaced", type=int, help="Product pages without a place for the component tolerated before exit code 3.")
@click.option("--quiet", is_flag=True, help="Only errors.")
def build_command(
    site_dir: Path | None, config: Path | None, out_dir: Path | None, dry_run: bool, full: bool,
    report_path: Path | None, report_html_path: Path | None, plan_path: Path | None, sync_mode: str, prune_report: Path | None,
    allow_drop: bool, feed: str | None, quiet: bool, verify: bool, **flags: Any,
) -> None:
    """Inject On-Site Messaging into SITE_DIR's product pages and sync their products.

    Exit codes: 0 all good, 1 some products failed to sync, 2 usage or configuration
    error, 3 invalid products over max_invalid, unplaced pages over max_unplaced (and the
    other guards), 4 files.
    """
    settings = settings_from(config, site_dir=site_dir, **flags)
    options = BuildOptions(
        out_dir=out_dir, dry_run=dry_run, full=full, report_path=report_path, report_html_path=report_html_path,
        plan_path=plan_path, sync_mode=sync_mode, prune_report=prune_report, allow_drop=allow_drop,
        feed=feed, verify=verify,
    )
    result = run_build(settings, options, on_progress=ProgressBar(enabled=not quiet))
    if not quiet:
        _print_summary(result, settings, options)
    for message in result.messages:
        click.echo(message, err=True)
    _report_to_ci(result, settings, options)
    sys.exit(EXIT_FOR_OUTCOME[result.outcome])


def _url_ids(result: BuildResult) -> tuple[list[str], set[str]]:
    """The ids taken from a page's URL path (no id of the product's own), and the pages they are on."""
    entries = [entry for entry in result.products if entry.sources.get("id") == "url"]
    return [entry.id for entry in entries], {page for entry in entries for page in (entry.page, *entry.also_on)}


def _print_summary(result: BuildResult, settings: Settings, options: BuildOptions) -> None:
    url_ids, url_pages = _url_ids(result)
    # each such page carries the same warning: one line for all of them below, not one per page
    warnings = [(record.path, w) for record in result.pages for w in record.warnings
                if not (record.path in url_pages and w.startswith(URL_ID))]
    if url_ids:
        shown = ", ".join(repr(pid) for pid in url_ids[:5]) + (", ..." if len(url_ids) > 5 else "")
        click.echo(f"warning: {len(url_ids)} products have no id of their own; their URL path is used: {shown}. "
                   "A moved page becomes a new product: set data-croissant-product-id or a sku", err=True)
    lines = [f"warning: {path}: {warning}" for path, warning in warnings[:_MAX_WARNINGS_SHOWN]]
    if len(warnings) > _MAX_WARNINGS_SHOWN:
        lines.append(f"warning: ... and {len(warnings) - _MAX_WARNINGS_SHOWN} more (see --report)")
    if lines and settings.ci.provider == "gitlab-ci":  # folded away in the job log, one click to open
        lines = gitlab_section("croissant_embed_warnings", f"croissant-embed: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}", lines)
    for line in lines:
        click.echo(line, err=True)
    for record in problem_pages(result.pages):
        product = f" product {record.product_id!r}:" if record.product_id else ""
        click.echo(f"{record.status}: {record.path}:{product} {record.reason}", err=True)
    click.echo(f"pages: {len(result.pages)} in {result.site} ({page_counts(result.pages)})")
    click.echo(f"products: {_counts(result.summary)}  [{settings.environment}: {settings.target_label}]")
    for name in settings.market_names() if settings.markets else ():
        market = settings.for_market(name)
        entries = [entry for entry in result.products if entry.market == name]
        click.echo(f"  market {name} ({market.default_currency or 'any currency'}, merchant {market.merchant_id}): "
                   f"{_counts(plan_summary(entries))}")
    if result.plan_path is not None:
        plans = ", ".join(str(plan_file(result.plan_path, settings.for_market(name))) for name in sorted({e.market for e in result.products}))
        click.echo("dry run: nothing was sent and no page was written" if options.dry_run
                   else f"nothing was sent (see the plan: {plans or result.plan_path})")
        for entry in [e for e in result.products if e.to_send][:20]:
            click.echo(f"  would {entry.action} {entry.id!r} ({entry.page})")
        return
    synced, failed = sync_counts(result.products, result.results)
    click.echo(f"sync: {synced} synced, {failed} failed")
    _print_failures(result.products, result.results)


def _print_failures(products: list[PlannedProduct], results: Results) -> None:
    """One line per cause, with a count and examples (a dead API is one line, not one per product)."""
    for failure in failures(products, results):
        click.echo(f"failed: {failure.line()}", err=True)


def _report_to_ci(result: BuildResult, settings: Settings, options: BuildOptions) -> None:
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


@main.command("apply")
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@config_option
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), help="Write a JSON report here.")
@click.option("--quiet", is_flag=True, help="Only errors.")
def apply_command(plan_file: Path, config: Path | None, report_path: Path | None, quiet: bool) -> None:
    """Send a plan written by `build --plan` (after the deploy succeeded).

    A plan is applied once; applying it again sends nothing, and a plan that a newer sync
    overtook is refused (exit 3). Exit 1 when some products failed: apply it again.
    """
    from ..apply import apply_plan

    result = apply_plan(settings_from(config), plan_file, report_path=report_path, on_progress=ProgressBar(enabled=not quiet))
    for message in result.messages:
        click.echo(message, err=True)
    _print_failures(result.products, result.results)
    synced, _ = sync_counts(result.products, result.results)
    click.echo(f"plan {plan_file}: {result.note}; {synced} synced, {len(result.products) - synced} not sent")
    sys.exit(EXIT_OK if result.ok else EXIT_SYNC_FAILED)


@main.command("init")
@click.argument("site_dir", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace an existing croissant.toml.")
@click.option("--base-url", help="The site's public URL, when no page states it in a canonical or og:url link.")
def init_command(site_dir: Path | None, force: bool, base_url: str | None) -> None:
    """Write croissant.toml here with the settings the built site needs, from a look at its pages.

    It names the product pages that would still be invalid or unplaced with those settings.
    In a Jekyll project it also adds croissant.toml to exclude in _config.yml.
    """
    from ..survey import write_config

    done = write_config(Path.cwd(), site_dir.resolve() if site_dir else None, base_url=base_url, force=force)
    load_settings(config=done.target)  # what init writes must load
    found, proposal, remaining = done.found, done.proposal, done.remaining
    if found is None or remaining is None:
        click.echo(f"wrote {done.target}: the site is not built yet; build it, then run `croissant-embed init --force`")
    else:
        click.echo(f"wrote {done.target}: {found.products} product pages among {found.pages} sampled pages of {found.site_dir}")
        _print_proposal(found, proposal)
        for rel, why in remaining.invalid:
            click.echo(f"still invalid: {rel}: {why}", err=True)
        for rel in remaining.unplaced:
            click.echo(f"still unplaced: {rel}: no element found that shows its price; add <croissant-slot></croissant-slot> "
                       "where the component belongs, or set [placement] selector", err=True)
    if done.jekyll is not None:
        click.echo(done.jekyll.message, err=not done.jekyll.excluded)
    click.echo("next: croissant-embed build --dry-run")


def _print_proposal(found: SiteSurvey, proposal: Proposal) -> None:
    """What init set, and from which evidence."""
    if proposal.capture:
        click.echo(f"  [capture] {', '.join(f'{name} = {selector!r}' for name, selector in proposal.capture)}: the pages carry "
                   f"no product data; these find a name and a price on {found.products} pages")
    if proposal.base_url:
        click.echo(f"  base_url = {proposal.base_url!r}")
    else:
        click.echo("no page states the site's public address (no canonical or og:url link): set base_url in croissant.toml, "
                   "or run init again with --base-url", err=True)
    if proposal.default_currency:
        click.echo(f"  default_currency = {proposal.default_currency!r}: what the product pages show")
    elif proposal.guessed_currency:
        click.echo(f"the prices show a bare '$': builds read it as {proposal.guessed_currency}; set default_currency before "
                   "syncing to sandbox or production", err=True)
    if proposal.placement_selector:
        click.echo(f"  [placement] selector = {proposal.placement_selector!r}: {len(found.unplaced)} product pages had no place "
                   f"for the component; it finds the price on all {proposal.selector_pages}")
    if found.url_ids:
        click.echo(f"{len(found.url_ids)} product pages name no id of their own: their URL path is used (see the comment "
                   "in croissant.toml)", err=True)


@main.command("check")
@config_option
@click.option("--offline", is_flag=True, help="Do not ask the API for a token.")
def check_command(config: Path | None, offline: bool) -> None:
    """Validate the configuration and the credentials, explaining each problem."""
    settings = settings_from(config)
    click.echo(f"configuration: ok ({settings.root})")
    click.echo(f"environment: {settings.environment} -> {settings.api_base_url}")
    click.echo(f"site_dir: {settings.site_dir or '(give SITE_DIR to build)'}")
    if settings.site_dir is not None and not settings.site_dir.is_dir():
        click.echo(f"warning: site_dir {settings.site_dir} does not exist yet", err=True)
    for market in settings.markets:
        click.echo(f"market {market.name}: pages {market.path}, {market.currency or 'any currency'}, merchant "
                   f"{market.merchant_id or settings.merchant_id}, ids {market.id_template}"
                   + (f", credentials from {market.client_id_env} / {market.client_secret_env}" if market.client_id_env else ""))
    if offline:
        return
    from ..clients import sync_client

    for name in settings.market_names() if settings.markets else [None]:
        own = settings.for_market(name)
        if own.market is not None and own.market.client_id_env is None:
            continue  # it signs in with the default market's credentials: checked once
        with sync_client(own) as client:
            client.check_credentials()
        where = f" for market {name}" if name else ""
        click.echo(f"credentials{where}: ok (a token was issued by {settings.api_base_url})")
