"""Report stage: the JSON build report and the summary printed at the end."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .plan import PlannedProduct
from .sitefiles import write_atomic

VERSION = 1


@dataclass(frozen=True)
class PageRecord:
    """What the build did with one page."""

    path: str
    status: str
    reason: str = ""
    product_id: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def totals(pages: list[PageRecord], products: list[PlannedProduct]) -> dict[str, Any]:
    """Counts per page status, product action and product result."""
    out: dict[str, Any] = {"pages": len(pages), "products": len(products)}
    for record in pages:
        out[f"pages_{record.status.replace('-', '_')}"] = out.get(f"pages_{record.status.replace('-', '_')}", 0) + 1
    for entry in products:
        out[f"action_{entry.action}"] = out.get(f"action_{entry.action}", 0) + 1
        out[f"result_{entry.result}"] = out.get(f"result_{entry.result}", 0) + 1
    out["warnings"] = sum(len(record.warnings) for record in pages)
    return out


def build_report(pages: list[PageRecord], products: list[PlannedProduct], **extra: Any) -> dict[str, Any]:
    """The report as JSON-ready data (paths relative to the site, with ``/``)."""
    return {
        "version": VERSION,
        **extra,
        "pages": [
            {"path": r.path, "status": r.status, "reason": r.reason, "product_id": r.product_id, "warnings": list(r.warnings)}
            for r in pages
        ],
        "products": [
            {
                "id": e.id, "page": e.page, "also_on": e.also_on, "payload": e.payload, "sources": e.sources,
                "action": e.action, "result": e.result, "error": e.error,
            }
            for e in products
        ],
        "totals": totals(pages, products),
    }


def write_report(path: Path, report: dict[str, Any]) -> None:
    """Write the report atomically."""
    write_atomic(path, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
