"""Helpers for tests that build real site folders."""

from __future__ import annotations

import shutil
from pathlib import Path

from croissant_embed.rewrite import strip_insertions

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_site"


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
