"""The files a build writes besides the pages, checked before any page is touched.

``--report``, ``--report-html``, ``--plan``, ``--prune-report`` and ``--feed`` name files.
None of them may replace a file croissant-embed did not write itself (a page of the site, a
config, anyone's data): an existing file is replaced only when it carries the mark of the
output it would become. Each output of this version starts with its ``kind`` (the HTML
report, in its generator ``<meta>``); outputs of version 0.1 are recognised by their shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .settings import Settings

KINDS = {
    "report": "croissant-embed-report",
    "plan": "croissant-embed-plan",
    "prune-report": "croissant-embed-prune-report",
    "feed-json": "croissant-embed-feed",
    "feed-xml": "croissant-embed-feed",
    "report-html": "croissant-embed-report-html",
}
PLAN_NAME = "plan.json"
"""The plan's file in the state folder, unless ``--plan`` names another."""
_HEAD_BYTES = 64 * 1024
_LEGACY = {
    # version 0.1 wrote these shapes without a kind
    "report": re.compile(rb'^\{"version": 1[,\n].*\n "pages": \[', re.S),
    "prune-report": re.compile(rb'^\{\n  "version": 1,\n  "target": ', re.S),
    "feed-json": re.compile(rb'^\{\n "products": \[', re.S),
    "feed-xml": re.compile(rb"<description>Product feed written by croissant-embed</description>"),
}


@dataclass(frozen=True)
class OutputFile:
    """One file a build will write: the flag that named it, its path and what it holds."""

    flag: str
    path: Path
    kind: str


def written_by_us(path: Path, kind: str) -> bool:
    """Whether the existing file at ``path`` is a croissant-embed output of ``kind``."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    # the whole name, not a prefix: "croissant-embed-report" also begins "croissant-embed-report-html"
    if re.search(rb"(?<![\w-])" + re.escape(KINDS[kind].encode("ascii")) + rb"(?![\w-])", head[:512]):
        return True
    legacy = _LEGACY.get(kind)
    return bool(legacy and legacy.search(head))


def output_problems(outputs: list[OutputFile], *, site: Path) -> list[str]:
    """Why each output may not be written where it was asked to (empty when all may)."""
    problems: list[str] = []
    claimed: dict[Path, str] = {}
    site = site.resolve()
    for output in outputs:
        path, flag = output.path, f"{output.flag} {output.path}"
        if path.is_symlink():
            problems.append(f"{flag}: is a symbolic link; give the path of a real file")
            continue
        resolved = path.resolve()
        if resolved in claimed:
            problems.append(f"{flag}: is also the file of {claimed[resolved]}; give each output its own file")
            continue
        claimed[resolved] = output.flag
        if resolved == site or resolved in site.parents or resolved.is_dir():
            problems.append(f"{flag}: is a folder; give a file path such as report.json")
        elif resolved.exists() and not written_by_us(resolved, output.kind):
            where = "a page of the site" if site in resolved.parents and resolved.suffix.lower() in (".html", ".htm") else "a file"
            problems.append(
                f"{flag}: is {where} that croissant-embed did not write, and it is never overwritten; "
                "choose another path (or remove the file yourself)"
            )
    return problems


def plan_file(path: Path, settings: Settings) -> Path:
    """Where a market's plan goes: the plan's path, with the market's name before the suffix outside the default market."""
    return path if settings.market is None else path.with_name(f"{path.stem}.{settings.market.name}{path.suffix}")
