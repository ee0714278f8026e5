"""Plan stage: what the sync will do with each product (only what changed is sent).

The same payload on several pages (a product listed twice), or translations of one product
(:func:`translations`), is planned once, with its other pages in ``also_on``. What a sync
then makes of each product is kept apart, as :class:`Result` values by product id, so the
plan itself never changes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal, Mapping, NamedTuple
from urllib.parse import urlsplit

from .contract import DEFAULT_MARKET, PayloadShape, ProductRow, StoredPayload, payload_text

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
    payload: str | StoredPayload | None
    """The payload's canonical JSON (:attr:`payload_json`), or where it is kept; None for an invalid product."""
    sources: dict[str, str]
    action: Action
    hash: str | None = None
    problems: tuple[str, ...] = ()
    also_on: tuple[str, ...] = ()
    market: str = DEFAULT_MARKET

    @property
    def key(self) -> str:
        """What the product's result is kept under: its id, with its market's name outside the default market
        (markets of different merchants may share ids)."""
        return self.id if self.market == DEFAULT_MARKET else f"{self.market}\x1f{self.id}"

    @property
    def payload_json(self) -> str | None:
        """The payload as canonical JSON (None for an invalid product)."""
        return payload_text(self.payload)

    @property
    def to_send(self) -> bool:
        """Whether the plan sends this product."""
        return self.action in ("create", "update")


class Result(NamedTuple):
    """What became of one product: synced, failed, planned, skipped, verified or re-sent."""

    status: str
    error: str | None = None
    cause: str | None = None
    """What went wrong without the request it happened to: the key failures are grouped by."""


Results = dict[str, Result]
"""Product key (:attr:`PlannedProduct.key`) -> what the sync made of it (products it did not reach are absent)."""


def result_of(entry: PlannedProduct, results: Mapping[str, Result]) -> Result:
    """What became of ``entry``: its result, ``skipped`` when none, its problems when invalid."""
    if entry.action == "invalid":
        return Result("skipped", "; ".join(entry.problems))
    return results.get(entry.key, Result("skipped"))


def all_sent(results: Mapping[str, Result]) -> bool:
    """Whether no product failed."""
    return not any(result.status == "failed" for result in results.values())


class Conflict(NamedTuple):
    """One id whose page to sync and another page give different data, and are not translations."""

    kept: ProductRow
    other: ProductRow
    currencies_differ: bool


def translations(
    rows: list[ProductRow], *, shape: PayloadShape, default_language: str | None = None
) -> tuple[list[ProductRow], list[Conflict]]:
    """The rows with each id's page to sync first, and the pages that conflict with it.

    Pages of one id are one product when they are copies or translations of the page synced:
    the same price and currency, and hreflang alternates of each other or a different name and
    URL. The page synced is the one in ``default_language``, else the hreflang ``x-default``
    page, else the one in the site's main language (the ``<html lang>`` most product pages
    declare), else the first.
    """
    repeated = _repeated_ids(rows)
    if not repeated:
        return rows, []
    groups: dict[str, list[ProductRow]] = {}  # only the ids on several pages: a large catalogue has few
    for row in rows:
        if row.id in repeated:
            groups.setdefault(row.id, []).append(row)
    key = dict(shape.keys)
    main = _main_language(rows)
    ordered: list[ProductRow] = []
    conflicts: list[Conflict] = []
    for first in rows:
        group = groups.pop(first.id, None) if first.id in repeated else [first]
        if group is None:
            continue  # placed with the first page of its id
        if len(group) > 1:
            kept = _synced_page(group, default_language, main, key.get("url"))
            group = [kept, *(row for row in group if row is not kept)]
            kept_payload = json.loads(kept.payload_json)
            for row in group[1:]:
                payload = json.loads(row.payload_json) if row.hash != kept.hash else kept_payload
                if payload is not kept_payload and not _same_product(kept, kept_payload, row, payload, key):
                    currency = key.get("currency")
                    conflicts.append(Conflict(kept, row, kept_payload.get(currency) != payload.get(currency)))
        ordered += group
    return ordered, conflicts


