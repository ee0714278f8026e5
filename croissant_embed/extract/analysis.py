"""The analysis of one page: its product (or why it has none), the problems, and where snippets go."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Literal

from ..currencies import exponent
from ..discover import glob_regex
from . import OWN_COMPONENT, URL_ID, ExtractOptions
from .articles import article_permalink
from .candidates import FIELDS, Candidate, SourceResult
from .markup import canonical_url, from_attributes, from_capture, from_opengraph, from_snipcart, link_targets, meta_tags, page_language
from .markup_product import from_visible_markup
from .normalise import PageAddress, Product, normalise, page_slug, printable
from .placement import body_end_offset, has_component, head_offset, marker_offset, matches_selector, selector_offset
from .prices import format_minor
from .scan import Html, visible_text
from .structured import from_jsonld, from_microdata
from .variants import variant_products
from .visible import PagePrices, data_amount, infer_currency

Status = Literal["product", "not-product", "invalid"]
_DOCUMENT = re.compile(r"<(?:!doctype|html|head|body)\b", re.I)
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|<%|\{\$")


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
    language: str | None = None
    """The product page's ``<html lang>``, and its hreflang alternates as ``(hreflang, href)``: how translations are told apart."""
    alternates: tuple[tuple[str, str], ...] = ()
    variants: tuple[Product, ...] = ()
    """The products the page sells when it sells several (variants, formats), the one shown first at the head."""
    invalid_variants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Variants whose data cannot be sent: (id, problems)."""
    placement: str = ""
    """By which rule the component was placed (the marker, the selector, after which visible price), for people."""

    @property
    def shown(self) -> Product | None:
        """The product the page's component shows first: its first variant, else its product."""
        return self.variants[0] if self.variants else self.product


@dataclass
class _Merged:
    """The fields of the page's one product, or why the page has not exactly one."""

    fields: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    listing: str | None = None
    empty_price: bool = False
    variants: list[Candidate] = field(default_factory=list)
    """The product's variants (a group's, or its offers'), or the several products of one product page."""
    several: bool = False
    """Whether ``variants`` are the page's several products (formats with buy buttons of their own)."""


