"""Helpers for tests that build real site folders."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

from croissant_embed.cache import SETTLED_NS
from croissant_embed.rewrite import strip_insertions

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_site"
JACKET = "AN-JKT-001"
SCARF = "AN-KNT-002"
BEANIE = "AN-KNT-003"  # the first product page
"""Product ids of the sample store."""
ATTACKS = REPO / "tests" / "corpus" / "attacks"
ATTACKS_EXPECTED = {
    "attacks/charset-undefined.html": "not-product",
    "attacks/charset-base64.html": "not-product",
    "attacks/charset-rot13.html": "not-product",
    "attacks/charset-idna.html": "not-product",
    "attacks/jsonld-100000-deep.html": "not-product",
    "attacks/name-lone-surrogate.html": "injected",
    "attacks/name-control-character.html": "injected",
    "attacks/price-1e999999999.html": "invalid",
    "attacks/itemscope-5000-deep.html": "injected",
    "attacks/cut-off-tag.html": "injected",
    "attacks/unclosed-price-spans.html": "injected",
    "attacks/unclosed-jsonld-scripts.html": "injected",
    "attacks/unended-script-tags.html": "injected",
    "attacks/price-in-attribute.html": "injected",
    "attacks/price-in-raw-text.html": "injected",
    "attacks/slot-in-attribute.html": "injected",
    "attacks/malformed-body.html": "injected",
}
"""Statuses of tests/corpus/attacks/ (test_pages_hostile.py builds them alone, test_hostile.py within the whole corpus)."""


def copy_sample(tmp_path: Path) -> Path:
    """A private copy of the sample store (config + built pages); returns its config."""
    store = tmp_path / "store"
    store.mkdir()
    shutil.copy(SAMPLE / "croissant.toml", store / "croissant.toml")
    shutil.copy(SAMPLE / "checkout_app.py", store / "checkout_app.py")
    shutil.copytree(SAMPLE / "public", store / "public")
    return store / "croissant.toml"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def without_insertions(data: bytes, encoding: str = "utf-8") -> bytes:
    """A page's bytes with croissant-embed's insertions removed."""
    return strip_insertions(data.decode(encoding)).encode(encoding)


def write_page(folder: Path, rel: str, html: str, *, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write a page under ``folder``."""
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.replace("\n", newline).encode(encoding))
    return path


def product_page(pid: str, price: str, *, name: str = "Thing", currency: str = "USD", extra_head: str = "") -> str:
    """A minimal product page with JSON-LD and a visible price."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>x</title>\n"
        f'<script type="application/ld+json">{{"@type":"Product","sku":"{pid}","name":"{name}",'
        f'"url":"https://s.example/{pid}/","offers":{{"price":"{price}","priceCurrency":"{currency}"}}}}</script>\n'
        f"{extra_head}</head>\n<body>\n<h1>{name}</h1>\n<p class=\"price\">{price} {currency}</p>\n</body>\n</html>\n"
    )


def make_store(folder: Path, count: int, *, price: str = "25.00") -> dict[str, bytes]:
    """``count`` product pages with JSON-LD under ``folder``; returns their original bytes."""
    pages = {}
    for index in range(count):
        rel = f"p/{index:05d}/index.html"
        path = write_page(folder, rel, product_page(f"P{index:05d}", price, name=f"Product {index}"))
        pages[rel] = path.read_bytes()
    return pages


def write_config(folder: Path, text: str = "") -> Path:
    """``folder/croissant.toml`` holding ``text`` (by default just a base URL); returns its path."""
    config = folder / "croissant.toml"
    config.write_text(text or 'base_url = "https://s.example/"\n', encoding="utf-8")
    return config


def setup_store(tmp_path: Path, count: int) -> tuple[Path, Path, dict[str, bytes]]:
    """A site of ``count`` product pages and its config: (site, config, the pages' original bytes)."""
    site = tmp_path / "site"
    original = make_store(site, count)
    return site, write_config(tmp_path), original


def mixed_store(tmp_path: Path, config: str = 'base_url = "https://s.example/"\nmax_invalid = 5\n') -> tuple[Path, Path]:
    """Three product pages, a listing, a product without a price (invalid) at ``bad/``, and the config (by default
    one that lets the build go on): (site, config)."""
    site = tmp_path / "site"
    make_store(site, 3)
    write_page(site, "list/index.html", "<!DOCTYPE html><html><body><h1>All</h1><p>No product here.</p></body></html>\n")
    write_page(site, "bad/index.html", product_page("BAD-1", "25.00").replace('"price":"25.00",', ""))
    return site, write_config(tmp_path, config)


def settle() -> None:
    """Wait until the files just written have settled: only then is a file known by its status (see ``cache.settled``)."""
    time.sleep(2 * SETTLED_NS / 1e9)


def reprice(page: Path, old: str, new: str) -> None:
    """Edit a built page's price text in place, as a new build of the site would."""
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def jacket_page(config: Path) -> Path:
    """The sample store's page of the Fjell shell jacket (``JACKET``)."""
    return config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html"


def load_checkout_app() -> ModuleType:
    """The sample store's reference checkout handler module (``sample_site/checkout_app.py``)."""
    sys.path.insert(0, str(SAMPLE))
    try:
        import checkout_app
    finally:
        sys.path.pop(0)
    return checkout_app
