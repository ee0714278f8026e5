"""``croissant-embed build`` and ``check``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import replay
from ..build_options import BuildOptions, Outcome
from ..outputs import PLAN_NAME, plan_file
from ..settings import Settings, load_settings
from . import EXIT_DATA, EXIT_OK, EXIT_SYNC_FAILED, main
from .progress import ProgressBar

if TYPE_CHECKING:
    from ..build import BuildResult
    from ..survey import Proposal, SiteSurvey

EXIT_FOR_OUTCOME = {Outcome.OK: EXIT_OK, Outcome.SYNC_FAILED: EXIT_SYNC_FAILED, Outcome.REFUSED: EXIT_DATA}


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
@click.option("--no-replay", is_flag=True, help="Process every page even when nothing changed since the last build (which is otherwise repeated).")
@click.option("--quiet", is_flag=True, help="Only errors.")
def build_command(
    site_dir: Path | None, config: Path | None, out_dir: Path | None, dry_run: bool, full: bool,
    report_path: Path | None, report_html_path: Path | None, plan_path: Path | None, sync_mode: str, prune_report: Path | None,
    allow_drop: bool, feed: str | None, quiet: bool, verify: bool, no_replay: bool, **flags: Any,
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
    inputs = _replay_inputs(settings, options, quiet=quiet)
    last = replay.check(settings, *inputs, clean=not options.dry_run) if inputs and not no_replay else replay.Check()
    if last.replay is not None:
        for line in last.replay.lines:
            click.echo(line.text, err=line.err)
        sys.exit(last.replay.exit_code)
    replay.forget(settings)
    from ..build import run_build  # imported only now: the build's stages would be most of a replay's time

    result = run_build(settings, options, on_progress=ProgressBar(enabled=not quiet), pages=last.pages)
    printed = _print_result(result, settings, options, quiet=quiet)
    code = EXIT_FOR_OUTCOME[result.outcome]
    sent = result.plan_path is None and bool(result.results)
    if inputs and result.listing is not None and not sent:
        note = () if quiet else (replay.Line(UNCHANGED, False),)
        replay.remember(settings, *inputs, result.listing, replay.Replay((*printed, *note), code))
    sys.exit(code)


def _print_result(result: BuildResult, settings: Settings, options: BuildOptions, *, quiet: bool) -> list[replay.Line]:
    """Print what the build did (the summary unless ``quiet``, its messages, what CI reads); the lines printed."""
    from .build_output import print_summary, report_to_ci

    printed: list[replay.Line] = []

    def echo(text: str, *, err: bool = False) -> None:
        click.echo(text, err=err)
        printed.append(replay.Line(text, err))

    if not quiet:
        print_summary(result, settings, options, echo)
    for message in result.messages:
        echo(message, err=True)
    report_to_ci(result, settings, options)
    return printed


UNCHANGED = "(nothing changed since the last build: pages, settings, templates and state as it left them)"
"""What a replayed build adds to the summary it repeats."""


def _replay_inputs(settings: Settings, options: BuildOptions, *, quiet: bool) -> tuple[str, list[Path]] | None:
    """What a replay of this build is keyed by besides the pages: its inputs as it begins and its plan files (None: a
    build that is never replayed, as it writes more than pages, plan and state, or asks for more than its summary)."""
    more = (options.out_dir, options.report_path, options.report_html_path, options.prune_report, options.feed)
    if any(value is not None for value in more) or options.verify or settings.site_dir is None:
        return None
    if settings.ci.provider == "github-actions" or click.get_current_context().find_root().params.get("verbose"):
        return None  # annotations and the step summary; the log lines of -v
    base = options.plan_path or settings.state_dir / PLAN_NAME
    return replay.inputs(settings, repr((options, quiet))), [plan_file(base, settings.for_market(name)) for name in settings.market_names()]


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
    from ..summary import sync_counts
    from .build_output import print_failures

    result = apply_plan(settings_from(config), plan_file, report_path=report_path, on_progress=ProgressBar(enabled=not quiet))
    for message in result.messages:
        click.echo(message, err=True)
    print_failures(result.products, result.results, click.echo)
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
