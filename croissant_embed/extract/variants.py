"""Variants: the purchasable items of one product page (sizes, colours, formats).

Every variant with its own id is its own Croissant product, tied to its group by ``groupId``
(``shared/croissant-api.md``). They are read from a schema.org ``ProductGroup`` (its
``hasVariant``, or ``Product`` nodes naming it in ``isVariantOf``), a ``Product`` whose
offers each carry their own sku, and our own ``data-croissant-variant-*`` attributes. Here
they are raw candidates; :func:`variant_products` turns them into products.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .candidates import Candidate
from .normalise import Product, normalise
from .scan import Html

ATTRIBUTE = "data-croissant-variant-"
"""Our own attributes: ``data-croissant-variant-id`` on one element per variant, and its fields."""
_OWN_FIELDS = {"id": "id", "price": "price", "currency": "currency", "name": "name", "available": "available",
               "sku": "sku", "gtin": "gtin", "image": "image", "url": "url"}
DEFAULT = "default"
"""``data-croissant-variant-default``: the variant shown before the shopper chooses."""
_ATTRIBUTE_PROPERTIES = ("size", "color", "material", "pattern", "suggestedAge", "suggestedGender")
"""The schema.org properties a variant differs by when its group does not say (``variesBy``)."""


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _label(value: Any) -> str | None:
    """A property's value as text (a nested node by its name)."""
    while isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@id")
    text = " ".join(str(value).split()) if value is not None and not isinstance(value, (dict, list)) else ""
    return text or None


def _property_name(value: Any) -> str | None:
    """``https://schema.org/size`` (or ``schema:size``, ``size``) as ``size``."""
    text = _label(value)
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] if text else None


def attributes_of(node: dict[str, Any], varies_by: list[str]) -> tuple[tuple[str, str], ...]:
    """What tells a variant node apart: its ``variesBy`` properties, else the usual ones and ``additionalProperty``."""
    names = varies_by or [name for name in _ATTRIBUTE_PROPERTIES if not _blank(node.get(name))]
    pairs = [(name, _label(node.get(name))) for name in names]
    if not varies_by:
        pairs += [(_label(prop.get("name")), _label(prop.get("value"))) for prop in _listed(node.get("additionalProperty"))
                  if isinstance(prop, dict)]
    return tuple((name, value) for name, value in pairs if name and value)


def node_index(data: Any) -> dict[str, dict[str, Any]]:
    """Every JSON-LD node with an ``@id``, by that id (how ``{"@id": ...}`` references are followed)."""
    index: dict[str, dict[str, Any]] = {}
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if isinstance(node.get("@id"), str) and len(node) > 1:  # a node, not a bare reference to one
                index.setdefault(node["@id"], node)
            stack.extend(value for value in node.values() if isinstance(value, (dict, list)))
    return index


def group_key(node: dict[str, Any]) -> str | None:
    """The group a Product node says it is a variant of (``isVariantOf``, ``inProductGroupWithID``)."""
    parent = node.get("isVariantOf")
    while isinstance(parent, list):
        parent = parent[0] if parent else None
    if isinstance(parent, dict):
        key = next((parent.get(k) for k in ("@id", "productGroupID", "sku", "name") if not _blank(parent.get(k))), None)
    else:
        key = parent
    key = key if not _blank(key) else node.get("inProductGroupWithID")
    return None if _blank(key) or isinstance(key, (dict, list)) else str(key).strip()


