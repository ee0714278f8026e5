"""Validation of request bodies against the API contract, as the sandbox enforces it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..currencies import is_currency

_OPTIONAL_STRINGS = ("brand", "sku", "gtin", "category")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_absolute_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def product_problems(body: Any) -> list[str]:
    """Everything wrong with a ``PUT /products/{id}`` body, each naming its field."""
    if not isinstance(body, dict):
        return ["body: must be a JSON object"]
    problems = []
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        problems.append("name: required, a non-empty string")
    price = body.get("retailPrice")
    if not _is_int(price) or price < 0:
        problems.append("retailPrice: required, a non-negative integer in minor units (cents), not a float")
    if not isinstance(body.get("retailCurrency"), str) or not is_currency(body["retailCurrency"]):
        problems.append("retailCurrency: required, an ISO 4217 code in upper case such as USD")
    if not _is_absolute_url(body.get("url")):
        problems.append("url: required, an absolute http(s) URL of the product page")
    if "imageUrl" in body and not _is_absolute_url(body["imageUrl"]):
        problems.append("imageUrl: must be an absolute http(s) URL")
    for key in _OPTIONAL_STRINGS:
        if key in body and not isinstance(body[key], str):
            problems.append(f"{key}: must be a string")
    if "available" in body and not isinstance(body["available"], bool):
        problems.append("available: must be true or false")
    return problems


def cart_problems(body: Any) -> list[str]:
    """Everything wrong with a ``POST /carts`` body, each naming its field."""
    if not isinstance(body, dict):
        return ["body: must be a JSON object"]
    problems = []
    for key in ("id", "confirmationNumber", "source"):
        if not isinstance(body.get(key), str) or not body[key]:
            problems.append(f"{key}: required, a non-empty string")
    if not isinstance(body.get("isOptedIn"), bool):
        problems.append("isOptedIn: required, true or false")
    created = body.get("retailerCreatedAt")
    try:
        datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    except ValueError:
        problems.append("retailerCreatedAt: required, an ISO 8601 timestamp")
    if "email" in body and (not isinstance(body["email"], str) or "@" not in body["email"]):
        problems.append("email: must be an email address")
    lines = body.get("products")
    if not isinstance(lines, list) or not lines:
        problems.append("products: required, at least one line")
        return problems
    for index, line in enumerate(lines):
        where = f"products[{index}]"
        if not isinstance(line, dict):
            problems.append(f"{where}: must be an object")
            continue
        if not isinstance(line.get("retailerProductId"), str) or not line["retailerProductId"]:
            problems.append(f"{where}.retailerProductId: required, a non-empty string")
        if not _is_int(line.get("quantity")) or line["quantity"] < 1:
            problems.append(f"{where}.quantity: required, a positive integer")
        if not _is_int(line.get("retailSalePrice")) or line["retailSalePrice"] < 0:
            problems.append(f"{where}.retailSalePrice: required, a non-negative integer in minor units")
        if not isinstance(line.get("retailSaleCurrency"), str) or not is_currency(line["retailSaleCurrency"]):
            problems.append(f"{where}.retailSaleCurrency: required, an ISO 4217 code")
        if "priceId" in line and not isinstance(line["priceId"], str):
            problems.append(f"{where}.priceId: must be a string")
    return problems
