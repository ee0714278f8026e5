"""What every theme of the corpus shares: the store record, truth entries, small helpers."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

NNBSP = "\u202f"  # narrow no-break space, what French number formatting puts before "€"
NBSP = "\u00a0"


@dataclass
class Store:
    """One store of the corpus: its built pages, what a correct tool finds, its settings."""

    name: str
    description: str
    families: list[str]
    pages: dict[str, str] = field(default_factory=dict)
    products: list[dict[str, Any]] = field(default_factory=list)
    config: str | None = None
    extra_files: dict[str, str] = field(default_factory=dict)

    def page(self, path: str, text: str) -> None:
        """Add a non-product page (or a product page whose truth is added with ``product``)."""
        assert path not in self.pages, path
        self.pages[path] = text

    def product(self, path: str, text: str, *, id: str, price: int, currency: str, selector: str) -> None:
        """Add a product page and what a correct tool extracts from it."""
        self.page(path, text)
        self.products.append({"page": path, "id": id, "price": price, "currency": currency, "price_selector": selector})

    def truth(self) -> dict[str, Any]:
        """The store's ``truth.json``."""
        product_pages = {entry["page"] for entry in self.products}
        return {
            "store": self.name,
            "description": self.description,
            "families": self.families,
            "products": sorted(self.products, key=lambda entry: entry["page"]),
            "not_product": sorted(path for path in self.pages if path not in product_pages),
        }


def slug_of(path: str) -> str:
    """The id of a page with no other id: its path without ``index.html``/``.html`` and slashes."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")]
    return path.strip("/")


def esc(value: str) -> str:
    """Escape text for an HTML attribute or element."""
    return html.escape(value, quote=True)


def jsonld(data: Any, *, indent: int | None = 2) -> str:
    """A JSON-LD script block as a generator would print it."""
    separators = (", ", ": ") if indent else (",", ":")  # one-line JSON-LD is printed compact, as JSON.stringify does
    body = json.dumps(data, indent=indent, separators=separators, ensure_ascii=False)
    return f'<script type="application/ld+json">\n{body}\n</script>' if indent else f'<script type="application/ld+json">{body}</script>'


def dollars(minor: int, symbol: str = "$") -> str:
    """``$1,234.50`` from minor units."""
    return f"{symbol}{minor // 100:,}.{minor % 100:02d}"


_SCRIPT = re.compile(r"(<script\b.*?</script>)", re.S | re.I)
_SIMPLE_ATTR = re.compile(r'=\"([A-Za-z0-9_\-.:/#]+)\"')


def minify(text: str) -> str:
    """What ``hugo --minify`` and friends print: one line, simple attribute values unquoted."""
    parts = _SCRIPT.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(re.sub(r"\s*\n\s*", "", part))
            continue
        part = re.sub(r">\s+<", "><", part)
        part = re.sub(r"\s*\n\s*", " ", part)
        # a value ending in "/" right before ">" would read as a self-closing slash: keep those quoted
        part = _SIMPLE_ATTR.sub(lambda m: m.group(0) if m.group(1).endswith("/") else "=" + m.group(1), part)
        out.append(part)
    return "".join(out).strip() + "\n"
