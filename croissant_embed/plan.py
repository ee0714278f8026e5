"""Plan stage: what the sync will do with each product (only what changed is sent).

The same payload on several pages (a product listed twice) is planned once, with its other
pages in ``also_on``. What a sync then makes of each product is kept apart, as
:class:`Result` values by product id, so the plan itself never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping, NamedTuple

from .contract import ProductRow

Action = Literal["create", "update", "unchanged", "invalid"]


class InvalidProduct(NamedTuple):
    """A product page whose data cannot be sent: where, which product, and why."""

    page: str
    product_id: str | None
    problems: tuple[str, ...]
    sources: dict[str, str]


@dataclass(frozen=True, slots=True)
class PlannedProduct:
    """One product of the catalogue and what the sync will do with it."""

    id: str
    page: str
    payload_json: str | None
    sources: dict[str, str]
    action: Action
    hash: str | None = None
    problems: tuple[str, ...] = ()
    also_on: tuple[str, ...] = ()

    @property
    def to_send(self) -> bool:
        """Whether the plan sends this product."""
        return self.action in ("create", "update")


class Result(NamedTuple):
    """What became of one product: synced, failed, planned, skipped, verified or re-sent."""

    status: str
    error: str | None = None


Results = dict[str, Result]
"""Product id -> what the sync made of it (products it did not reach are absent)."""


def result_of(entry: PlannedProduct, results: Mapping[str, Result]) -> Result:
    """What became of ``entry``: its result, ``skipped`` when none, its problems when invalid."""
    if entry.action == "invalid":
        return Result("skipped", "; ".join(entry.problems))
    return results.get(entry.id, Result("skipped"))


def all_sent(results: Mapping[str, Result]) -> bool:
    """Whether no product failed."""
    return not any(result.status == "failed" for result in results.values())


def make_plan(
    rows: list[ProductRow],
    invalid: list[InvalidProduct],
    *,
    synced: Mapping[str, str],
    unconfirmed: Mapping[str, str] | None = None,
    full: bool = False,
) -> list[PlannedProduct]:
    """Every product with its action (the first page of a duplicated id is planned).

    A product in ``unconfirmed`` (a send that started but was never confirmed) is sent again
    even when its hash matches the confirmed one: that send may still land, with other data.
    Conflicting duplicates are the guards' concern (:func:`.guards.conflicting_duplicates`).
    """
    resend = unconfirmed or {}
    first: dict[str, ProductRow] = {}
    also_on: dict[str, list[str]] = {}
    for row in rows:
        if row.id in first:
            if first[row.id].hash == row.hash:
                also_on.setdefault(row.id, []).append(row.page)
            continue
        first[row.id] = row
    entries: list[PlannedProduct] = []
    for row in first.values():
        previous = synced.get(row.id)
        changed = previous != row.hash or full or row.id in resend
        action: Action = "create" if previous is None else "update" if changed else "unchanged"
        entries.append(PlannedProduct(row.id, row.page, row.payload_json, row.sources, action, row.hash, (), tuple(also_on.get(row.id, ()))))
    entries += [PlannedProduct(bad.product_id or "", bad.page, None, bad.sources, "invalid", problems=bad.problems) for bad in invalid]
    return entries


def plan_summary(entries: list[PlannedProduct]) -> dict[str, int]:
    """Counts per action."""
    counts = {"create": 0, "update": 0, "unchanged": 0, "invalid": 0}
    for entry in entries:
        counts[entry.action] += 1
    return counts