def _repeated_ids(rows: list[ProductRow]) -> set[str]:
    """The ids that more than one row has."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for row in rows:
        if row.id in seen:
            repeated.add(row.id)
        else:
            seen.add(row.id)
    return repeated


def _main_language(rows: list[ProductRow]) -> str | None:
    counts = Counter(row.language for row in rows if row.language)
    return counts.most_common(1)[0][0] if counts else None


def _in_language(group: list[ProductRow], language: str | None) -> ProductRow | None:
    """The first page in ``language`` exactly, else the first in its primary language (``fr`` for ``fr-ca``)."""
    if not language:
        return None
    primary = language.split("-", 1)[0]
    return next((row for row in group if row.language == language), None) or next(
        (row for row in group if row.language and row.language.split("-", 1)[0] == primary), None)


def _synced_page(group: list[ProductRow], default_language: str | None, main: str | None, url_key: str | None) -> ProductRow:
    chosen = _in_language(group, default_language)
    if chosen is None:
        defaults = {_path(href) for row in group for hreflang, href in row.alternates if hreflang == "x-default"}
        chosen = next((row for row in group if _own_paths(row, url_key) & defaults), None)
    return chosen or _in_language(group, main) or group[0]


def _path(url: str) -> str:
    """A URL's path, as pages are compared (``/fr/p/index.html`` is ``/fr/p/``)."""
    try:
        path = urlsplit(url.strip()).path or "/"
    except ValueError:
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def _own_paths(row: ProductRow, url_key: str | None) -> set[str]:
    """The paths a page is known by: its place in the site, and the URL its data gives."""
    url = json.loads(row.payload_json).get(url_key) if url_key else None
    return {_path("/" + row.page)} | ({_path(url)} if isinstance(url, str) else set())


def _same_product(
    kept: ProductRow, kept_payload: dict[str, Any], row: ProductRow, payload: dict[str, Any], key: Mapping[str, str]
) -> bool:
    """Whether ``row`` is a translation of ``kept``: one price and currency, and linked or renamed and moved."""
    def differs(field: str) -> bool:
        return kept_payload.get(key.get(field)) != payload.get(key.get(field))

    if differs("price") or differs("currency"):
        return False
    linked = any(_path(href) in _own_paths(row, key.get("url")) for _, href in kept.alternates) or any(
        _path(href) in _own_paths(kept, key.get("url")) for _, href in row.alternates)
    return linked or (differs("name") and differs("url"))


def make_plan(
    rows: list[ProductRow],
    invalid: list[InvalidProduct],
    *,
    synced: Mapping[str, str],
    unconfirmed: Mapping[str, str] | None = None,
    full: bool = False,
    market: str = DEFAULT_MARKET,
) -> list[PlannedProduct]:
    """Every product with its action (the first page of an id is planned, its other pages are ``also_on``).

    A product in ``unconfirmed`` (a send that started but was never confirmed) is sent again
    even when its hash matches the confirmed one: that send may still land, with other data.
    Which page of an id comes first is :func:`translations`' choice; conflicting pages are the
    guards' concern (:func:`.guards.conflicting_duplicates`).
    """
    resend = unconfirmed or {}
    repeated = _repeated_ids(rows)
    pages: dict[str, list[str]] = {}  # the pages of each id on several of them (a large catalogue keeps no map of every id)
    for row in rows:
        if row.id in repeated:
            pages.setdefault(row.id, []).append(row.page)
    entries: list[PlannedProduct] = []
    planned: set[str] = set()
    for row in rows:
        also_on: tuple[str, ...] = ()
        if row.id in repeated:
            if row.id in planned:
                continue  # a later page of an id: the first is planned, with the others in also_on
            planned.add(row.id)
            also_on = tuple(pages[row.id][1:])
        previous = synced.get(row.id)
        changed = previous != row.hash or full or row.id in resend
        action: Action = "create" if previous is None else "update" if changed else "unchanged"
        entries.append(PlannedProduct(row.id, row.page, row.payload, row.sources, action, row.hash, (), also_on, market))
    entries += [PlannedProduct(bad.product_id or "", bad.page, None, bad.sources, "invalid", problems=bad.problems, market=market)
                for bad in invalid]
    return entries


def plan_summary(entries: list[PlannedProduct]) -> dict[str, int]:
    """Counts per action."""
    counts = {"create": 0, "update": 0, "unchanged": 0, "invalid": 0}
    for entry in entries:
        counts[entry.action] += 1
    return counts
