"""Plan stage: payloads, their hashes, and what to send (only what changed).

Guards: one id with two different payloads is an error naming both pages; the same payload
on several pages (a product listed twice) is sent once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

from .errors import PlanError
from .extract import Product
from .settings import Settings

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
        raise PlanError("; ".join(conflicts) + ". Give each product one id, or make its pages agree.")
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
