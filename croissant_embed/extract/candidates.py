"""What one source says about the products on a page, before normalisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..contract import FIELDS

__all__ = ["FIELDS", "Candidate", "SourceResult"]


@dataclass
class Candidate:
    """Raw field values for one product as one source gives them."""

    source: str
    fields: dict[str, Any] = field(default_factory=dict)
    variants: list[Candidate] = field(default_factory=list)
    """The purchasable variants of this product (its group's, or its offers' with their own skus)."""

    def key(self) -> str:
        """What tells two products of one source apart (id, else name)."""
        return str(self.fields.get("id") or self.fields.get("sku") or self.fields.get("name") or "")


@dataclass
class SourceResult:
    """Every product one source found on a page, plus its warnings."""

    source: str
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def distinct(self) -> list[Candidate]:
        """Candidates with distinct keys (the same product described twice counts once)."""
        seen: dict[str, Candidate] = {}
        for candidate in self.candidates:
            seen.setdefault(candidate.key(), candidate)
        return list(seen.values())
