"""Extract stage: one page's text in, its product (or why it has none) and anchors out.

Pure: no file or network access, so pages can be analysed in parallel worker processes.
Sources are read in priority order and the first that names a value wins per field:
attributes, JSON-LD, microdata, OpenGraph, Snipcart, then configured CSS capture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from .candidates import FIELDS, Candidate, SourceResult
from .markup import from_attributes, from_capture, from_opengraph, from_snipcart, meta_tags
from .normalise import Product, normalise, page_url, printable
from .placement import POSITIONS, body_end_offset, has_component, head_offset, marker_offset, matches_selector, selector_offset, visible_price
from .prices import PriceError, format_minor
from .scan import Html
from .structured import from_jsonld, from_microdata

__all__ = ["ExtractOptions", "Html", "PageAnalysis", "Product", "analyse", "analyse_page", "page_url", "POSITIONS", "PriceError"]

Status = Literal["product", "not-product", "invalid"]
_DOCUMENT = re.compile(r"<(?:!doctype|html|head|body)\b", re.I)
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|<%|\{\$")


@dataclass(frozen=True)
class ExtractOptions:
    """The settings extraction and placement depend on (picklable, hashable)."""

    base_url: str | None = None
    default_currency: str | None = None
    capture: tuple[tuple[str, str], ...] = ()
    placement_selector: str | None = None
    placement_position: str = "after"
    checkout_selector: str | None = None


@dataclass(frozen=True)
class PageAnalysis:
    """What a page holds and where snippets go (offsets into the page's clean text)."""

    status: Status
    reason: str = ""
    product: Product | None = None
    product_id: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    head_at: int | None = None
    pdp_at: int | None = None
    checkout_at: int | None = None


@dataclass
class _Merged:
    """The fields of the page's one product, or why the page has not exactly one."""

    fields: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    listing: str | None = None
    empty_price: bool = False


def _merge(results: list[SourceResult]) -> _Merged:
    """First source with a product decides the page; later ones fill its missing fields."""
    merged = _Merged()
    chosen: Candidate | None = None
    for result in results:
        distinct = result.distinct()
        if not distinct:
            continue
        if chosen is None:
            if len(distinct) > 1:
                return _Merged(listing=f"listing: {len(distinct)} products in {result.source}")
            chosen = matching = distinct[0]
        else:
            chosen_id = merged.fields.get("id")
            same = [c for c in distinct if c.fields.get("id") and c.fields["id"] == chosen_id]
            anonymous = len(distinct) == 1 and not distinct[0].fields.get("id")
            if not same and not anonymous:
                continue
            matching = same[0] if same else distinct[0]
        for name in FIELDS:
            value = matching.fields.get(name)
            if name in merged.fields or value is None:
                continue
            if value == "":
                merged.empty_price = merged.empty_price or name == "price"
                continue
            merged.fields[name] = value
            merged.sources[name] = matching.source
    return merged


def analyse_page(text: str, rel_path: str, options: ExtractOptions) -> PageAnalysis:
    """Analyse one page (text already stripped of earlier insertions)."""
    return analyse(Html(text), rel_path, options)


def analyse(page: Html, rel_path: str, options: ExtractOptions) -> PageAnalysis:
    """Analyse one page held as :class:`Html` (whose scan the caller may reuse to check offsets)."""
    text = page.text
    if not _DOCUMENT.search(text, 0, 4096) and not _DOCUMENT.search(text):
        return PageAnalysis("not-product", "fragment without a document")
    meta = meta_tags(page)
    if "refresh" in meta:
        return PageAnalysis("not-product", "redirect stub")
    if next(page.tags_with("data-croissant-ignore", lambda tag: "data-croissant-ignore" in tag.attrs), None) is not None:
        return PageAnalysis("not-product", "opted out with data-croissant-ignore")
    results = [
        from_attributes(page),
        from_jsonld(page),
        from_microdata(page),
        from_opengraph(meta),
        from_snipcart(page, options.default_currency),
    ]
    warnings = [w for r in results for w in r.warnings]
    merged = _merge(results)
    if merged.listing:
        return PageAnalysis("not-product", merged.listing, warnings=tuple(warnings))
    fields, sources = merged.fields, merged.sources
    if options.capture:
        missing = {name for name in FIELDS if name not in fields}
        captured = from_capture(page, dict(options.capture), missing)
        if captured.candidates and (fields or {"id", "price"} <= set(captured.candidates[0].fields)):
            for name, value in captured.candidates[0].fields.items():
                fields.setdefault(name, value)
                sources.setdefault(name, "capture")
    kept = tuple(warnings)
    if not fields and options.checkout_selector and "<form" in text.lower() and matches_selector(page, options.checkout_selector):
        return PageAnalysis("not-product", "checkout page", warnings=kept, checkout_at=body_end_offset(page))
    if merged.empty_price and "price" not in fields and not (fields.get("id") and fields.get("name")):
        return PageAnalysis("not-product", "template with an empty price", warnings=kept)
    if not fields:
        return PageAnalysis("not-product", "no product data", warnings=kept)
    if any(_TEMPLATE_SYNTAX.search(str(fields.get(name, ""))) for name in ("id", "price")):
        return PageAnalysis("not-product", "unrendered template syntax in the product data", warnings=kept)
    raw_id = printable(str(fields["id"]).strip()) if fields.get("id") is not None else None
    product, problems = normalise(
        fields, sources, rel_path=rel_path, base_url=options.base_url, default_currency=options.default_currency
    )
    if product is None:
        return PageAnalysis("invalid", "; ".join(problems), product_id=raw_id, sources=sources, problems=tuple(problems), warnings=kept)
    pdp_at, placement_warnings = _place(page, product, options)
    return PageAnalysis(
        "product",
        product=product,
        product_id=product.id,
        sources=dict(product.sources),
        warnings=tuple(warnings + placement_warnings),
        head_at=head_offset(page),
        pdp_at=pdp_at,
    )


def _place(page: Html, product: Product, options: ExtractOptions) -> tuple[int | None, list[str]]:
    warnings: list[str] = []
    shown = visible_price(page, product.price, product.currency)
    if shown is not None and shown.amount != product.price:
        warnings.append(
            f"the visible price {shown.text!r} differs from the extracted price "
            f"{format_minor(product.price, product.currency)} {product.currency} (from {product.sources.get('price')})"
        )
    if has_component(page):
        return None, warnings + ["the page already has a <croissant-toggle-pdp> of its own; none injected"]
    offset = marker_offset(page)
    if offset is None and options.placement_selector:
        offset = selector_offset(page, options.placement_selector, options.placement_position)
    if offset is None and shown is not None:
        offset = shown.end
    if offset is None:
        tried = f" (placement.selector {options.placement_selector!r} matched nothing)" if options.placement_selector else ""
        warnings.append(
            f"no place for the component{tried}: add <croissant-slot></croissant-slot> to the product template, "
            "or set placement.selector"
        )
    return offset, warnings
