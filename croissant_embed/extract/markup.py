"""Products from markup: our own attributes, OpenGraph, Snipcart buttons, CSS capture."""

from __future__ import annotations

import json
import re
from typing import Any, Mapping
from urllib.parse import urlsplit

from .candidates import Candidate, SourceResult
from .scan import Html, soup, visible_text
from .structured import availability
from .variants import from_variant_attributes

ATTRIBUTE_PREFIX = "data-croissant-"
_OUR_FIELDS = {
    "product-id": "id", "price": "price", "currency": "currency", "name": "name", "url": "url",
    "image": "image", "brand": "brand", "sku": "sku", "gtin": "gtin", "category": "category",
    "available": "available",
}
_OG_FIELDS = {
    "product:retailer_item_id": "id", "og:title": "name", "product:price:amount": "price",
    "og:price:amount": "price", "product:price:currency": "currency", "og:price:currency": "currency",
    "og:url": "url", "og:image": "image", "product:brand": "brand", "product:category": "category",
    "product:availability": "available", "og:availability": "available",
}


def from_attributes(page: Html) -> SourceResult:
    """``data-croissant-*`` attributes on any elements; an empty one reads the element's text."""
    result = SourceResult("attributes")
    fields: dict[str, Any] = {}
    ids: list[str] = []
    for tag in page.tags_with(ATTRIBUTE_PREFIX):
        for attribute, value in tag.attrs.items():
            name = _OUR_FIELDS.get(attribute[len(ATTRIBUTE_PREFIX):]) if attribute.startswith(ATTRIBUTE_PREFIX) else None
            if name is None:
                continue
            if value == "" and name != "id":
                value = visible_text(page.inner(tag))
            if name == "id":
                ids.append(value)
            fields.setdefault(name, value)
    if "available" in fields:
        fields["available"] = _boolean(fields["available"])
    distinct_ids = list(dict.fromkeys(ids))
    variants = from_variant_attributes(page)
    if len(distinct_ids) > 1:
        result.candidates = [Candidate("attributes", {"id": pid}) for pid in distinct_ids]
    elif fields or variants:
        result.candidates = [Candidate("attributes", fields, variants)]
    return result


def _boolean(value: Any) -> bool | None:
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    return availability(value)