def gather_groups(nodes: list[dict[str, Any]], index: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The product nodes of one JSON-LD block, with variant nodes folded into their group.

    Products naming the same group (``isVariantOf``) are that group's ``hasVariant``: the
    group node when the block has it, else the group they describe inline, else one made
    from its id. So a page of variants reads as one product, not as a listing.
    """
    listed = {str(ref["@id"]) for node in nodes for ref in _listed(node.get("hasVariant")) if isinstance(ref, dict) and "@id" in ref}
    nodes = [node for node in nodes if not (isinstance(node.get("@id"), str) and node["@id"] in listed)]
    members: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        key = group_key(node)
        if key is not None:
            members.setdefault(key, []).append(node)
    if not members:
        return nodes
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    for node in nodes:
        key = group_key(node)
        own = next((k for k in members if index.get(k) is node), None)
        if key is None and own is None:
            out.append(node)
            continue
        key = key if key is not None else own
        assert key is not None
        if key in placed:
            continue
        placed.add(key)
        parent = index.get(key) or next((p for p in _listed(node.get("isVariantOf")) if isinstance(p, dict)), None) or {"productGroupID": key}
        known = {id(v) for v in _listed(parent.get("hasVariant")) if isinstance(v, dict)}
        variants = _listed(parent.get("hasVariant")) + [m for m in members[key] if id(m) not in known and m is not parent]
        first = members[key][0]
        out.append({"name": first.get("name"), "brand": first.get("brand"), "image": first.get("image"), **parent,
                    "@type": "ProductGroup", "hasVariant": variants})
    return out


def structured_variants(
    node: dict[str, Any], source: str, read: Callable[[dict[str, Any], str], Candidate], resolve: Callable[[Any], Any]
) -> list[Candidate]:
    """A group's ``hasVariant`` nodes, or a product's offers that each have their own sku, as candidates.

    Each variant candidate holds the usual fields plus ``attributes`` (name, value) pairs.
    """
    varies_by = [name for name in (_property_name(v) for v in _listed(node.get("variesBy"))) if name]
    found: list[Candidate] = []
    for item in _listed(node.get("hasVariant")):
        variant = resolve(item)
        if isinstance(variant, dict):
            candidate = read(variant, source)
            candidate.fields["attributes"] = attributes_of(variant, varies_by)
            found.append(candidate)
    if found:
        return found
    offers = [offer for offer in _listed(node.get("offers")) if isinstance(offer, dict)]
    skus = [str(offer.get("sku")).strip() for offer in offers if not _blank(offer.get("sku"))]
    if len(offers) < 2 or len(skus) != len(offers) or len(set(skus)) != len(skus):
        return []
    for offer, sku in zip(offers, skus):
        candidate = read({"@type": "Product", "sku": sku, "gtin": offer.get("gtin"), "offers": offer, "url": offer.get("url"),
                          "image": offer.get("image")}, source)
        option = _label(offer.get("name")) or sku
        candidate.fields["attributes"] = (("option", option),)
        candidate.fields["option_name"] = _label(offer.get("name"))
        found.append(candidate)
    return found


def lowest_offer_variant(variants: list[Any], resolve: Callable[[Any], Any]) -> dict[str, Any] | None:
    """The variant node whose offer is the cheapest (the "From" price a group shows as one product)."""
    best: tuple[Decimal, dict[str, Any]] | None = None
    for item in variants:
        variant = resolve(item)
        if not isinstance(variant, dict):
            continue
        offer = variant.get("offers")
        while isinstance(offer, list):
            offer = offer[0] if offer else None
        price = offer.get("price") if isinstance(offer, dict) else None
        try:
            amount = Decimal(str(price).strip())
        except (InvalidOperation, ValueError):
            continue
        if amount.is_finite() and (best is None or amount < best[0]):
            best = (amount, variant)
    return None if best is None else best[1]


def from_variant_attributes(page: Html) -> list[Candidate]:
    """Variants marked with our own attributes: ``data-croissant-variant-id`` and its siblings on one element."""
    found: list[Candidate] = []
    for tag in page.tags_with(ATTRIBUTE + "id", lambda tag: ATTRIBUTE + "id" in tag.attrs):
        fields: dict[str, Any] = {}
        attributes: list[tuple[str, str]] = []
        for name, value in tag.attrs.items():
            if not name.startswith(ATTRIBUTE):
                continue
            key = name[len(ATTRIBUTE):]
            if key == DEFAULT:
                fields[DEFAULT] = True
            elif key in _OWN_FIELDS:
                fields[_OWN_FIELDS[key]] = value
            elif value.strip():
                attributes.append((key, " ".join(value.split())))
        if "available" in fields:
            fields["available"] = str(fields["available"]).strip().lower() not in ("false", "0", "no", "outofstock", "soldout")
        fields["attributes"] = tuple(attributes)
        found.append(Candidate("attributes", fields))
    return found


def _chosen_values(page: Html) -> set[str]:
    """The values the page shows as chosen: selected options and checked inputs."""
    return {tag.get("value") or "" for tag in page.tags_with("selected", lambda tag: tag.name == "option" and "selected" in tag.attrs)} | {
        tag.get("value") or "" for tag in page.tags_with("checked", lambda tag: tag.name == "input" and "checked" in tag.attrs)}


def variant_products(
    page: Html, product: Product, candidates: list[Candidate], *, rel_path: str, base_url: str | None,
    placeholder_base_url: str | None, several: bool = False,
) -> tuple[list[Product], list[tuple[str, tuple[str, ...]]]]:
    """The valid variants (the one shown first at the head) and the invalid ones with their problems.

    A variant lacking a field takes the product's (name, currency, URL, image, brand,
    category); its name says what sets it apart (``Tee (M / Blue)``). The ``several`` products
    of one page (formats) are products in their own right: no group. The first is the
    variant the page marks (``data-croissant-variant-default``, a selected option or checked
    input holding its id), else the first available one, else the first.
    """
    valid: list[tuple[Candidate, Product]] = []
    invalid: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()
    for candidate in candidates:
        fields = dict(candidate.fields)
        variant_id = str(fields.get("id") or "").strip()
        if variant_id in seen:
            continue
        seen.add(variant_id)
        attributes = fields.pop("attributes", ())
        option = fields.pop("option_name", None)
        fields.pop(DEFAULT, None)
        if not fields.get("name"):
            label = option or " / ".join(value for _, value in attributes)
            fields["name"] = f"{product.name} ({label})" if label else product.name
        elif option:
            fields["name"] = f"{fields['name']} ({option})"
        for name in ("currency", "image", "brand", "category"):
            if fields.get(name) is None and getattr(product, name) is not None:
                fields[name] = getattr(product, name)
        fields.setdefault("url", product.url)
        sources = {name: candidate.source for name in fields}
        found, problems = normalise(fields, sources, rel_path=rel_path, base_url=base_url, default_currency=product.currency,
                                    declared_url=product.url, placeholder_base_url=placeholder_base_url)
        if found is None:
            invalid.append((variant_id, tuple(f"variant {variant_id or '(no id)'}: {problem}" for problem in problems)))
            continue
        group = product.id if product.id != found.id and not several else None
        valid.append((candidate, replace(found, group_id=group, attributes=tuple(attributes), sources=product.sources | found.sources)))
    chosen = _chosen_values(page)
    first = next((pair for pair in valid if pair[0].fields.get(DEFAULT)), None) or next(
        (pair for pair in valid if pair[1].id in chosen), None) or next(
        (pair for pair in valid if pair[1].available is not False), None)
    ordered = [pair[1] for pair in valid]
    if first is not None:
        ordered.remove(first[1])
        ordered.insert(0, first[1])
    return ordered, invalid

