"""The sandbox's deterministic buyback prices.

Real Croissant prices eligible products within 72 hours by its own models. The sandbox
prices at once by a fixed rule, so previews and tests always see the same figures:

- a product is eligible when the sandbox holds it, it is not marked unavailable, and its
  retail price is at least ``MIN_ELIGIBLE_MINOR`` minor units of its currency scale;
- the cash buyback is 40 % of the retail price and the store-credit buyback 50 %, rounded
  down to whole minor units, per unit, times the quantity.
"""

from __future__ import annotations

from typing import Any

from ..currencies import exponent

MIN_ELIGIBLE_MAJOR = 25
CASH_PERCENT = 40
STORE_CREDIT_PERCENT = 50
TIMESPAN_DAYS = 365


def is_eligible(product: dict[str, Any]) -> bool:
    """Whether the sandbox offers a buyback for this product payload."""
    if product.get("available") is False:
        return False
    minimum = MIN_ELIGIBLE_MAJOR * 10 ** exponent(product["retailCurrency"])
    return int(product["retailPrice"]) >= minimum


def buyback(product: dict[str, Any], quantity: int = 1) -> dict[str, Any] | None:
    """The buyback offer for ``quantity`` units, or ``None`` for an ineligible product."""
    if not is_eligible(product):
        return None
    price = int(product["retailPrice"])
    return {
        "currency": product["retailCurrency"],
        "quantity": quantity,
        "timespan": TIMESPAN_DAYS,
        "cash": {"resalePrice": price * CASH_PERCENT // 100 * quantity},
        "storeCredit": {"resalePrice": price * STORE_CREDIT_PERCENT // 100 * quantity},
    }
