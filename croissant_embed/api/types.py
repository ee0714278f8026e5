"""JSON bodies of the Croissant Retailer API, as TypedDicts, and the known environments."""

from __future__ import annotations

from typing import TypedDict

try:  # Python 3.11+
    from typing import NotRequired
except ImportError:  # pragma: no cover - Python 3.10
    from typing_extensions import NotRequired

ENVIRONMENTS: dict[str, str] = {
    "production": "https://api.retailer.croissant.com/v0",
    "sandbox": "https://api.retailer.sbx.croissant.com/v0",
}
"""Documented base URLs; ``local`` is the embedded sandbox and has no fixed URL."""


class TokenResponse(TypedDict):
    """Answer of ``POST /token``."""

    access_token: str
    expires_in: int
    token_type: str


class ProductPayload(TypedDict, total=False):
    """Body of ``PUT /products/{id}`` under the default contract field names."""

    name: str
    retailPrice: int
    retailCurrency: str
    url: str
    imageUrl: str
    brand: str
    sku: str
    gtin: str
    category: str
    available: bool


class CartLine(TypedDict):
    """One line of a cart."""

    retailerProductId: str
    quantity: int
    retailSalePrice: int
    retailSaleCurrency: str
    priceId: NotRequired[str]


class CartPayload(TypedDict):
    """Body of ``POST /carts``."""

    id: str
    confirmationNumber: str
    isOptedIn: bool
    retailerCreatedAt: str
    source: str
    email: NotRequired[str]
    products: list[CartLine]
