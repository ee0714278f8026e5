"""Plan files: a sync written down by ``build --plan``, and read back (checked) by ``apply``.

A plan holds what to send (each payload with its hash), the state generation it was made
against and the products that left the site. Reading checks every field and every hash, so a
damaged or edited plan is refused whole instead of being half sent.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from .contract import DEFAULT_MARKET, payload_hash
from .errors import PlanError
from .outputs import KINDS
from .plan import PlannedProduct
from .sitefiles import atomic_file

PLAN_KIND = KINDS["plan"]


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
    market: str = DEFAULT_MARKET,
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
        "market": market,
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
