"""What a build did, for people: one line, failures grouped by cause, and the forms CI shows.

The command line prints these, the generator plugins log the one line, and under CI the same
facts become a GitHub step summary (Markdown) with annotations on the pages concerned, or a
GitLab collapsible section. Pure: text in, text out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable, Mapping

from .plan import PlannedProduct, Result, plan_summary, result_of
from .report import PageRecord

EXAMPLES = 3
"""Products named in a grouped failure line (the rest are counted)."""
MAX_ANNOTATIONS = 50
"""GitHub shows only so many annotations per step; the summary lists everything."""
PROBLEM_STATUSES = ("invalid", "unplaced", "error")


@dataclass(frozen=True)
class Failure:
    """One cause and the products it stopped."""

    cause: str
    entries: tuple[PlannedProduct, ...]

    def line(self) -> str:
        """``cause: N products not synced, e.g. 'a' (page), 'b', 'c' ...``."""
        named = [f"{entry.id!r} ({entry.page})" if index == 0 else repr(entry.id) for index, entry in enumerate(self.entries[:EXAMPLES])]
        more = " ..." if len(self.entries) > EXAMPLES else ""
        count = f"{len(self.entries)} product{'s' if len(self.entries) != 1 else ''}"
        return f"{self.cause}: {count} not synced, e.g. {', '.join(named)}{more}"


def failures(products: Iterable[PlannedProduct], results: Mapping[str, Result]) -> list[Failure]:
    """Failed products grouped by what went wrong, the largest group first."""
    groups: dict[str, list[PlannedProduct]] = {}
    for entry in products:
        outcome = result_of(entry, results)
        if outcome.status == "failed":
            groups.setdefault(outcome.cause or outcome.error or "unknown error", []).append(entry)
    return sorted((Failure(cause, tuple(entries)) for cause, entries in groups.items()), key=lambda f: -len(f.entries))


def page_counts(pages: Iterable[PageRecord]) -> str:
    """``13 injected, 1 invalid, 8 not-product``."""
    counts: dict[str, int] = {}
    for record in pages:
        counts[record.status] = counts.get(record.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def sync_counts(products: list[PlannedProduct], results: Mapping[str, Result]) -> tuple[int, int]:
    """How many products were synced and how many failed."""
    statuses = [result_of(entry, results).status for entry in products]
    return statuses.count("synced") + statuses.count("re-sent"), statuses.count("failed")


def one_line(pages: list[PageRecord], products: list[PlannedProduct], results: Mapping[str, Result], *, synced: bool) -> str:
    """The build in one line: pages, products, and what the sync did (or that it did not run)."""
    plan = plan_summary(products)
    done, failed = sync_counts(products, results)
    sync = f"sync: {done} synced, {failed} failed" if synced else "not synced"
    return (f"croissant-embed: {len(pages)} pages ({page_counts(pages)}); products: {plan['create']} to create, "
            f"{plan['update']} to update, {plan['unchanged']} unchanged, {plan['invalid']} invalid; {sync}")


def problem_pages(pages: Iterable[PageRecord]) -> list[PageRecord]:
    """Pages that are invalid, unplaced or in error."""
    return [record for record in pages if record.status in PROBLEM_STATUSES]


# -- GitHub Actions ----------------------------------------------------------------------


def _cell(text: object) -> str:
    """Text safe in a Markdown table cell (no pipes, no line breaks, no raw HTML)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
            .replace("\r", " ").replace("\n", " "))


def markdown(
    pages: list[PageRecord], products: list[PlannedProduct], results: Mapping[str, Result], *,
    title: str, target: str, synced: bool, messages: Iterable[str] = (),
) -> str:
    """The GitHub step summary: totals, failures grouped, invalid and unplaced pages with their reasons."""
    plan = plan_summary(products)
    done, failed = sync_counts(products, results)
    lines = [f"### croissant-embed: {_cell(title)}", "", "| | |", "|---|---|",
             f"| pages | {len(pages)} ({_cell(page_counts(pages))}) |",
             f"| products | {plan['create']} to create, {plan['update']} to update, {plan['unchanged']} unchanged, {plan['invalid']} invalid |",
             f"| sync | {f'{done} synced, {failed} failed' if synced else 'not synced'} |",
             f"| target | {_cell(target)} |", ""]
    grouped = failures(products, results)
    if grouped:
        lines += ["#### Not synced", "", *(f"- {_cell(failure.line())}" for failure in grouped), ""]
    problems = problem_pages(pages)
    if problems:
        lines += ["#### Pages to fix", "", "| page | status | product | reason |", "|---|---|---|---|"]
        lines += [f"| {_cell(r.path)} | {r.status} | {_cell(r.product_id or '')} | {_cell(r.reason)} |" for r in problems]
        lines.append("")
    notes = [message for message in messages if message.strip()]
    if notes:
        lines += ["#### Messages", "", *(f"- {_cell(message)}" for message in notes), ""]
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(pages: list[PageRecord], products: list[PlannedProduct], results: Mapping[str, Result], *, site_prefix: str) -> list[str]:
    """GitHub workflow commands (``::error file=...::``) for invalid, unplaced and error pages and failed products.

    ``site_prefix`` is the site folder relative to the repository, so that each annotation
    points at the built page.
    """
    found: list[str] = []
    kinds = {"invalid": ("error", "invalid product"), "error": ("error", "page not processed"),
             "unplaced": ("warning", "no place for the component")}
    for record in problem_pages(pages):
        level, what = kinds[record.status]
        title = f"croissant-embed: {what}" + (f" {record.product_id}" if record.product_id else "")
        found.append(f"::{level} file={_escape_property(site_prefix + record.path)},title={_escape_property(title)}::{_escape_data(record.reason)}")
    for failure in failures(products, results):
        for entry in failure.entries:
            title = f"croissant-embed: product {entry.id} not synced"
            found.append(f"::error file={_escape_property(site_prefix + entry.page)},title={_escape_property(title)}::{_escape_data(failure.cause)}")
    if len(found) > MAX_ANNOTATIONS:
        found = found[:MAX_ANNOTATIONS] + [f"::warning title=croissant-embed::{len(found) - MAX_ANNOTATIONS} more problems: see the step summary"]
    return found


# -- GitLab CI ---------------------------------------------------------------------------


def gitlab_section(name: str, header: str, lines: list[str], *, now: float | None = None) -> list[str]:
    """``lines`` inside a collapsed GitLab log section headed ``header``."""
    stamp = int(now if now is not None else time.time())
    return [f"\x1b[0Ksection_start:{stamp}:{name}[collapsed=true]\r\x1b[0K{header}", *lines,
            f"\x1b[0Ksection_end:{stamp}:{name}\r\x1b[0K"]
