"""Report stage, for people: a build's report as one self-contained HTML page (``templates/report.html``).

The page holds everything it needs (inline style and script, no external asset), so it opens
offline from a file, from a CI artifact or from the preview (``/_croissant/``). What it shows
comes from what the JSON report holds; product data is untrusted text, so it reaches the page
only through an autoescaping, strict Jinja2 template, and the script only through ``tojson``.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import quote

import jinja2

from .contract import FIELDS, VARIANT_FIELDS
from .currencies import is_currency
from .errors import ConfigError
from .extract import OWN_COMPONENT
from .extract.prices import format_minor
from .outputs import KINDS
from .plan import PlannedProduct, Result, result_of
from .report import PageRecord
from .settings import Settings, builtin_templates_dir
from .sitefiles import atomic_file

if TYPE_CHECKING:
    from .build import BuildResult

TEMPLATE = "report.html"
HIGHLIGHT_TEMPLATE = "highlight.html"
HIGHLIGHT_QUERY = "croissant-highlight"
"""The query parameter that makes the preview outline the component on the page it serves."""
PAGE_STATUSES = ("error", "invalid", "unplaced", "injected", "unchanged")
"""Page statuses shown, worst first (``not-product`` pages are only counted)."""
RESULT_GROUPS = {
    "failed": "Failed: the server's message",
    "invalid": "Invalid: not sent, with the problems to fix",
    "skipped": "Not sent: the sync stopped before them",
    "re-sent": "Re-sent: Croissant held other data",
    "synced": "Synced",
    "verified": "Verified: Croissant holds what the site shows",
    "planned": "Planned: sent later by apply",
    "unchanged": "Unchanged since the last sync",
}
"""Products by what the sync made of them, in the order the report lists them."""

PageUrl = Callable[[str], str]
"""A page's link in the report, from its path relative to the site (``products/a/index.html``)."""


@dataclass(frozen=True)
class ReportData:
    """What the report shows: the pages, the products and their results, and what left the site."""

    pages: Sequence[PageRecord]
    products: Sequence[PlannedProduct]
    results: Mapping[str, Result]
    site: Path
    """The folder the pages are in (the processed copy, with ``--out``)."""
    dry_run: bool = False
    outcome: str | None = None
    """How the build ended: ``ok``, else what stopped or failed (:class:`.build.Outcome`'s value)."""
    messages: Sequence[str] = ()
    timings: Mapping[str, float] | None = None
    removed: Sequence[tuple[str, str]] = ()
    """(market, product id) of each product synced before that is no longer on the site."""

    @classmethod
    def of_build(cls, result: BuildResult, *, dry_run: bool = False) -> ReportData:
        """What a build did, as the report shows it."""
        return cls(result.pages, result.products, result.results, site=result.site, dry_run=dry_run,
                   outcome=result.outcome.value, messages=tuple(result.messages), timings=result.timings,
                   removed=tuple(result.removed))


def links_from(report: Path, site: Path) -> PageUrl:
    """Links to the site's pages relative to where the report is written (absolute ``file:`` URLs across drives)."""
    try:
        base = Path(os.path.relpath(site.resolve(), report.resolve().parent)).as_posix()
    except ValueError:  # another drive: no relative path exists
        return lambda path: site.resolve().joinpath(path).as_uri()
    return lambda path: quote(posixpath.normpath(posixpath.join(base, path)))


def preview_links(path: str) -> str:
    """A page's URL on the preview's own origin, asking it to outline the component."""
    folder = path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path
    return "/" + quote(folder) + "?" + HIGHLIGHT_QUERY


def write_report_html(path: Path, settings: Settings, data: ReportData) -> None:
    """Write the report to ``path`` atomically, streamed, its page links relative to it."""
    chunks = _render(settings, data, page_url=links_from(path, data.site))
    with atomic_file(path, "w") as out:
        for chunk in chunks:
            out.write(chunk)


def render_report_html(settings: Settings, data: ReportData, *, page_url: PageUrl) -> str:
    """The report as one string (for the preview, which serves it from memory)."""
    return "".join(_render(settings, data, page_url=page_url))


def highlight_snippet(settings: Settings) -> str:
    """The style and script that outline the component on a page the preview serves with ``?croissant-highlight``."""
    return "".join(_generate(settings, HIGHLIGHT_TEMPLATE, {}))


