"""The Croissant Retailer API: clients, auth, retries and payload types."""

from __future__ import annotations

from .auth import CroissantAuth
from .client import AsyncCroissantClient, CroissantClient, path_segment
from .retry import RetryPolicy
from .types import ENVIRONMENTS, LOCAL_BASE_URL, CartLine, CartPayload, ProductPayload

__all__ = [
    "AsyncCroissantClient",
    "CartLine",
    "CartPayload",
    "CroissantAuth",
    "CroissantClient",
    "ENVIRONMENTS",
    "LOCAL_BASE_URL",
    "ProductPayload",
    "RetryPolicy",
    "path_segment",
]
