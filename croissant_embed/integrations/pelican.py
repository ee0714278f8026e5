"""Pelican plugin: runs the build step when Pelican has written the site.

In pelicanconf.py::

    PLUGINS = ["croissant_embed.integrations.pelican"]
    CROISSANT_CONFIG = "croissant.toml"   # optional; default: croissant.toml beside the settings
    CROISSANT_SYNC = "auto"               # auto | always | never

``SITEURL`` is the base URL when the croissant settings give none. A failed build ends
``pelican`` with exit code 1 and the build step's message, logged as a critical error.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.log import console

from ..errors import CroissantError
from . import run_after_generator, summary_line

log = logging.getLogger("croissant_embed")


def finalized(pelican: Any) -> None:
    """Pelican's ``finalized`` signal: the output folder is complete."""
    settings = pelican.settings
    root = Path(settings.get("PATH", ".")).resolve().parent
    config = settings.get("CROISSANT_CONFIG")
    try:
        result = run_after_generator(
            Path(pelican.output_path),
            root=root,
            config_file=(root / config) if config else None,
            site_url=settings.get("SITEURL") or None,
            sync_mode=settings.get("CROISSANT_SYNC", "auto"),
        )
    except CroissantError as exc:
        # Pelican logs any exception a plugin raises with its traceback; SystemExit is not
        # caught there, so the run ends with Pelican's exit code 1 and our message alone.
        log.critical("%s", exc)
        raise SystemExit(1) from exc
    console.print(summary_line(result), markup=False, highlight=False)  # as Pelican prints its own "Done:" line


def register() -> None:
    """Pelican's plugin entry point."""
    signals.finalized.connect(finalized)
