"""Thin adapters that run the build step from inside generators (MkDocs, Pelican, Jinja2).

Each one only translates the generator's configuration and hooks into a call of
:func:`run_after_generator`; the build itself is the same core as ``croissant-embed build``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from ..build import BuildOptions, BuildResult, Outcome, run_build
from ..plan import result_of
from ..errors import BuildFailed
from ..settings import load_settings
from ..summary import one_line

log = logging.getLogger("croissant_embed")


def run_after_generator(
    site_dir: Path,
    *,
    root: Path,
    config_file: Path | None = None,
    site_url: str | None = None,
    sync_mode: str = "auto",
) -> BuildResult:
    """Run the build step over a generator's output folder; BuildFailed unless it succeeded."""
    settings = load_settings(config=config_file, cwd=root, overrides={"site_dir": Path(site_dir).resolve()})
    if settings.base_url is None and site_url:
        settings = replace(settings, base_url=site_url if site_url.endswith("/") else site_url + "/")
    result = run_build(settings, BuildOptions(sync_mode=sync_mode))
    if result.outcome is not Outcome.OK:  # the messages say why: they become the one error the generator shows
        outcomes = [(p, result_of(p, result.results)) for p in result.products]
        failed = [(p, outcome) for p, outcome in outcomes if outcome.status == "failed"]
        detail = " ".join(line.strip() for line in result.messages) or "; ".join(f"{p.id}: {outcome.error}" for p, outcome in failed[:5])
        raise BuildFailed(f"croissant-embed: {result.outcome.value}: {detail}")
    for message in result.messages:
        log.warning("croissant-embed: %s", message)
    return result


def summary_line(result: BuildResult) -> str:
    """The one line a plugin prints when the build step succeeded."""
    return one_line(result.pages, result.products, result.results, synced=result.plan_path is None)
