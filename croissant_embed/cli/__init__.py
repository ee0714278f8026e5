"""The ``croissant-embed`` command line.

Exit codes:
  0  everything succeeded
  1  some products failed to sync, or an API call failed
  2  usage or configuration error (bad flags, settings, credentials)
  3  data errors over the configured threshold (invalid products or orders)
  4  the site or an output file could not be read or written (disk full, permissions)
 70  an internal error (a bug: the message says how to report it; no traceback is shown
     unless CROISSANT_DEBUG=1)
130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import click

from .. import __version__
from ..settings import debug_requested, environment_secret
from ..errors import ApiError, AuthError, ConfigError, CroissantError, DataError, PlanError, SiteError

EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE, EXIT_DATA, EXIT_FILES = 0, 1, 2, 3, 4
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130


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
        except SiteError as exc:
            _fail(exc, EXIT_FILES)
        except (ApiError, CroissantError) as exc:
            _fail(exc, EXIT_SYNC_FAILED)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # a bug: one clear line instead of a traceback
            if debug_requested():
                raise
            _fail(f"internal error ({type(exc).__name__}: {_masked(str(exc))[:300]}). This is a bug in croissant-embed: "
                  "run again with CROISSANT_DEBUG=1 for the details and report them.", EXIT_INTERNAL)


def serve_until_interrupted() -> None:
    """Block until Ctrl-C (for the commands that serve)."""
    click.echo("Press Ctrl-C to stop.", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("stopping", err=True)


def _masked(text: str) -> str:
    """``text`` without the client secret (an unexpected error may quote anything)."""
    secret = environment_secret()
    return text.replace(secret, "***") if secret else text


def _fail(exc: Exception | str, code: int) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="croissant-embed")
@click.option("-v", "--verbose", count=True, help="More log lines (-vv for debug).")
def main(verbose: int) -> None:
    """Bring Croissant's guaranteed buyback to a static store's product pages."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # httpx and httpcore log reason phrases and headers as the server sent them, and a hostile
    # server can echo a token there: only our own (redacted) API log lines are shown
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


from . import build_commands, carts_commands, preview_commands, sandbox_commands  # noqa: E402  (register the commands on ``main``)

__all__ = ["EXIT_DATA", "EXIT_FILES", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_SYNC_FAILED", "EXIT_USAGE", "build_commands", "carts_commands", "main", "preview_commands", "sandbox_commands"]
