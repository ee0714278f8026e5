"""Extract stage: one page's text in, its product (or why it has none) and anchors out.

Pure: no file or network access, so pages can be analysed in parallel worker processes.
Sources are read in priority order and the first that names a value wins per field:
attributes, JSON-LD, microdata, OpenGraph, Snipcart, then configured CSS capture.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import PageAnalysis, analyse, analyse_page
    from .normalise import Product, page_url
    from .prices import PriceError
    from .scan import Html

__all__ = ["ExtractOptions", "Html", "OWN_COMPONENT", "PageAnalysis", "Product", "URL_ID", "analyse", "analyse_page", "page_url", "POSITIONS",
           "PriceError"]

URL_ID = "id: the page's data names no product id, so its URL path"
"""How the warning for an id taken from the page's URL starts (the CLI folds them into one line)."""
OWN_COMPONENT = "the page already has a <croissant-toggle-pdp> of its own; none injected"
"""The warning of a page whose theme placed the component itself (it is not unplaced)."""

POSITIONS: tuple[str, ...] = ("before", "after", "prepend", "append")
"""Where the component may go relative to the element a selector or a slot names."""
_LAZY = {"PageAnalysis": "analysis", "analyse": "analysis", "analyse_page": "analysis", "Product": "normalise", "page_url": "normalise",
         "PriceError": "prices", "Html": "scan"}


@dataclass(frozen=True)
class ExtractOptions:
    """The settings extraction and placement depend on (picklable, hashable)."""

    base_url: str | None = None
    default_currency: str | None = None
    capture: tuple[tuple[str, str], ...] = ()
    placement_selector: str | None = None
    placement_position: str = "after"
    checkout_selector: str | None = None
    placeholder_base_url: str | None = None
    """Local builds with no base_url guess product URLs under this address (recorded as guessed);
    sandbox and production builds never do: their products need base_url."""
    variants: str = "each"
    """``each``: every variant with its own id is a product; ``group``: a product group is one product."""
    markets: tuple[tuple[str, str, str], ...] = ()
    """(name, path glob, currency) of each market with a currency: its pages' prices must be in it."""


def __getattr__(name: str) -> Any:
    """The stage's functions and types, imported when first asked for (settings and the command line need only the options)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
