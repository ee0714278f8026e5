"""Pelican plugin: runs the build step when Pelican has written the site.

In pelicanconf.py::

    PLUGINS = ["croissant_embed.integrations.pelican"]
    CROISSANT_CONFIG = "croissant.toml"   # optional; default: croissant.toml beside the settings
    CROISSANT_SYNC = "auto"               # auto | always | never

``SITEURL`` is the base URL when the croissant settings give none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from . import run_after_generator


def finalized(pelican: Any) -> None:
    """Pelican's ``finalized`` signal: the output folder is complete."""
    settings = pelican.settings
    root = Path(settings.get("PATH", ".")).resolve().parent
    config = settings.get("CROISSANT_CONFIG")
    run_after_generator(
        Path(pelican.output_path),
        root=root,
        config_file=(root / config) if config else None,
        site_url=settings.get("SITEURL") or None,
        sync_mode=settings.get("CROISSANT_SYNC", "auto"),
    )


def register() -> None:
    """Pelican's plugin entry point."""
    signals.finalized.connect(finalized)
