"""The product contract, in one place: canonical fields, payload keys, payloads and their hashes.

Extraction fills the canonical :data:`FIELDS`; the payload of ``PUT /products/{id}`` maps
them to the contract's keys (:data:`PAYLOAD_KEYS`, renameable by ``[payload.fields]``) and
adds the constants of ``[payload.extra]``. A payload is kept, hashed and sent as one canonical
JSON text, so what the state remembers is exactly what was sent. A large catalogue keeps its
payloads on disk (:class:`PayloadStore`) until they are sent or written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

FIELDS = ("id", "name", "price", "currency", "url", "image", "brand", "sku", "gtin", "category", "available")
"""Canonical product fields a page gives, in the order reports list them."""
DEFAULT_MARKET = "default"
"""The market of every page no ``[[markets]]`` path matches (see :mod:`.settings.markets`)."""
VARIANT_FIELDS = ("group_id", "variant_attributes")
"""The fields only a variant has: its group's id, and its distinguishing values (``{"size": "M"}``)."""

PAYLOAD_KEYS = {
    "name": "name", "price": "retailPrice", "currency": "retailCurrency", "url": "url", "image": "imageUrl",
    "brand": "brand", "sku": "sku", "gtin": "gtin", "category": "category", "available": "available",
    "group_id": "groupId", "variant_attributes": "variantAttributes",
}
"""Canonical field -> its key in the adopted contract's payload (``shared/croissant-api.md``)."""


@dataclass(frozen=True)
class PayloadShape:
    """How payloads are built: the key of each canonical field, and constant extra fields."""

    keys: tuple[tuple[str, str], ...] = tuple(PAYLOAD_KEYS.items())
    extra: tuple[tuple[str, Any], ...] = ()

    def payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The ``PUT /products/{id}`` body for a product's canonical field values."""
        body = {key: values[canonical] for canonical, key in self.keys if canonical in values}
        for key, value in self.extra:
            body.setdefault(key, value)
        return body


def canonical_json(payload: Mapping[str, Any]) -> str:
    """The payload as compact JSON with sorted keys: what is hashed, kept and sent."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_hash(text: str) -> str:
    """The fingerprint of a payload's canonical JSON."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def payload_hash(payload: Mapping[str, Any]) -> str:
    """A stable fingerprint of a payload."""
    return text_hash(canonical_json(payload))


_SHARED_SOURCES: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}


def shared_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """One dict object for every product whose fields came from the same sources."""
    key = tuple(sorted(sources.items()))
    return _SHARED_SOURCES.setdefault(key, dict(key))


class StoredPayload:
    """A payload kept in a :class:`PayloadStore`: a handle of a few bytes in place of its text."""

    __slots__ = ("_store", "_number", "hash")

    def __init__(self, store: PayloadStore, number: int, digest: str) -> None:
        self._store, self._number, self.hash = store, number, digest

    @property
    def text(self) -> str:
        """The payload's canonical JSON, read back from the store."""
        return self._store.text(self._number)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredPayload):
            return self.hash == other.hash
        if isinstance(other, str):
            return text_hash(other) == self.hash
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.hash)

    def __repr__(self) -> str:
        return f"StoredPayload({self.hash[:16]})"


def payload_text(payload: str | StoredPayload | None) -> str | None:
    """A payload's canonical JSON, wherever it is kept."""
    return payload.text if isinstance(payload, StoredPayload) else payload


class PayloadStore:
    """Payload texts on disk, in a private temporary SQLite file (gone with the store).

    A catalogue of a hundred thousand products holds about 30 MB of payloads; kept here, memory
    no longer grows with them, and each is read back when sent or written.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("", check_same_thread=False)  # "": a temporary database, spilled to a file past its cache
        self._db.execute("CREATE TABLE payloads (number INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        self._count = 0

    def keep(self, rows: Sequence[ProductRow]) -> list[ProductRow]:
        """The rows with their payloads moved here."""
        first = self._count + 1
        self._count += len(rows)
        # numbered in order (appended, never searched for a place); one transaction, never committed: this
        # connection reads its own rows, and the file is thrown away anyway
        self._db.executemany("INSERT INTO payloads VALUES (?, ?)", [(first + index, row.payload_json) for index, row in enumerate(rows)])
        return [ProductRow(row.page, row.id, StoredPayload(self, first + index, row.hash), row.hash, row.sources, row.language,
                           row.alternates, row.market) for index, row in enumerate(rows)]

    def text(self, number: int) -> str:
        """The payload kept under a number."""
        return self._db.execute("SELECT text FROM payloads WHERE number = ?", (number,)).fetchone()[0]


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product page's payload as the plan keeps it: small, so large catalogues stay cheap."""

    page: str
    id: str
    payload: str | StoredPayload
    """The payload's canonical JSON (:attr:`payload_json`), or where it is kept."""
    hash: str
    sources: dict[str, str]
    language: str | None = None
    """The page's ``<html lang>``; with ``alternates`` (hreflang, href), what tells translations apart."""
    alternates: tuple[tuple[str, str], ...] = ()
    market: str = DEFAULT_MARKET
    """The market the page belongs to: products are planned, checked and synced market by market."""

    @property
    def payload_json(self) -> str:
        """The payload as canonical JSON."""
        return self.payload.text if isinstance(self.payload, StoredPayload) else self.payload


def product_row(
    page: str, product_id: str, values: Mapping[str, Any], sources: Mapping[str, str], shape: PayloadShape, *,
    language: str | None = None, alternates: tuple[tuple[str, str], ...] = (), market: str = DEFAULT_MARKET,
) -> ProductRow:
    """The row of a product page: its payload (as canonical JSON), the payload's hash, the page's language and market."""
    text = canonical_json(shape.payload(values))
    return ProductRow(page, product_id, text, text_hash(text), shared_sources(sources), language, alternates, market)
