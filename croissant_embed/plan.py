"""Plan stage: payloads, their hashes, and what to send (only what changed).

Guards: one id with two different payloads is an error naming both pages; the same payload
on several pages (a product listed twice) is sent once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Literal, Mapping

from .errors import PlanError
from .extract import Product
from .settings import Settings
from .sitefiles import atomic_file

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


def canonical_json(payload: Mapping[str, Any]) -> str:
    """The payload as compact JSON with sorted keys: what is hashed, kept and sent."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(payload: Mapping[str, Any]) -> str:
    """A stable fingerprint of a payload."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


_SHARED_SOURCES: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}


def shared_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """One dict object for every product whose fields came from the same sources."""
    key = tuple(sorted(sources.items()))
    return _SHARED_SOURCES.setdefault(key, dict(key))


@dataclass(frozen=True, slots=True)
class ProductRow:
    """What the plan keeps of one product page: small, so large catalogues stay cheap."""

    page: str
    id: str
    payload_json: str
    hash: str
    sources: dict[str, str]


def product_row(page: str, product: Product, settings: Settings) -> ProductRow:
    """The row of a product page: its payload (as canonical JSON) and the payload's hash."""
    text = canonical_json(payload_of(product, settings))
    return ProductRow(page, product.id, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), shared_sources(product.sources))


@dataclass(slots=True)
class PlannedProduct:
    """One product of the catalogue and what the sync will do with it."""

    id: str
    page: str
    payload_json: str | None
    sources: dict[str, str]
    action: Action
    hash: str | None = None
    problems: tuple[str, ...] = ()
    result: str = "skipped"
    error: str | None = None
    also_on: list[str] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any] | None:
        """The ``PUT`` body (decoded on demand from the kept JSON)."""
        return None if self.payload_json is None else json.loads(self.payload_json)

    @property
    def to_send(self) -> bool:
        """Whether the plan sends this product."""
        return self.action in ("create", "update")


def make_plan(
    rows: list[ProductRow],
    invalid: list[tuple[str, str | None, tuple[str, ...], dict[str, str]]],
    *,
    synced: Mapping[str, str],
    unconfirmed: Mapping[str, str] | None = None,
    full: bool = False,
) -> list[PlannedProduct]:
    """Every product with its action; raises PlanError for conflicting duplicates.

    A product in ``unconfirmed`` (a send that started but was never confirmed) is sent again
    even when its hash matches the confirmed one: that send may still land, with other data.
    """
    resend = unconfirmed or {}
    planned: dict[str, PlannedProduct] = {}
    conflicts: list[str] = []
    for row in rows:
        earlier = planned.get(row.id)
        if earlier is not None:
            if earlier.hash != row.hash:
                conflicts.append(f"product {row.id!r} has different data on {earlier.page} and {row.page}")
            else:
                earlier.also_on.append(row.page)
            continue
        previous = synced.get(row.id)
        changed = previous != row.hash or full or row.id in resend
        action: Action = "create" if previous is None else "update" if changed else "unchanged"
        planned[row.id] = PlannedProduct(row.id, row.page, row.payload_json, row.sources, action, row.hash)
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
    plan_id: str,
    target: str,
    environment: str,
    generation: int,
    entries: list[PlannedProduct],
    confirmed: Mapping[str, str],
    removed: list[str],
) -> None:
    """Write a plan for ``apply``: what to send, the hashes, and the state it was made against.

    Written record by record, with each payload's kept JSON spliced in as it is, so a large
    catalogue is never held twice in memory.
    """
    head = {
        "version": 1,
        "kind": PLAN_KIND,
        "id": plan_id,
        "target": target,
        "environment": environment,
        "generation": generation,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "removed": removed,
    }
    with atomic_file(path, "w") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',"products":[')
        first = True
        for e in entries:
            if not e.to_send:
                continue
            meta = json.dumps({"id": e.id, "page": e.page, "action": e.action, "hash": e.hash, "base": confirmed.get(e.id)}, ensure_ascii=False)
            out.write(("" if first else ",\n") + meta[:-1] + ',"payload":' + (e.payload_json or "{}") + "}")
            first = False
        out.write("]}\n")


def _text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# Every field a plan holds, with its check and what the check wants: apply reads them all.
_HEAD_FIELDS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("id", _text, "a non-empty string"),
    ("target", _text, "a non-empty string"),
    ("environment", _text, "a non-empty string"),
    ("generation", _count, "a whole number"),
    ("created_at", lambda v: isinstance(v, str), "a string"),
    ("removed", _texts, "a list of strings"),
    ("products", lambda v: isinstance(v, list), "a list"),
)
_PRODUCT_FIELDS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("id", _text, "a non-empty string"),
    ("page", lambda v: isinstance(v, str), "a string"),
    ("action", lambda v: v in ("create", "update"), '"create" or "update"'),
    ("hash", _text, "a non-empty string"),
    ("base", lambda v: v is None or isinstance(v, str), "a string or null"),
    ("payload", lambda v: isinstance(v, dict), "a JSON object"),
)


def _check_fields(body: dict[str, Any], fields: tuple[tuple[str, Callable[[Any], bool], str], ...], where: str) -> str | None:
    """What is wrong with ``body``'s fields, or None."""
    for key, check, wanted in fields:
        if key not in body:
            return f"{where}{key!r} is missing"
        if not check(body[key]):
            return f"{where}{key!r} must be {wanted}, not {json.dumps(body[key], ensure_ascii=False)[:40]}"
    return None


def _plan_problem(body: Any) -> str | None:
    """The first thing wrong with a plan's shape or hashes, or None."""
    if not isinstance(body, dict):
        return "not a JSON object"
    problem = _check_fields(body, _HEAD_FIELDS, "")
    if problem:
        return problem
    seen: set[str] = set()
    for index, product in enumerate(body["products"]):
        if not isinstance(product, dict):
            return f"products[{index}] must be a JSON object"
        problem = _check_fields(product, _PRODUCT_FIELDS, f"products[{index}]: ")
        if problem:
            return problem
        if product["id"] in seen:
            return f"product {product['id']!r} is listed twice"
        seen.add(product["id"])
        if payload_hash(product["payload"]) != product["hash"]:
            return f"product {product['id']!r} does not match its hash (the plan was edited or damaged)"
    return None


def read_plan(path: Path) -> dict[str, Any]:
    """A plan file, checked for shape; PlanError naming the file and the problem otherwise."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PlanError(f"{path}: not a readable plan ({exc})") from exc
    if isinstance(body, dict) and (body.get("kind") != PLAN_KIND or body.get("version") != 1):
        raise PlanError(f"{path}: not a croissant-embed plan (write one with build --plan)")
    problem = _plan_problem(body)
    if problem:
        raise PlanError(f"{path}: damaged plan: {problem}. Make a new plan with build --plan.")
    return body
