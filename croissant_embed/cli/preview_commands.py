"""``croissant-embed preview``: see the store with Croissant before deploying it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..summary import one_line
from . import main, serve_until_interrupted
from .build_commands import config_option, settings_from

if TYPE_CHECKING:
    from ..build import BuildResult


@main.command("preview")
@click.argument("site_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on (loopback).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Build folder (default: .croissant/preview).")
@click.option("--watch", is_flag=True, help="Rebuild when files in the site folder change; open pages reload by themselves.")
@click.option("--poll", is_flag=True, help="With --watch: poll the folder instead of the system's notifications (network drives).")
def preview_command(site_dir: Path | None, config: Path | None, host: str, port: int, out_dir: Path | None, watch: bool, poll: bool) -> None:
    """Build SITE_DIR for the local sandbox into a separate folder and serve it.

    The source site is not modified. Product pages show the buyback from the embedded
    sandbox, the store's checkout_app (if any) is served at /checkout and the build's
    report at /_croissant/. With --watch (for example beside `hugo --watch`), changed pages
    are rebuilt and synced to the sandbox, and open pages reload. Ctrl-C stops.
    """
    from ..preview import REPORT_PATH, Preview
    from ..sandbox.embedded import database_path
    from ..sandbox.server import exposure_warning

    warning = exposure_warning(host)
    if warning:
        click.echo(warning, err=True)
    settings = settings_from(config, site_dir=site_dir)
    with Preview(settings, host=host, port=port, out_dir=out_dir) as preview:
        pages = sum(1 for record in preview.result.pages if record.product_id)
        click.echo(f"preview of {preview.settings.site_dir}: environment local (the embedded sandbox "
                   f"{database_path(preview.settings.state_dir)}, merchant {preview.settings.merchant_id})")
        click.echo(f"Preview: {preview.url}/")
        click.echo(f"built {pages} product pages into {preview.out_dir}")
        click.echo(f"checkout handler: {'/checkout' if preview.app.checkout else 'none (set checkout_app)'}")
        click.echo(f"report: {preview.url}{REPORT_PATH}")
        if watch:
            used = preview.watch(_said, poll=poll)
            click.echo(f"watching {preview.settings.site_dir} ({used}): changed pages are rebuilt and open pages reload")
        serve_until_interrupted()


def _said(changed: set[Path], result: BuildResult | None, error: str | None) -> None:
    """One line per rebuild of a watched preview."""
    if error is not None:
        click.echo(f"rebuild after {len(changed)} changed files failed: {error}; still serving the previous build", err=True)
        return
    assert result is not None
    click.echo(f"rebuilt after {len(changed)} changed files: "
               + one_line(result.pages, result.products, result.results, synced=True).removeprefix("croissant-embed: "))
