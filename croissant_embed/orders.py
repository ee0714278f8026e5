"""Orders become Croissant carts: validation, deterministic cart ids, payloads.

An order file (``carts create ORDER.json``) looks like::

    {"order_number": "AN-1001", "email": "shopper@example.com",
     "created_at": "2026-11-27T10:00:00Z", "opted_in": true,
     "lines": [{"product_id": "AN-JKT-001", "quantity": 1, "unit_price": 28900, "currency": "USD"}]}

``unit_price`` is an integer in minor units (cents), before discounts. ``cart_id`` and
``source`` are optional: the cart id is a UUIDv5 of the order number under the store's
namespace, so reporting the same order twice can never create two carts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from .api.types import CartLine, CartPayload
from .currencies import is_currency
from .errors import DataError


@dataclass(frozen=True)
class OrderLine:
    """One product of an order."""

    product_id: str
    quantity: int
    unit_price: int
    currency: str
    price_id: str | None = None


@dataclass(frozen=True)
class Order:
    """A paid order, ready to be reported as a cart."""

    number: str
    lines: tuple[OrderLine, ...]
    opted_in: bool
    created_at: str
    email: str | None = None
    cart_id: str | None = None
    source: str = "web"


def store_namespace(merchant_id: str, configured: str | None = None) -> uuid.UUID:
    """The per-store UUID namespace cart ids are derived in."""
    if configured:
        return uuid.UUID(configured)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"croissant-embed:{merchant_id}")


def cart_id_for(order_number: str, namespace: uuid.UUID) -> str:
    """The cart id of an order: the same order number always gives the same id."""
    return str(uuid.uuid5(namespace, order_number))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _line(raw: Any, where: str, problems: list[str]) -> OrderLine | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: must be an object with product_id, quantity, unit_price and currency")
        return None
    product_id = raw.get("product_id")
    if not isinstance(product_id, str) or not product_id.strip():
        problems.append(f"{where}.product_id: required, the store's product id")
    quantity = raw.get("quantity")
    if not _is_int(quantity) or quantity < 1:
        problems.append(f"{where}.quantity: {quantity!r} must be a positive whole number")
    price = raw.get("unit_price")
    if isinstance(price, str):
        problems.append(f"{where}.unit_price: {price!r} is text; give an integer in minor units (e.g. 1250 for 12.50)")
    elif isinstance(price, float):
        problems.append(f"{where}.unit_price: {price!r} is a float; give an integer in minor units (e.g. 1250 for 12.50)")
    elif not _is_int(price) or price < 0:
        problems.append(f"{where}.unit_price: {price!r} must be a non-negative integer in minor units")
    currency = raw.get("currency")
    if not isinstance(currency, str) or not is_currency(currency):
        problems.append(f"{where}.currency: {currency!r} is not an ISO 4217 code such as USD")
    price_id = raw.get("price_id")
    if price_id is not None and not isinstance(price_id, str):
        problems.append(f"{where}.price_id: must be a string")
    if any(p.startswith(where) for p in problems):
        return None
    return OrderLine(product_id.strip(), quantity, price, currency, price_id)


def parse_order(raw: Any, *, where: str = "order") -> Order:
    """An order from JSON data; DataError listing every problem otherwise."""
    if not isinstance(raw, Mapping):
        raise DataError("an order must be a JSON object", location=where)
    problems: list[str] = []
    number = raw.get("order_number")
    if not isinstance(number, str) or not number.strip():
        problems.append("order_number: required, the order number the shopper sees")
    lines_raw = raw.get("lines")
    lines: list[OrderLine] = []
    if not isinstance(lines_raw, list) or not lines_raw:
        problems.append("lines: an order needs at least one line")
    else:
        for index, line in enumerate(lines_raw):
            parsed = _line(line, f"lines[{index}]", problems)
            if parsed:
                lines.append(parsed)
    opted_in = raw.get("opted_in", False)
    if not isinstance(opted_in, bool):
        problems.append(f"opted_in: {opted_in!r} must be true or false")
    email = raw.get("email")
    if email is not None and (not isinstance(email, str) or "@" not in email):
        problems.append(f"email: {email!r} is not an email address")
    created_at = raw.get("created_at") or datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            problems.append(f"created_at: {created_at!r} needs a time zone (e.g. 2026-11-27T10:00:00Z)")
    except ValueError:
        problems.append(f"created_at: {created_at!r} is not an ISO 8601 timestamp")
    cart_id = raw.get("cart_id")
    if cart_id is not None and (not isinstance(cart_id, str) or not cart_id.strip()):
        problems.append("cart_id: must be a non-empty string when given")
    if problems:
        raise DataError("; ".join(problems), location=where)
    return Order(
        number=number.strip(),
        lines=tuple(lines),
        opted_in=opted_in,
        created_at=str(created_at),
        email=email,
        cart_id=cart_id,
        source=str(raw.get("source") or "web"),
    )


def cart_payload(order: Order, namespace: uuid.UUID, *, product_id: Callable[[str], str] = str) -> CartPayload:
    """The ``POST /carts`` body for an order (``product_id`` gives each line's id at Croissant: a market's)."""
    lines: list[CartLine] = []
    for line in order.lines:
        entry: CartLine = {
            "retailerProductId": product_id(line.product_id),
            "quantity": line.quantity,
            "retailSalePrice": line.unit_price,
            "retailSaleCurrency": line.currency,
        }
        if line.price_id:
            entry["priceId"] = line.price_id
        lines.append(entry)
    payload: CartPayload = {
        "id": order.cart_id or cart_id_for(order.number, namespace),
        "confirmationNumber": order.number,
        "isOptedIn": order.opted_in,
        "retailerCreatedAt": order.created_at,
        "source": order.source,
        "products": lines,
    }
    if order.email:
        payload["email"] = order.email
    return payload
