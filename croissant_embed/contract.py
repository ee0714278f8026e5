"""The product contract, in one place: canonical fields, payload keys, payloads and their hashes.

Extraction fills the canonical :data:`FIELDS`; the payload of ``PUT /products/{id}`` maps
them to the contract's keys (:data:`PAYLOAD_KEYS`, renameable by ``[payload.fields]``) and
adds the constants of ``[payload.extra]``. A payload is kept, hashed and sent as one canonical
JSON text, so what the state remembers is exactly what was sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Mapping

FIELDS = ("id", "name", "price", "currency", "url", "image", "brand", "sku", "gtin", "category", "available")
"""Canonical product fields, in the order reports list them."""

PAYLOAD_KEYS = {
    "name": "name", "price": "retailPrice", "currency": "retailCurrency", "url": "url", "image": "imageUrl",
    "brand": "brand", "sku": "sku", "gtin": "gtin", "category": "category", "available": "available",
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


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product page's payload as the plan keeps it: small, so large catalogues stay cheap."""

    page: str
    id: str
    payload_json: str
    hash: str
    sources: dict[str, str]
    language: str | None = None
    """The page's ``<html lang>``; with ``alternates`` (hreflang, href), what tells translations apart."""
    alternates: tuple[tuple[str, str], ...] = ()


def product_row(
    page: str, product_id: str, values: Mapping[str, Any], sources: Mapping[str, str], shape: PayloadShape, *,
    language: str | None = None, alternates: tuple[tuple[str, str], ...] = (),
) -> ProductRow:
    """The row of a product page: its payload (as canonical JSON), the payload's hash, the page's language."""
    text = canonical_json(shape.payload(values))
    return ProductRow(page, product_id, text, text_hash(text), shared_sources(sources), language, alternates)
