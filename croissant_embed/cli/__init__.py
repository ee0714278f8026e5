"""The ``croissant-embed`` command line.

Exit codes:
  0  everything succeeded
  1  some products failed to sync, or an API call failed
  2  usage or configuration error (bad flags, settings, credentials)
  3  data errors over the configured threshold (invalid products or orders)
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import click

from .. import __version__
from ..errors import ApiError, AuthError, ConfigError, CroissantError, DataError, PlanError

EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3


class _Group(click.Group):
    """Turns the library's errors into messages and documented exit codes, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map the library's errors to messages and exit codes."""
        try:
            return super().invoke(ctx)
        except (ConfigError, AuthError) as exc:
            _fail(exc, EXIT_USAGE)
        except (DataError, PlanError) as exc:
            _fail(exc, EXIT_DATA)
        except (ApiError, CroissantError) as exc:
            _fail(exc, EXIT_SYNC_FAILED)


def serve_until_interrupted() -> None:
    """Block until Ctrl-C (for the commands that serve)."""
    click.echo("Press Ctrl-C to stop.", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("stopping", err=True)


def _fail(exc: Exception, code: int) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="croissant-embed")
@click.option("-v", "--verbose", count=True, help="More log lines (-vv for debug).")
def main(verbose: int) -> None:
    """Bring Croissant's guaranteed buyback to a static store's product pages."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


from . import build_commands, carts_commands, preview_commands, sandbox_commands  # noqa: E402  (register the commands on ``main``)

__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_SYNC_FAILED", "EXIT_USAGE", "build_commands", "carts_commands", "main", "preview_commands", "sandbox_commands"]
