"""What one ``build`` asks for (the flags that are not settings) and how a build can end.

Apart from :mod:`.build`, so that the command line can tell whether the last build can be
replayed (:mod:`.replay`) without importing the build's stages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError


class Outcome(enum.Enum):
    """How a build ended (errors that stop it early are exceptions instead)."""

    OK = "ok"
    SYNC_FAILED = "some products failed to sync"
    REFUSED = "a guard stopped the sync (invalid or unplaced products, guessed currencies, conflicting duplicates or a sudden drop)"


@dataclass(frozen=True)
class BuildOptions:
    """What one ``build`` invocation asks for (the flags that are not settings)."""

    out_dir: Path | None = None
    dry_run: bool = False
    full: bool = False
    sync_mode: str = "auto"
    report_path: Path | None = None
    report_html_path: Path | None = None
    plan_path: Path | None = None
    prune_report: Path | None = None
    feed: str | None = None
    allow_drop: bool = False
    verify: bool = False

    def __post_init__(self) -> None:
        if self.verify and (self.dry_run or self.plan_path is not None):
            raise ConfigError(["--verify reads products back from Croissant: it needs a build that syncs, not --dry-run or --plan"])


__all__ = ["BuildOptions", "Outcome"]
