"""Feed stage: the extracted catalogue as a product feed Croissant can subscribe to.

``build --feed PATH`` writes ``PATH.json`` (the contract payloads, by id) and ``PATH.xml``
(Google Merchant-style RSS 2.0 with ``g:`` fields) into the site, so it is deployed with it.
Both are deterministic (sorted by id, no timestamps) and checked before they are written.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from .errors import ConfigError, SiteError
from .extract import Product
from .extract.prices import format_minor
from .outputs import KINDS
from .render import Renderer
from .settings import Settings
from .sitefiles import write_atomic

G = "{http://base.google.com/ns/1.0}"
# characters XML 1.0 cannot carry, even as character references
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REQUIRED_RSS = ("id", "title", "link", "price", "availability")


def feed_paths(site: Path, path: str) -> tuple[Path, Path]:
    """The JSON and XML files for ``--feed PATH`` (relative to the site, never outside it)."""
    relative = Path(path)
    if relative.is_absolute() or path.startswith(("/", "\\")):
        raise ConfigError([f"--feed {path}: give a path relative to the site folder, such as feeds/products"])
    if relative.suffix in (".json", ".xml"):
        relative = relative.with_suffix("")
    target = (site / relative).resolve()
    if site.resolve() not in target.parents:
        raise ConfigError([f"--feed {path}: the feed must be inside the site folder"])
    return target.with_suffix(".json"), target.with_suffix(".xml")


def json_feed(products: list[Product], settings: Settings) -> bytes:
    """The JSON feed: ``{"version": 1, "products": [{"id": ..., <contract fields>}]}``."""
    items = [{"id": p.id, **settings.payload.payload(p.fields())} for p in sorted(products, key=lambda p: p.id)]
    return (json.dumps({"kind": KINDS["feed-json"], "version": 1, "products": items}, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def rss_feed(products: list[Product], settings: Settings) -> bytes:
    """The RSS 2.0 feed with Google Merchant ``g:`` fields."""
    items = [
        {
            "id": p.id, "name": p.name, "url": p.url, "price_text": format_minor(p.price, p.currency), "currency": p.currency,
            "image": p.image, "brand": p.brand, "gtin": p.gtin, "category": p.category,
            "availability": "out_of_stock" if p.available is False else "in_stock",
        }
        for p in sorted(products, key=lambda p: p.id)
    ]
    items = [{key: _xml_text(value) for key, value in item.items()} for item in items]
    text = Renderer(settings).render("feed.xml", items=items, generator=KINDS["feed-xml"], title="Product feed", link=_xml_text(settings.base_url or ""))
    return (text + "\n").encode("utf-8")


def _xml_text(value: Any) -> Any:
    """A text value without the characters XML cannot hold (a name's stray control character)."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def validate(json_bytes: bytes, rss_bytes: bytes, expected: int) -> None:
    """Both feeds parse and carry every product with its required fields."""
    data: Any = json.loads(json_bytes)
    problems = [f"JSON item {i}: missing {k}" for i, item in enumerate(data["products"]) for k in ("id", "url") if k not in item]
    try:
        channel = ElementTree.fromstring(rss_bytes).find("channel")
    except ElementTree.ParseError as exc:
        raise SiteError(f"the product feed failed its check: the RSS feed is not well-formed XML ({exc})") from exc
    items = channel.findall("item") if channel is not None else []
    for index, item in enumerate(items):
        problems += [f"RSS item {index}: missing g:{k}" for k in REQUIRED_RSS if not (item.findtext(G + k) or "").strip()]
    if len(data["products"]) != expected or len(items) != expected:
        problems.append(f"expected {expected} products, the feeds hold {len(data['products'])} and {len(items)}")
    if problems:
        raise SiteError("the product feed failed its check: " + "; ".join(problems[:5]))


def write_feeds(site: Path, path: str, products: list[Product], settings: Settings) -> tuple[Path, Path]:
    """Write and check both feeds; returns their paths."""
    json_path, rss_path = feed_paths(site, path)
    unique = list({p.id: p for p in products}.values())
    json_bytes, rss_bytes = json_feed(unique, settings), rss_feed(unique, settings)
    validate(json_bytes, rss_bytes, len(unique))
    write_atomic(json_path, json_bytes)
    write_atomic(rss_path, rss_bytes)
    return json_path, rss_path