def _name_key(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _same_product(fields: dict[str, Any], candidates: list[Candidate]) -> Candidate | None:
    """The candidate that describes the product ``fields`` holds so far, if one does.

    Matched by id; with no id so far (a sku-less JSON-LD, say), by name. A lone candidate
    with nothing to tell it apart (no id, or no name to compare) is the same product; a lone
    related product's button, with a name of its own, is not.
    """
    key, value = ("id", fields["id"]) if "id" in fields else ("name", _name_key(fields.get("name")))
    if value:
        same = next((c for c in candidates if (c.fields.get("id") if key == "id" else _name_key(c.fields.get("name"))) == value), None)
        if same is not None:
            return same
    if len(candidates) != 1:
        return None
    only = candidates[0]
    unlike = only.fields.get("id") if key == "id" else (value and _name_key(only.fields.get("name")))
    return None if unlike else only


def _one_product_page(page: Html, candidates: list[Candidate], address: PageAddress) -> bool:
    """Whether several products are one page's own (formats of one item), not a listing's cards.

    The page is about them: its heading (or title) names each of them, and none says its
    own page is elsewhere.
    """
    heading = next(page.tags_with("<h1", lambda tag: tag.name == "h1"), None) or next(page.tags_with("<title", lambda tag: tag.name == "title"), None)
    about = _name_key(visible_text(page.inner(heading))) if heading is not None else ""
    if not about:
        return False
    return all(about in _name_key(c.fields.get("name")) and address.relation(c.fields.get("url"))[0] != "elsewhere" for c in candidates)


def _merge(results: list[SourceResult], page: Html, address: Callable[[], PageAddress]) -> _Merged:
    """First source with a product decides the page; later ones fill its missing fields."""
    merged = _Merged()
    chosen: Candidate | None = None
    for result in results:
        distinct = result.distinct()
        if not distinct:
            continue
        if chosen is None:
            if len(distinct) > 1:
                if not _one_product_page(page, distinct, address()):
                    return _Merged(listing=f"listing: {len(distinct)} products in {result.source}")
                merged.variants, merged.several = distinct, True
            chosen = matching = distinct[0]
        else:
            found = _same_product(merged.fields, distinct)
            if found is None:
                continue
            matching = found
        if not merged.variants and matching.variants:
            merged.variants = matching.variants
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
    market = next(((name, currency) for name, path, currency in options.markets if glob_regex(path).match(rel_path)), None)
    default_currency = market[1] if market else options.default_currency
    results = [
        from_attributes(page),
        from_jsonld(page),
        from_microdata(page),
        from_opengraph(meta),
        from_snipcart(page, default_currency),
    ]
    warnings = [w for r in results for w in r.warnings]
    merged = _merge(results, page, lambda: PageAddress(rel_path, options.base_url, canonical_url(page, meta)))
    if merged.listing:
        return PageAnalysis("not-product", merged.listing, warnings=tuple(warnings))
    fields, sources = merged.fields, merged.sources
    if options.capture:
        missing = {name for name in FIELDS if name not in fields}
        captured = from_capture(page, dict(options.capture), missing)
        # alone, capture makes a product page of a page where its price (and id, if configured) matched
        needed = {"price"} | ({"id"} & {name for name, _ in options.capture})
        if captured.candidates and (fields or needed <= set(captured.candidates[0].fields)):
            for name, value in captured.candidates[0].fields.items():
                fields.setdefault(name, value)
                sources.setdefault(name, "capture")
    kept = tuple(warnings)
    if not fields and options.checkout_selector and "<form" in text.lower() and matches_selector(page, options.checkout_selector):
        return PageAnalysis("not-product", "checkout page", warnings=kept, checkout_at=body_end_offset(page))
    if merged.empty_price and "price" not in fields and not (fields.get("id") and fields.get("name")):
        return PageAnalysis("not-product", "template with an empty price", warnings=kept)
    if not fields:  # the last resort: a title, a price and one add-to-cart button, as a shopper sees them
        shown = from_visible_markup(page, rel_path)
        if not shown.candidates:
            return PageAnalysis("not-product", "no product data", warnings=kept)
        fields.update(shown.candidates[0].fields)
        sources.update(dict.fromkeys(fields, shown.source))
        kept += tuple(shown.warnings)
    if not {"id", "name", "price"} & fields.keys():
        return PageAnalysis("not-product", "product data without an id, a name or a price (a template rendered without data)", warnings=kept)
    if any(_TEMPLATE_SYNTAX.search(str(fields.get(name, ""))) for name in ("id", "price")):
        return PageAnalysis("not-product", "unrendered template syntax in the product data", warnings=kept)
    # the page's own address matters when the data names a URL, or when base_url cannot give one
    declared_url = canonical_url(page, meta) if fields.get("url") or not options.base_url else None
    address = PageAddress(rel_path, options.base_url, declared_url)
    # with no URL in the data, an article's own link (its permalink) tells its page from the listings repeating it
    relation, target = address.relation(fields.get("url") or article_permalink(page))
    # a page naming its own address is known to be another; else it must link there, as cards do
    if relation == "elsewhere" and (declared_url or address.path_of(target) in {address.path_of(href) for href in link_targets(page)}):
        return PageAnalysis("not-product", f"the product's own page is {target}: this page (a listing, tag or category) only shows it", warnings=kept)
    if fields.get("id") is None or not str(fields["id"]).strip():
        fields["id"], sources["id"] = page_slug(rel_path), "url"
        kept += (
            f"{URL_ID} {fields['id']!r} is used; give a real one with "
            "data-croissant-product-id, a sku in the structured data, or [capture] id",
        )
    raw_id = printable(str(fields["id"]).strip())
    prices = PagePrices(page, name=fields.get("name"), product_id=raw_id)
    if not fields.get("currency"):  # read it off the visible price (the default, when it applies, keeps no source)
        choice, notes = infer_currency(prices, meta, amount=data_amount(fields.get("price"), sources.get("price")), default_currency=default_currency)
        if choice is not None and choice.source != "default_currency":
            fields["currency"], sources["currency"], kept = choice.code, choice.source, kept + notes
    product, problems = normalise(
        fields, sources, rel_path=rel_path, base_url=options.base_url, default_currency=default_currency,
        declared_url=declared_url, placeholder_base_url=options.placeholder_base_url,
    )
    if product is not None and product.sources.get("url") == "guessed":
        kept += (f"url: nothing on the page gives its public address, so {product.url} stands in for this local build; "
                 "set base_url (the site's public address) before syncing to sandbox or production",)
    if product is not None and market is not None and product.currency != market[1]:
        problems = [f"currency: the price is in {product.currency} (from {product.sources.get('currency', 'the page')}), but the page is in "
                    f"market {market[0]!r}, which sells in {market[1]}: fix the page's currency, or the market's path or currency"]
        product = None
    if product is None:
        return PageAnalysis("invalid", "; ".join(problems), product_id=raw_id, sources=sources, problems=tuple(problems), warnings=kept)
    variants: list[Product] = []
    invalid: list[tuple[str, tuple[str, ...]]] = []
    if merged.variants and (merged.several or options.variants == "each"):
        variants, invalid = variant_products(page, product, merged.variants, rel_path=rel_path, base_url=options.base_url,
                                             placeholder_base_url=options.placeholder_base_url, several=merged.several)
    pdp_at, placement_warnings, placement = _place(page, variants[0] if variants else product, options, prices)
    language, alternates = page_language(page)
    return PageAnalysis(
        "product",
        product=product,
        product_id=product.id,
        sources=dict(product.sources),
        warnings=kept + tuple(placement_warnings),
        head_at=head_offset(page),
        pdp_at=pdp_at,
        language=language,
        alternates=alternates,
        variants=tuple(variants),
        invalid_variants=tuple(invalid),
        placement=placement,
    )


def _place(page: Html, product: Product, options: ExtractOptions, prices: PagePrices) -> tuple[int | None, list[str], str]:
    """Where the component goes, and by which rule: a marker, else the configured selector, else after the
    visible current price."""
    warnings: list[str] = []
    amount = Decimal(product.price).scaleb(-exponent(product.currency))
    shown = prices.current(amount)
    if shown is not None and shown.amount is not None and shown.amount != amount:
        warnings.append(
            f"the visible price {shown.text!r} differs from the extracted price "
            f"{format_minor(product.price, product.currency)} {product.currency} (from {product.sources.get('price')})"
        )
    if has_component(page):
        return None, warnings + [OWN_COMPONENT], "the theme's own <croissant-toggle-pdp>"
    offset, how = marker_offset(page), "the <croissant-slot> marker"
    if offset is None and options.placement_selector:
        offset = selector_offset(page, options.placement_selector, options.placement_position)
        how = f"[placement] selector {options.placement_selector!r} ({options.placement_position})"
    if offset is None and shown is not None:
        offset, how = shown.after, f"after the visible price {shown.text!r}"
    if offset is None:
        tried = f" (placement.selector {options.placement_selector!r} matched nothing)" if options.placement_selector else ""
        warnings.append(
            f"no place for the component{tried}: add <croissant-slot></croissant-slot> to the product template, "
            "or set placement.selector"
        )
        how = ""
    return offset, warnings, how
