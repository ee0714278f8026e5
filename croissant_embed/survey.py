"""``croissant-embed init``: a commented croissant.toml written from a look at the built site."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .discover import discover
from .errors import ConfigError, SiteError
from .extract import ExtractOptions, analyse_page
from .sitefiles import decode, read_bytes, write_atomic

CANDIDATE_FOLDERS = ("public", "_site", "site", "output", "dist", "build", "out", "www")
SAMPLE_PAGES = 300
_CANONICAL = re.compile(r"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)|<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""", re.I)


@dataclass
class SiteSurvey:
    """What a sample of the built site shows."""

    site_dir: Path
    pages: int = 0
    products: int = 0
    sources: Counter = field(default_factory=Counter)
    currencies: Counter = field(default_factory=Counter)
    base_url: str | None = None


def find_site_dir(root: Path) -> Path:
    """The generator's output folder under ``root``: the first usual name holding HTML."""
    for name in CANDIDATE_FOLDERS:
        folder = root / name
        if folder.is_dir() and any(folder.rglob("*.html")):
            return folder
    raise ConfigError([f"site_dir: no built site found in {root} (looked for {', '.join(CANDIDATE_FOLDERS)}); give SITE_DIR"])


def _base_from(url: str, rel: str) -> str | None:
    path = rel[: -len("index.html")] if rel.endswith("index.html") else rel
    return url[: -len(path)] if path and url.endswith(path) else (url if not path else None)


def survey(site_dir: Path) -> SiteSurvey:
    """Extract a sample of pages with default settings."""
    found = SiteSurvey(site_dir)
    bases: Counter = Counter()
    for page in discover(site_dir, include=("**/*.html", "**/*.htm"), exclude=()):
        if page.skipped or found.pages >= SAMPLE_PAGES:
            continue
        try:
            text = decode(read_bytes(page.path, page.rel), page.rel).text
        except SiteError:
            continue
        found.pages += 1
        analysis = analyse_page(text, page.rel, ExtractOptions())
        if analysis.status not in ("product", "invalid"):
            continue
        found.products += 1
        found.sources.update(set(analysis.sources.values()) - {"page"})
        if analysis.product is not None:
            found.currencies[analysis.product.currency] += 1
        match = _CANONICAL.search(text)
        url = (match.group(1) or match.group(2)) if match else None
        base = _base_from(url, page.rel) if url and url.startswith(("http://", "https://")) else None
        if base:
            bases[base] += 1
    found.base_url = bases.most_common(1)[0][0] if bases else None
    return found


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def config_text(found: SiteSurvey, root: Path) -> str:
    """The commented croissant.toml for a surveyed site."""
    site = found.site_dir.resolve()
    site_rel = site.relative_to(root.resolve()).as_posix() if root.resolve() in site.parents else str(site)
    sources = ", ".join(f"{name} ({count})" for name, count in found.sources.most_common()) or "none found yet"
    currency = found.currencies.most_common(1)[0][0] if found.currencies else None
    lines = [
        "# croissant-embed settings, written by `croissant-embed init`.",
        f"# Surveyed {found.pages} pages of {site_rel}: {found.products} product pages; data from {sources}.",
        "# Reference: the README's Configuration section. Secrets never go here: set",
        "# CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET in the environment of the build.",
        "",
        f"site_dir = {_q(site_rel)}",
        "",
        "# local: the embedded sandbox (offline, no credentials). Switch to sandbox, then production.",
        'environment = "local"',
        '# merchant_id = "your-croissant-merchant-id"   # needed for sandbox and production',
        "",
        "# The site's public address, for absolute product URLs.",
        f"base_url = {_q(found.base_url)}" if found.base_url else '# base_url = "https://shop.example/"   # not found in canonical or og:url links',
        "",
        f"default_currency = {_q(currency)}   # for pages that state no currency" if currency else '# default_currency = "USD"   # for pages that state no currency',
        "",
        "# Invalid products (no price, unknown currency, ...) tolerated before exit code 3.",
        "max_invalid = 0",
        "",
        "# Where the component goes when a page has no <croissant-slot> marker (default: after the price).",
        "# [placement]",
        '# selector = ".product-price"',
        '# position = "after"   # before | after | prepend | append',
        "",
        "# The page's quantity input, which the component follows.",
        '# quantity_selector = "input[name=quantity]"',
        "",
        "# Checkout forms that should carry the shopper's opt-in.",
        '# checkout_selector = "form#checkout"',
        "",
    ]
    return "\n".join(lines)


def write_config(root: Path, site_dir: Path | None, *, force: bool = False) -> tuple[Path, SiteSurvey]:
    """Survey the site and write ``root/croissant.toml``; refuses to overwrite unless ``force``."""
    target = root / "croissant.toml"
    if target.exists() and not force:
        raise ConfigError([f"{target} exists; pass --force to replace it"])
    found = survey(site_dir or find_site_dir(root))
    write_atomic(target, config_text(found, root).encode("utf-8"))
    return target, found