def meta_tags(page: Html) -> dict[str, str]:
    """``<meta property|name=... content=...>`` of the page, first occurrence wins."""
    found: dict[str, str] = {}
    for tag in page.tags_with("<meta", lambda tag: tag.name == "meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("http-equiv") or "").strip().lower()
        if key and "content" in tag.attrs:
            found.setdefault(key, tag.attrs["content"])
    return found


def from_opengraph(meta: Mapping[str, str]) -> SourceResult:
    """OpenGraph product tags (only on pages whose ``og:type`` is a product)."""
    result = SourceResult("opengraph")
    if meta.get("og:type", "").strip().lower() not in ("product", "og:product", "product.item"):
        return result
    fields: dict[str, Any] = {}
    for key, name in _OG_FIELDS.items():
        if key in meta and name not in fields:
            fields[name] = meta[key]
    if "available" in fields:
        fields["available"] = availability(fields["available"].replace(" ", ""))
    result.candidates.append(Candidate("opengraph", fields))
    return result


def from_snipcart(page: Html, default_currency: str | None) -> SourceResult:
    """Snipcart-style buy buttons (``data-item-id``, ``data-item-price``, ...)."""
    result = SourceResult("snipcart")
    for tag in page.tags_with("data-item-id", lambda tag: "data-item-id" in tag.attrs):
        price: Any = tag.get("data-item-price")
        currency = tag.get("data-item-currency")
        if price and price.strip().startswith("{"):
            price, currency = _multi_currency(price, default_currency, result)
        fields = {
            "id": tag.get("data-item-id"), "name": tag.get("data-item-name"), "price": price,
            "currency": currency, "url": _page_address(tag.get("data-item-url")), "image": tag.get("data-item-image"),
            "category": tag.get("data-item-categories"),
        }
        result.candidates.append(Candidate("snipcart", {k: v for k, v in fields.items() if v not in (None, "")}))
    return result


_PAGE_EXTENSIONS = frozenset({"", "html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "jsp"})


def _page_address(url: str | None) -> str | None:
    """``data-item-url`` when it can be a page's address, else None.

    Snipcart only needs the URL its crawler reads the price from: themes point it at a JSON
    file (``/products.json``) or give a bare slug (``mug``), neither of them the product's page.
    Snipcart reads a relative URL against the site's root, and so is it read here.
    """
    if not url or not url.strip() or ("/" not in url and "." not in url):
        return None  # nothing, or a bare slug
    try:
        path = urlsplit(url.strip()).path
    except ValueError:  # such as "http://[::1" (an unclosed IPv6 host)
        return None
    last = path.rstrip("/").rsplit("/", 1)[-1]
    extension = last.rsplit(".", 1)[1].lower() if "." in last and not path.endswith("/") else ""
    if extension not in _PAGE_EXTENSIONS:
        return None
    url = url.strip()
    return url if url.startswith("/") or ":" in url.split("/", 1)[0] else "/" + url


def canonical_url(page: Html, meta: Mapping[str, str]) -> str | None:
    """The address the page gives itself: ``<link rel="canonical">``, else ``og:url``."""
    link = next(page.tags_with("canonical", lambda tag: tag.name == "link" and "canonical" in (tag.get("rel") or "").lower().split()), None)
    href = (link.get("href") or "").strip() if link is not None else ""
    return href or (meta.get("og:url") or "").strip() or None


def page_language(page: Html) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The page's ``<html lang>`` (lower case) and its hreflang alternates as ``(hreflang, href)`` pairs."""
    root = next(page.tags_with("<html", lambda tag: tag.name == "html"), None)
    links = page.tags_with("hreflang", lambda tag: tag.name == "link" and "alternate" in (tag.get("rel") or "").lower().split())
    language = language_tag(root.get("lang") or root.get("xml:lang") or "") if root is not None else None
    alternates = tuple(
        (language_tag(tag.get("hreflang") or "") or "", (tag.get("href") or "").strip())
        for tag in links
        if (tag.get("href") or "").strip() and (tag.get("hreflang") or "").strip()
    )
    return language, alternates


def language_tag(value: str) -> str | None:
    """A language tag in one spelling (``en_US`` -> ``en-us``), or None when empty."""
    return value.strip().replace("_", "-").lower() or None


def link_targets(page: Html) -> list[str]:
    """The ``href`` of every ``<a>`` of the page."""
    return [tag.attrs["href"] for tag in page.tags_with("href", lambda tag: tag.name == "a" and "href" in tag.attrs)]


def _multi_currency(raw: str, default_currency: str | None, result: SourceResult) -> tuple[Any, str | None]:
    try:
        prices = {str(k).upper(): v for k, v in json.loads(raw).items()}
    except (ValueError, AttributeError):
        result.warnings.append(f"data-item-price {raw!r} is neither a number nor a JSON object")
        return raw, None
    currency = default_currency if default_currency in prices else next(iter(prices), None)
    return (str(prices[currency]) if currency else None), currency


def parse_capture_spec(spec: str) -> tuple[str | None, str | None, str | None]:
    """``(selector, attribute, literal)`` from ``"h1"``, ``"img.main[src]"`` or ``"literal:EUR"``."""
    if spec.startswith("literal:"):
        return None, None, spec[len("literal:"):]
    match = re.match(r"^(.*\S)\[([\w:-]+)\]$", spec.strip())
    if match and not match.group(1).endswith((" ", ">", "+", "~")):
        return match.group(1), match.group(2), None
    return spec.strip(), None, None


def from_capture(page: Html, capture: Mapping[str, str], wanted: set[str]) -> SourceResult:
    """Fields read by configured CSS selectors (the one source that parses the whole page)."""
    result = SourceResult("capture")
    specs = {name: parse_capture_spec(spec) for name, spec in capture.items() if name in wanted}
    if not specs:
        return result
    tree = None
    fields: dict[str, Any] = {}
    for name, (selector, attribute, literal) in specs.items():
        if literal is not None:
            fields[name] = literal
            continue
        if tree is None:
            tree = soup(page.text)
        element = tree.select_one(selector)
        if element is None:
            continue
        value = element.get(attribute) if attribute else " ".join(element.get_text(" ").split())
        if isinstance(value, list):
            value = " ".join(value)
        if value:
            fields[name] = value
    if fields:
        result.candidates.append(Candidate("capture", fields))
    return result
