"""The Croissant Retailer API: clients, auth, retries and payload types.

Names are imported on first use, so code that only needs the payload types (settings, the
extract stage) does not pay for importing httpx.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AsyncCroissantClient": ".client",
    "CroissantClient": ".client",
    "path_segment": ".client",
    "CroissantAuth": ".auth",
    "RetryPolicy": ".retry",
    "ENVIRONMENTS": ".types",
    "CartLine": ".types",
    "CartPayload": ".types",
    "ProductPayload": ".types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
