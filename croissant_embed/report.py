"""Report stage: the JSON report of a build or an applied plan (what people read is printed by the CLI)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .outputs import KINDS
from .plan import PlannedProduct, Result, result_of
from .sitefiles import atomic_file

VERSION = 1


@dataclass(frozen=True, slots=True)
class PageRecord:
    """What the build did with one page."""

    path: str
    status: str
    reason: str = ""
    product_id: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    placement: str = ""
    """Where the component went, by which rule (the marker, the selector, after the visible price)."""


def totals(pages: list[PageRecord], products: list[PlannedProduct], results: Mapping[str, Result]) -> dict[str, Any]:
    """Counts per page status, product action and product result."""
    out: dict[str, Any] = {"pages": len(pages), "products": len(products)}
    for record in pages:
        out[f"pages_{record.status.replace('-', '_')}"] = out.get(f"pages_{record.status.replace('-', '_')}", 0) + 1
    for entry in products:
        out[f"action_{entry.action}"] = out.get(f"action_{entry.action}", 0) + 1
        result = f"result_{result_of(entry, results).status.replace('-', '_')}"  # re-sent -> result_re_sent, like the page statuses
        out[result] = out.get(result, 0) + 1
    out["warnings"] = sum(len(record.warnings) for record in pages)
    return out


def _page_json(record: PageRecord) -> str:
    return json.dumps({"path": record.path, "status": record.status, "reason": record.reason,
                       "product_id": record.product_id, "warnings": list(record.warnings), "placement": record.placement},
                      ensure_ascii=False)


def _product_json(entry: PlannedProduct, result: Result) -> str:
    head = json.dumps({"id": entry.id, "page": entry.page, "also_on": list(entry.also_on), "market": entry.market}, ensure_ascii=False)[:-1]
    tail = json.dumps({"sources": entry.sources, "action": entry.action, "result": result.status, "error": result.error},
                      ensure_ascii=False)[1:]
    return f'{head}, "payload": {entry.payload_json or "null"}, {tail}'


def write_report(
    path: Path,
    pages: list[PageRecord],
    products: list[PlannedProduct],
    results: Mapping[str, Result],
    *,
    environment: str | None = None,
    dry_run: bool | None = None,
    timings: Mapping[str, float] | None = None,
    note: str | None = None,
) -> None:
    """Write the report (paths relative to the site, with ``/``), one record at a time.

    Streaming keeps a large site's report from being held in memory twice (as objects and
    as one big string); the file replaces its target atomically. A build's report carries
    its environment, dry-run flag and timings; an applied plan's, its note.
    """
    head = {"environment": environment, "dry_run": dry_run, "timings": timings, "note": note}
    encoders = (("pages", pages, _page_json), ("products", products, lambda entry: _product_json(entry, result_of(entry, results))))
    with atomic_file(path, "w") as out:
        out.write('{"kind": %s, "version": %d' % (json.dumps(KINDS["report"]), VERSION))
        for key, value in head.items():
            if value is not None:
                out.write(f", {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        for name, items, encode in encoders:
            out.write(f',\n "{name}": [')
            for index, item in enumerate(items):
                out.write(("," if index else "") + "\n  " + encode(item))
            out.write("\n ]")
        out.write(',\n "totals": ' + json.dumps(totals(pages, products, results)) + "\n}\n")
