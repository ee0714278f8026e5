"""``croissant-embed preview``: see the store with Croissant before deploying it."""

from __future__ import annotations

from pathlib import Path

import click

from . import main, serve_until_interrupted
from .build_commands import config_option, settings_from


@main.command("preview")
@click.argument("site_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on (loopback).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Build folder (default: .croissant/preview).")
def preview_command(site_dir: Path | None, config: Path | None, host: str, port: int, out_dir: Path | None) -> None:
    """Build SITE_DIR for the local sandbox into a separate folder and serve it.

    The source site is not modified. Product pages show the buyback from the embedded
    sandbox, and the store's checkout_app (if any) is served at /checkout. Ctrl-C stops.
    """
    from ..preview import Preview
    from ..sandbox.server import exposure_warning

    warning = exposure_warning(host)
    if warning:
        click.echo(warning, err=True)
    settings = settings_from(config, site_dir=site_dir)
    with Preview(settings, host=host, port=port, out_dir=out_dir) as preview:
        pages = sum(1 for record in preview.result.pages if record.product_id)
        click.echo(f"built {pages} product pages into {preview.out_dir}")
        click.echo(f"checkout handler: {'/checkout' if preview.app.checkout else 'none (set checkout_app)'}")
        click.echo(f"Preview: {preview.url}/")
        serve_until_interrupted()
