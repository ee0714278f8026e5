"""Products from schema.org structured data: JSON-LD and microdata."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator


from .candidates import Candidate, SourceResult
from .scan import Html, Tag, soup
from .variants import gather_groups, lowest_offer_variant, node_index, structured_variants

if TYPE_CHECKING:
    from bs4 import Tag as SoupTag

MAX_JSONLD_CHARS = 2_000_000
MAX_SCOPE_DEPTH = 8
"""Microdata item scopes nested deeper than this inside a product are not read."""
MAX_ITEMREFS = 8
"""A product's ``itemref`` ids beyond this many are not followed."""
_TOO_DEEP = "a JSON-LD block is nested too deeply to read and was skipped"
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PRODUCT_TYPES = {"Product", "ProductGroup", "IndividualProduct", "ProductModel", "SomeProducts", "Vehicle", "Car"}
_MICRODATA_PRODUCT = re.compile(r"https?://schema\.org/(?:Product|ProductGroup|IndividualProduct)/?$", re.I)
_AVAILABLE = {"instock", "instoreonly", "onlineonly", "limitedavailability", "preorder", "presale", "backorder", "in stock"}
_UNAVAILABLE = {"outofstock", "soldout", "discontinued", "out of stock"}


def availability(value: Any) -> bool | None:
    """schema.org availability (URL or name) as a boolean, or None when unknown."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    word = value.strip().rstrip("/").rsplit("/", 1)[-1].lower()
    if word in _AVAILABLE:
        return True
    if word in _UNAVAILABLE:
        return False
    return None


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type", [])
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values}


def _first(value: Any) -> Any:
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def _text(value: Any) -> Any:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    return value


def load_jsonld(text: str) -> tuple[Any, str | None]:
    """The data of a JSON-LD block, leniently; (None, reason) when unreadable."""
    if len(text) > MAX_JSONLD_CHARS:
        return None, f"a JSON-LD block of {len(text):,} characters was skipped (limit {MAX_JSONLD_CHARS:,})"
    try:
        return json.loads(text, parse_float=Decimal), None
    except ValueError:
        pass
    except RecursionError:
        return None, _TOO_DEEP
    cleaned = _CONTROL.sub(" ", _TRAILING_COMMA.sub(r"\1", html.unescape(_CDATA.sub("", text))))
    try:
        return json.loads(cleaned, parse_float=Decimal), "JSON-LD was malformed (trailing commas, entities or control characters) and was read leniently"
    except json.JSONDecodeError as exc:
        return None, f"a JSON-LD block is not valid JSON and was skipped ({exc.msg} at line {exc.lineno})"
    except ValueError as exc:  # such as an integer of more than 4,300 digits
        return None, f"a JSON-LD block could not be read and was skipped ({str(exc)[:80]})"
    except RecursionError:
        return None, _TOO_DEEP


def _product_nodes(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if _types(node) & _PRODUCT_TYPES:
                yield node
                continue
            stack.extend(value for key, value in node.items() if key != "@context" and isinstance(value, (dict, list)))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _offer(offers: Any) -> dict[str, Any]:
    offer = _first(offers)
    if not isinstance(offer, dict):
        return {}
    spec = _first(offer.get("priceSpecification"))
    # an AggregateOffer (price ranges) gives lowPrice: the "From" price a shopper pays
    price = next((value for value in (offer.get("price"), offer.get("lowPrice")) if not _blank(value)), offer.get("price"))
    if _blank(price) and isinstance(spec, dict):
        price = spec.get("price", price)
    currency = offer.get("priceCurrency") or (spec.get("priceCurrency") if isinstance(spec, dict) else None)
    return {"price": price, "currency": currency, "available": availability(offer.get("availability")), "url": offer.get("url")}


PRODUCT_PROPERTIES = frozenset(
    "productGroupID productID sku gtin gtin13 gtin12 gtin14 gtin8 mpn name url image brand category offers hasVariant "
    "price lowPrice priceCurrency priceSpecification availability variesBy size color material pattern suggestedAge "
    "suggestedGender additionalProperty value inProductGroupWithID".split()
)
"""The schema.org properties :func:`candidate_from_node` reads (of a product, offer, brand or variant)."""
_REPEATED = frozenset({"offers", "hasVariant", "variesBy", "additionalProperty"})
"""Properties a microdata item may give several times: each value is kept, in a list."""


def _no_reference(value: Any) -> Any:
    return value


def candidate_from_node(node: dict[str, Any], source: str, resolve: Any = _no_reference) -> Candidate:
    """One schema.org Product (or ProductGroup) node as raw fields, with its variants.

    ``resolve`` follows ``{"@id": ...}`` references to the nodes of the same block.
    """
    offer = _offer(node.get("offers"))
    if not offer and node.get("hasVariant"):  # a group as one product: its cheapest variant's price
        variant = lowest_offer_variant(node["hasVariant"] if isinstance(node["hasVariant"], list) else [node["hasVariant"]], resolve)
        if variant is None:
            variant = resolve(_first(node.get("hasVariant")))
        if isinstance(variant, dict):
            offer = _offer(variant.get("offers"))
    gtin = next((node[k] for k in ("gtin", "gtin13", "gtin12", "gtin14", "gtin8") if node.get(k)), None)
    fields = {
        # the documented order: a group's own id, then sku, productID, mpn, gtin
        "id": next((value for value in (node.get("productGroupID"), node.get("sku"), node.get("productID"), node.get("mpn"), gtin) if not _blank(value)), None),
        "name": _text(node.get("name")),
        "price": offer.get("price"),
        "currency": offer.get("currency"),
        "url": _text(node.get("url")) or offer.get("url"),
        "image": _text(node.get("image")),
        "brand": _text(node.get("brand")),
        "sku": node.get("sku"),
        "gtin": gtin,
        "category": _text(node.get("category")),
        "available": offer.get("available"),
    }
    candidate = Candidate(source, {k: v for k, v in fields.items() if v is not None and v != [] and v != {}})
    candidate.variants = structured_variants(node, source, _variant_reader(resolve), resolve)
    return candidate


def _variant_reader(resolve: Any) -> Any:
    def read(variant: dict[str, Any], source: str) -> Candidate:
        return candidate_from_node({k: v for k, v in variant.items() if k != "hasVariant"}, source, resolve)
    return read


def from_jsonld(page: Html) -> SourceResult:
    """Products of every JSON-LD block, including ``@graph`` arrays (variants folded into their group)."""
    result = SourceResult("json-ld")
    for _, block in page.jsonld_blocks():
        data, warning = load_jsonld(block)
        if warning:
            result.warnings.append(warning)
        if data is None:
            continue
        index = node_index(data)

        def resolve(value: Any, index: dict[str, dict[str, Any]] = index) -> Any:
            if isinstance(value, dict) and set(value) == {"@id"}:
                return index.get(str(value["@id"]), value)
            return index.get(value, value) if isinstance(value, str) else value

        nodes = gather_groups(list(_product_nodes(data)), index)
        result.candidates.extend(candidate_from_node(node, "json-ld", resolve) for node in nodes)
    return result


def _itemprop_value(element: SoupTag) -> str:
    for attribute in ("content", "value"):
        if element.has_attr(attribute):
            return str(element[attribute])
    if element.name in ("a", "link", "area"):
        return str(element.get("href", ""))
    if element.name in ("img", "source", "video", "audio", "embed", "iframe"):
        return str(element.get("src", ""))
    return " ".join(element.get_text(" ").split())


def _properties(scope: SoupTag) -> dict[str, Any]:
    """The item's properties, nested item scopes as dicts, in one walk over its elements.

    Each element belongs to its nearest enclosing item scope, known from its parent's, so the
    walk is linear however deep the scopes nest; only the properties a product is read from
    are collected, and scopes nested deeper than MAX_SCOPE_DEPTH are left out.
    """
    props: dict[int, dict[str, Any]] = {id(scope): {}}
    depth = {id(scope): 0}
    inner = {id(scope): scope}  # element id -> the scope its children belong to
    for element in scope.descendants:
        if not hasattr(element, "has_attr"):  # text, comments
            continue
        owner = inner[id(element.parent)]
        inner[id(element)] = element if element.has_attr("itemscope") else owner
        owner_props = props.get(id(owner))
        if owner_props is None or not element.has_attr("itemprop"):
            continue
        for name in str(element["itemprop"]).split():
            repeated = name in _REPEATED
            # a theme may print an empty placeholder (content="") before the real value
            if name not in PRODUCT_PROPERTIES or (not repeated and not _blank(owner_props.get(name))):
                continue
            if not element.has_attr("itemscope"):
                value: Any = _itemprop_value(element)
            elif depth[id(owner)] < MAX_SCOPE_DEPTH:
                value = props.setdefault(id(element), {})
                depth[id(element)] = depth[id(owner)] + 1
            else:
                continue
            if repeated:
                owner_props.setdefault(name, []).append(value)
            else:
                owner_props[name] = value
    return props[id(scope)]


_MICRODATA_OFFER = re.compile(r"https?://schema\.org/(?:Offer|AggregateOffer)/?$", re.I)


def _is_offer_scope(tag: Tag) -> bool:
    if "itemscope" not in tag.attrs:
        return False
    return "offers" in (tag.get("itemprop") or "").split() or bool(_MICRODATA_OFFER.match((tag.get("itemtype") or "").strip()))


def _scope_properties(page: Html, tag: Tag) -> dict[str, Any] | None:
    """The properties of the item scope starting at ``tag`` (None when it is not one)."""
    scope = soup(page.text[tag.start : page.element_end(tag)]).find(attrs={"itemscope": True})
    return None if scope is None else _properties(scope)


def _referenced(page: Html, tag: Tag) -> dict[str, Any]:
    """Properties on the elements an ``itemref`` names (the offer printed apart from the product)."""
    found: dict[str, Any] = {}
    for ref in (tag.get("itemref") or "").split()[:MAX_ITEMREFS]:
        element = next(page.tags_with(ref.lower(), lambda t, ref=ref: t.get("id") == ref), None) if ref.isascii() else None
        if element is not None:
            # wrapped in a scope of its own, so the element's own itemprop is read too
            wrapped = "<div itemscope>" + page.text[element.start : page.element_end(element)] + "</div>"
            scope = soup(wrapped).find(attrs={"itemscope": True})
            for name, value in _properties(scope).items():
                if _blank(found.get(name)):
                    found[name] = value
    return found


def from_microdata(page: Html) -> SourceResult:
    """Products marked up with schema.org microdata (outermost Product scopes only).

    A product's offer may be printed apart from it: named by the product's ``itemref``, or an
    offer scope outside every product that follows it (a theme closing the product's element
    before its buy box). Such an offer belongs to the product just before it.
    """
    result = SourceResult("microdata")
    products: list[tuple[Tag, int, dict[str, Any]]] = []
    covered_until = -1
    for tag in page.tags_with("itemtype", lambda tag: bool(_MICRODATA_PRODUCT.match(tag.get("itemtype", "").strip()))):
        if tag.start < covered_until:
            continue
        covered_until = page.element_end(tag)
        props = _scope_properties(page, tag)
        if props is None:
            continue
        for name, value in _referenced(page, tag).items():
            if _blank(props.get(name)):
                props[name] = value
        products.append((tag, covered_until, props))
    if not products:
        return result
    for offer in page.tags_with("itemscope", _is_offer_scope):
        if any(start.start <= offer.start < end for start, end, _ in products):
            continue
        before = [props for start, _, props in products if start.start < offer.start]
        if before and not any(isinstance(o, dict) for o in before[-1].get("offers") or ()):
            before[-1]["offers"] = [_scope_properties(page, offer) or {}]
    for tag, _, props in products:
        kind = "ProductGroup" if tag.get("itemtype", "").strip().rstrip("/").endswith("ProductGroup") else "Product"
        result.candidates.append(candidate_from_node({"@type": kind, **props}, "microdata"))
    return result
