"""MkDocs plugin ``croissant``: runs the build step after ``mkdocs build``.

    plugins:
      - croissant:
          config_file: croissant.toml   # optional; default: croissant.toml beside mkdocs.yml
          sync: auto                    # auto | always | never (``mkdocs serve`` never syncs)

MkDocs' ``site_url`` is the base URL when the croissant settings give none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from ..errors import CroissantError
from . import run_after_generator, summary_line

log = get_plugin_logger("croissant")


class CroissantPluginConfig(base.Config):
    """The plugin's options in mkdocs.yml."""

    config_file = config_options.Optional(config_options.Type(str))
    sync = config_options.Choice(("auto", "always", "never"), default="auto")


class CroissantPlugin(BasePlugin[CroissantPluginConfig]):
    """Injects On-Site Messaging into the built site and syncs its products."""

    def __init__(self) -> None:
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is ``build``, ``gh-deploy`` or ``serve``."""
        self.command = command

    def on_post_build(self, *, config: Any) -> None:
        """Run the build step over the finished site folder."""
        root = Path(config["config_file_path"]).resolve().parent
        config_file = root / self.config.config_file if self.config.config_file else None
        sync_mode = "never" if self.command == "serve" else self.config.sync
        try:
            result = run_after_generator(Path(config["site_dir"]), root=root, config_file=config_file,
                                         site_url=config.get("site_url"), sync_mode=sync_mode)
        except CroissantError as exc:
            raise PluginError(str(exc)) from exc
        log.info("%s", summary_line(result))