def _render(settings: Settings, data: ReportData, *, page_url: PageUrl) -> Iterator[str]:
    keys = dict(settings.payload.keys)
    products = [_product_view(entry, result_of(entry, data.results), keys, page_url) for entry in data.products]
    by_page: dict[str, list[dict[str, Any]]] = {}
    for view in products:
        for page in (view["page"], *view["also_on"]):
            by_page.setdefault(page, []).append(view)
    pages = sorted((record for record in data.pages if record.status != "not-product"), key=lambda r: (_page_order(r.status), r.path))
    page_counts = Counter(record.status for record in pages)
    product_counts = Counter(view["group"] for view in products)
    context = {
        "generator": KINDS["report-html"],
        "environment": settings.environment,
        "target": settings.target_label,
        "site": str(data.site),
        "dry_run": data.dry_run,
        "outcome": data.outcome,
        "messages": list(data.messages),
        "timings": dict(data.timings or {}),
        "all_pages": len(data.pages),
        "not_product": len(data.pages) - len(pages),
        "warnings": sum(len(record.warnings) for record in data.pages),
        "page_counts": [(status, page_counts[status]) for status in sorted(page_counts, key=_page_order)],
        "product_counts": [(group, product_counts[group]) for group in RESULT_GROUPS if product_counts[group]],
        "groups": [(group, RESULT_GROUPS[group], [view for view in products if view["group"] == group])
                   for group in RESULT_GROUPS if product_counts[group]],
        "show_market": len({entry.market for entry in data.products}) > 1,
        "removed": list(data.removed),
        # generated while the template runs, so a large site's cards are never all held at once
        "pages": (_page_view(record, by_page.get(record.path, []), page_url) for record in pages),
        "page_count": len(pages),
    }
    return _generate(settings, TEMPLATE, context)


def _page_order(status: str) -> int:
    return PAGE_STATUSES.index(status) if status in PAGE_STATUSES else 0


def _generate(settings: Settings, name: str, context: dict[str, Any]) -> Iterator[str]:
    """The template's output, chunk by chunk; a template error becomes a ConfigError naming it."""
    folders = [str(settings.templates_dir)] if settings.templates_dir else []
    folders.append(str(builtin_templates_dir()))  # a user's own report.html first, as for every template
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        yield from environment.get_template(name).generate(context)
    except jinja2.TemplateError as exc:
        raise ConfigError([f"template {getattr(exc, 'filename', None) or name}: {exc}"]) from exc


def _page_view(record: PageRecord, products: list[dict[str, Any]], page_url: PageUrl) -> dict[str, Any]:
    """One page's card: its status, where the component went, its warnings and its products."""
    ids = [record.product_id] if record.product_id else []
    search = " ".join([record.path, *ids, *(f"{view['id']} {view['name']}" for view in products)])
    return {
        "path": record.path, "url": page_url(record.path), "status": record.status, "product_id": record.product_id,
        "placement": _placement(record, products), "warnings": [w for w in record.warnings if w != OWN_COMPONENT],
        "products": products, "search": search.lower(),
    }


def _placement(record: PageRecord, products: list[dict[str, Any]]) -> str:
    """Where the component went, as far as the page's record says (else why it did not go anywhere)."""
    if OWN_COMPONENT in record.warnings:
        return OWN_COMPONENT
    if record.status in ("injected", "unchanged") and record.product_id:
        where = f": {record.placement}" if record.placement else ""
        return ("component injected" if record.status == "injected" else "component in place, unchanged since the last build") + where
    if record.status == "invalid" and products:
        return "no component: the product's data cannot be sent (the problems are below)"
    return record.reason or record.status


def _product_view(entry: PlannedProduct, result: Result, keys: dict[str, str], page_url: PageUrl) -> dict[str, Any]:
    """One product: its fields with the source of each, its action and what the sync made of it."""
    payload = json.loads(entry.payload_json) if entry.payload_json else {}
    fields = [("id", "/products/{id}", entry.id, entry.sources.get("id", ""))]
    shown = set()
    for name in (*FIELDS[1:], *VARIANT_FIELDS):
        key = keys.get(name)
        if key in payload or name in entry.sources:
            shown.add(key)
            currency = payload.get(keys.get("currency", "")) if name == "price" else None
            fields.append((name, key or "", _text(payload.get(key), currency), entry.sources.get(name, "")))
    fields += [(key, key, _text(value), "[payload.extra]") for key, value in payload.items() if key not in shown]
    group = "invalid" if entry.action == "invalid" else (
        "unchanged" if entry.action == "unchanged" and result.status == "skipped" else result.status)
    name = payload.get(keys.get("name", ""))
    return {
        "id": entry.id, "name": name if isinstance(name, str) else "", "page": entry.page, "url": page_url(entry.page),
        "also_on": list(entry.also_on), "market": entry.market, "action": entry.action, "result": result.status,
        "group": group, "message": result.error or "", "fields": fields, "problems": list(entry.problems),
        "search": " ".join([entry.id, name if isinstance(name, str) else "", entry.page, *entry.also_on]).lower(),
    }


def _text(value: Any, currency: Any = None) -> str:
    """A payload value as people read it (a price in minor units also as a decimal amount of ``currency``)."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and isinstance(currency, str) and is_currency(currency):
        return f"{value} ({format_minor(value, currency)} {currency})"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
