"""Turning one page's raw product fields into a validated :class:`Product`."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from ..contract import FIELDS, VARIANT_FIELDS
from .prices import PriceError, normalise_currency, to_minor_units

# control characters, and the unpaired surrogates a JSON "\ud800" escape can produce: neither
# can be written as UTF-8 or XML
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_ID_LENGTH = 255
Relation = Literal["same", "above", "elsewhere", "unknown"]
STRUCTURED_SOURCES = frozenset({"attributes", "json-ld", "microdata", "opengraph", "snipcart"})


@dataclass(frozen=True)
class Product:
    """A product ready for the payload: prices in minor units, URLs absolute."""

    id: str
    name: str
    price: int
    currency: str
    url: str
    image: str | None = None
    brand: str | None = None
    sku: str | None = None
    gtin: str | None = None
    category: str | None = None
    available: bool | None = None
    group_id: str | None = None
    """For a variant: the id of its product group."""
    attributes: tuple[tuple[str, str], ...] = ()
    """For a variant: what tells it from its siblings, as (name, value) pairs (``("size", "M")``)."""
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def fields(self) -> dict[str, Any]:
        """Canonical fields that have a value (a variant's attributes as an object)."""
        values = {name: getattr(self, name) for name in FIELDS if getattr(self, name) is not None}
        if self.group_id is not None:
            values[VARIANT_FIELDS[0]] = self.group_id
        if self.attributes:
            values[VARIANT_FIELDS[1]] = dict(self.attributes)
        return values


def page_url(base_url: str | None, rel_path: str) -> str | None:
    """The public URL of a page from the site's base URL (``a/index.html`` -> ``.../a/``)."""
    if not base_url:
        return None
    path = rel_path[: -len("index.html")] if rel_path == "index.html" or rel_path.endswith("/index.html") else rel_path
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", path)


def page_slug(rel_path: str) -> str:
    """The page's path in the site, as a stable id: ``products/tent/index.html`` -> ``products/tent``."""
    path = rel_path.replace("\\", "/")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")]
    return path.strip("/") or "index"


@dataclass(frozen=True)
class PageAddress:
    """Where a page lives: its declared address (canonical, og:url), ``base_url`` + path, its path."""

    rel_path: str
    base_url: str | None = None
    declared: str | None = None

    def public(self) -> str | None:
        """The page's absolute URL: from ``base_url``, else its absolute canonical link or og:url."""
        return page_url(self.base_url, self.rel_path) or _absolute(self.declared, None)

    def _known(self) -> list[str]:
        return [url for url in (self.declared, page_url(self.base_url, self.rel_path)) if url]

    def _here(self) -> str:
        """What relative URLs on the page resolve against: an absolute address, else its path."""
        return next((absolute for absolute in (_absolute(u, None) for u in self._known()) if absolute), "/" + self.rel_path)

    def relation(self, url: Any) -> tuple[Relation, str]:
        """How ``url`` relates to this page, and ``url`` resolved against the page's address.

        ``same``: this page, reached as ``a/``, ``a/index.html`` or ``a.html``, or under a path
        prefix when the site is served from a sub-folder. ``above``: a page above this one (the
        home page, a section), where themes point a cart's crawler rather than at a product.
        ``elsewhere``: another page of this site. ``unknown``: no URL, or one on a host this
        page is not known at (not this site's to judge).
        """
        if not isinstance(url, str) or not url.strip():
            return "unknown", ""
        known, here = self._known(), self._here()
        try:
            target = urljoin(here, url.strip())
            host, path = _route(target)
            routes = [_route(urljoin(here, address)) for address in known] + [("", _route("/" + self.rel_path)[1])]
        except ValueError:  # such as "http://[::1" (an unclosed IPv6 host)
            return "unknown", url
        if host and host not in {h for h, _ in routes if h}:
            return "unknown", target
        if any(path == mine or mine.endswith("/" + path) or path.endswith("/" + mine) for _, mine in routes):
            return "same", target
        if any(not path or mine.startswith(path + "/") for _, mine in routes):
            return "above", target
        return "elsewhere", target

    def path_of(self, url: str) -> str | None:
        """The site path ``url`` names, resolved against this page (None when unreadable)."""
        try:
            return _route(urljoin(self._here(), url.strip()))[1]
        except ValueError:
            return None


def _route(url: str) -> tuple[str, str]:
    """(host, path) of a URL, the path without slashes at its ends, ``index.html`` or ``.html``."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.endswith("/index.html") or path == "index.html":
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")]
    return parts.netloc.lower(), path.strip("/")


def printable(text: str) -> str:
    """``text`` without control characters or unpaired surrogates."""
    return _UNPRINTABLE.sub("", text)


def _absolute(value: Any, against: str | None) -> str | None:
    if not isinstance(value, str) or not value.strip() or _UNPRINTABLE.search(value):
        return None
    value = value.strip()
    try:
        if urlsplit(value).scheme in ("http", "https"):
            return value
        if value.startswith("//"):
            return "https:" + value
        if against:
            joined = urljoin(against, value)
            return joined if urlsplit(joined).scheme in ("http", "https") else None
    except ValueError:  # such as "http://[::1" (an unclosed IPv6 host)
        return None
    return None


def _clean_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    for _ in range(3):  # themes escape twice ("Salt &amp;amp; Pepper"): decode until it settles
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = " ".join(text.split())  # whitespace control characters separate words
    if _UNPRINTABLE.search(text):
        text = " ".join(printable(text).split())
    return text or None


def normalise(
    raw: Mapping[str, Any],
    sources: Mapping[str, str],
    *,
    rel_path: str,
    base_url: str | None,
    default_currency: str | None,
    declared_url: str | None = None,
    placeholder_base_url: str | None = None,
) -> tuple[Product | None, list[str]]:
    """The product, or None with every problem (each names the field and the fix)."""
    problems: list[str] = []
    product_id = str(raw.get("id", "")).strip()
    if not product_id:
        problems.append("id: no product id; add data-croissant-product-id, or sku/productID to the structured data")
    elif len(product_id) > MAX_ID_LENGTH or _UNPRINTABLE.search(product_id):
        problems.append(f"id: {product_id[:40]!r}... is longer than {MAX_ID_LENGTH} characters or has control characters")
    name = _clean_text(raw.get("name"))
    if not name:
        problems.append("name: no product name; add it to the structured data or data-croissant-name")
    currency = None
    try:
        currency = normalise_currency(raw.get("currency") or default_currency)
    except PriceError as exc:
        fix = "add priceCurrency to the offer, or set default_currency" if not raw.get("currency") else "use an ISO 4217 code"
        problems.append(f"currency: {exc}; {fix}")
    price = None
    if raw.get("price") is None or str(raw.get("price")).strip() == "":
        problems.append("price: no price found; add an offer price to the structured data, or data-croissant-price")
    elif currency is not None:
        try:
            price = to_minor_units(raw.get("price"), currency, machine=sources.get("price") in STRUCTURED_SOURCES)
        except PriceError as exc:
            problems.append(f"price: {exc}")
    address = PageAddress(rel_path, base_url, declared_url)
    here = address.public()
    given = raw.get("url")
    if address.relation(given)[0] == "above":
        given = None  # the home page or a section: where the theme sends a crawler, not the product's page
    url = _absolute(given, here) or here
    url_source = sources.get("url", "page") if given else "page"
    if url is None and placeholder_base_url:  # a local build: a stand-in address, recorded as guessed
        stand_in = page_url(placeholder_base_url, rel_path)
        url, url_source = _absolute(given, stand_in) or stand_in, "guessed"
    if url is None:
        problems.append("url: the product URL is missing or relative; set base_url (the site's public address)")
    if problems:
        return None, problems
    assert name is not None and currency is not None and price is not None and url is not None
    available = raw.get("available")
    return (
        Product(
            id=product_id,
            name=name,
            price=price,
            currency=currency,
            url=url,
            image=_absolute(raw.get("image"), here),
            brand=_clean_text(raw.get("brand")),
            sku=_clean_text(raw.get("sku")),
            gtin=_clean_text(raw.get("gtin")),
            category=_clean_text(raw.get("category")),
            available=available if isinstance(available, bool) else None,
            sources={**sources, "url": url_source},
        ),
        [],
    )
