"""Plan stage: payloads, their hashes, and what to send (only what changed).

Guards: one id with two different payloads is an error naming both pages; the same payload
on several pages (a product listed twice) is sent once.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, Mapping

from .errors import PlanError
from .extract import Product
from .settings import Settings
from .sitefiles import write_atomic

Action = Literal["create", "update", "unchanged", "invalid"]


def payload_of(product: Product, settings: Settings) -> dict[str, Any]:
    """The ``PUT /products/{id}`` body: contract fields (renamed as configured) plus constants."""
    values = product.fields()
    body: dict[str, Any] = {}
    for canonical, key in settings.field_names:
        if canonical in values:
            body[key] = values[canonical]
    for key, value in settings.extra_fields:
        body.setdefault(key, value)
    return body


def payload_hash(payload: Mapping[str, Any]) -> str:
    """A stable fingerprint of a payload."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class PlannedProduct:
    """One product of the catalogue and what the sync will do with it."""

    id: str
    page: str
    payload: dict[str, Any] | None
    sources: dict[str, str]
    action: Action
    hash: str | None = None
    problems: tuple[str, ...] = ()
    result: str = "skipped"
    error: str | None = None
    also_on: list[str] = field(default_factory=list)

    @property
    def to_send(self) -> bool:
        """Whether the plan sends this product."""
        return self.action in ("create", "update")


def make_plan(
    products: list[tuple[str, Product]],
    invalid: list[tuple[str, str | None, tuple[str, ...], dict[str, str]]],
    *,
    synced: Mapping[str, str],
    settings: Settings,
    full: bool = False,
) -> list[PlannedProduct]:
    """Every product with its action; raises PlanError for conflicting duplicates."""
    planned: dict[str, PlannedProduct] = {}
    conflicts: list[str] = []
    for page, product in products:
        payload = payload_of(product, settings)
        digest = payload_hash(payload)
        earlier = planned.get(product.id)
        if earlier is not None:
            if earlier.hash != digest:
                conflicts.append(f"product {product.id!r} has different data on {earlier.page} and {page}")
            else:
                earlier.also_on.append(page)
            continue
        previous = synced.get(product.id)
        action: Action = "create" if previous is None else "update" if previous != digest or full else "unchanged"
        planned[product.id] = PlannedProduct(product.id, page, payload, dict(product.sources), action, digest)
    if conflicts:
        raise PlanError(
            "; ".join(conflicts) + ". Give each product one id, or make its pages agree: state the product URL in the data "
            "(data-croissant-url, or url in the structured data), or exclude listing pages that repeat product data."
        )
    entries = list(planned.values())
    for page, product_id, problems, sources in invalid:
        entries.append(PlannedProduct(product_id or "", page, None, sources, "invalid", problems=problems, error="; ".join(problems)))
    return entries


def plan_summary(entries: list[PlannedProduct]) -> dict[str, int]:
    """Counts per action."""
    counts = {"create": 0, "update": 0, "unchanged": 0, "invalid": 0}
    for entry in entries:
        counts[entry.action] += 1
    return counts


PLAN_KIND = "croissant-embed-plan"


def write_plan(
    path: Path,
    *,
    target: str,
    environment: str,
    generation: int,
    entries: list[PlannedProduct],
    confirmed: Mapping[str, str],
    removed: list[str],
) -> str:
    """Write a plan for ``apply``: what to send, the hashes, and the state it was made against."""
    plan_id = str(uuid.uuid4())
    body = {
        "version": 1,
        "kind": PLAN_KIND,
        "id": plan_id,
        "target": target,
        "environment": environment,
        "generation": generation,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "products": [
            {"id": e.id, "page": e.page, "action": e.action, "hash": e.hash, "base": confirmed.get(e.id), "payload": e.payload}
            for e in entries
            if e.to_send
        ],
        "removed": removed,
    }
    write_atomic(path, (json.dumps(body, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8"))
    return plan_id


def read_plan(path: Path) -> dict[str, Any]:
    """A plan file, checked for shape; PlanError naming the problem otherwise."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PlanError(f"{path}: not a readable plan ({exc})") from exc
    if not isinstance(body, dict) or body.get("kind") != PLAN_KIND or body.get("version") != 1:
        raise PlanError(f"{path}: not a croissant-embed plan (write one with build --plan)")
    for product in body.get("products", []):
        if not isinstance(product, dict) or payload_hash(product.get("payload") or {}) != product.get("hash"):
            raise PlanError(f"{path}: product {product.get('id')!r} does not match its hash; the plan was edited or damaged")
    return body
