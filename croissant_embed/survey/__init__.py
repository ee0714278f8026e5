"""``croissant-embed init``: a commented croissant.toml with the settings the built site needs.

A sample of pages is analysed as a build with no settings would; what it shows becomes
settings (the currency, the site's address, where the price is when the component has no
place); then the sample is analysed again with them, and what would still fail is named.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .capture import guess_capture
from ..discover import discover
from ..errors import ConfigError, SiteError
from ..extract import ExtractOptions, analyse_page
from .jekyll import JekyllExclude, OUTPUT_NAME, exclude_from_jekyll, publishes_root
from .price_selector import PricedPage, find_price_selector
from ..process import is_unplaced
from ..rewrite import strip
from ..sitefiles import decode, read_bytes, write_atomic

CANDIDATE_FOLDERS = ("public", "_site", "site", "output", "dist", "build", "out", "www")
SAMPLE_PAGES = 300
_CANONICAL = re.compile(r"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)|<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""", re.I)


@dataclass
class SiteSurvey:
    """What a sample of the built site shows, analysed with some settings."""

    site_dir: Path
    pages: int = 0
    products: int = 0
    sources: Counter = field(default_factory=Counter)
    currencies: Counter = field(default_factory=Counter)
    """Currencies of valid products, except those only guessed from a bare ``$``."""
    guessed: Counter = field(default_factory=Counter)
    url_ids: list[str] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)
    """Invalid product pages and why."""
    unplaced: list[str] = field(default_factory=list)
    priced: list[PricedPage] = field(default_factory=list)
    """Every valid product page, with the price it should show."""
    base_url: str | None = None


@dataclass(frozen=True)
class Proposal:
    """The settings ``init`` writes, each with the evidence for it."""

    base_url: str | None = None
    default_currency: str | None = None
    guessed_currency: str | None = None
    """A currency only guessed from a bare ``$``: suggested in a comment, never set."""
    placement_selector: str | None = None
    best_selector: str | None = None
    """The selector finding the price on the most pages (``placement_selector`` when it finds all)."""
    selector_right: int = 0
    selector_pages: int = 0
    capture: tuple[tuple[str, str], ...] = ()

    def options(self) -> ExtractOptions:
        """The extract settings these give."""
        return ExtractOptions(base_url=self.base_url, default_currency=self.default_currency, capture=self.capture,
                              placement_selector=self.placement_selector)


@dataclass(frozen=True)
class InitResult:
    """What ``init`` wrote and found, for the CLI to tell."""

    target: Path
    found: SiteSurvey | None
    proposal: Proposal
    remaining: SiteSurvey | None
    jekyll: JekyllExclude | None


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


def _sample(site_dir: Path) -> Iterator[tuple[str, str]]:
    """(path, text without earlier insertions) of the first pages of the site, up to SAMPLE_PAGES."""
    taken = 0
    for page in discover(site_dir, include=("**/*.html", "**/*.htm"), exclude=()):
        if page.skipped:
            continue
        try:
            text = strip(decode(read_bytes(page.path, page.rel), page.rel).text).text
        except SiteError:
            continue
        yield page.rel, text
        taken += 1
        if taken >= SAMPLE_PAGES:
            return


def survey(site_dir: Path, options: ExtractOptions = ExtractOptions()) -> SiteSurvey:
    """Analyse a sample of the site's pages as a build with ``options`` would."""
    found = SiteSurvey(site_dir)
    bases: Counter = Counter()
    for rel, text in _sample(site_dir):
        found.pages += 1
        match = _CANONICAL.search(text)
        url = (match.group(1) or match.group(2)) if match else None
        base = _base_from(url, rel) if url and url.startswith(("http://", "https://")) else None
        if base:
            bases[base] += 1
        analysis = analyse_page(text, rel, options)
        if analysis.status not in ("product", "invalid"):
            continue
        found.products += 1
        found.sources.update(set(analysis.sources.values()) - {"page"})
        if analysis.sources.get("id") == "url" and analysis.product_id:
            found.url_ids.append(analysis.product_id)
        product = analysis.product
        if product is None:
            found.invalid.append((rel, analysis.reason))
            continue
        (found.guessed if product.sources.get("currency") == "guessed" else found.currencies)[product.currency] += 1
        found.priced.append(PricedPage(rel, text, product.price, product.currency))
        if is_unplaced(analysis):
            found.unplaced.append(rel)
    found.base_url = bases.most_common(1)[0][0] if bases else None
    return found


def propose(site_dir: Path, found: SiteSurvey, *, base_url: str | None = None) -> tuple[Proposal, SiteSurvey]:
    """The settings that make the surveyed pages build: what the pages show, nothing invented.

    With no product data on any page, ``[capture]`` selectors are looked for, and the site is
    surveyed again with them (the survey returned is the one the other settings come from).
    """
    capture: tuple[tuple[str, str], ...] = ()
    if not found.products:
        guess = guess_capture(_sample(site_dir))
        if guess is not None:
            capture = (("name", guess.name), ("price", guess.price))
            found = survey(site_dir, ExtractOptions(base_url=base_url, capture=capture))
    currency = found.currencies.most_common(1)[0][0] if found.currencies else None
    guessed = found.guessed.most_common(1)[0][0] if found.guessed and not currency else None
    selector, right, pages = None, 0, 0
    if found.unplaced:  # the build finds no place on some pages: where do they show the price?
        selector, right, pages = find_price_selector(found.priced)
    proposal = Proposal(base_url or found.base_url, currency, guessed, selector if right == pages else None,
                        selector, right, pages, capture)
    return proposal, found


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _currency_lines(proposal: Proposal) -> list[str]:
    if proposal.default_currency:
        return [f"default_currency = {_q(proposal.default_currency)}   # the currency the product pages show"]
    if proposal.guessed_currency:
        return ["# The prices show a bare '$' and nothing else says which dollar: builds read it as USD, and a sync",
                "# to sandbox or production refuses until you say. Uncomment with your prices' ISO 4217 code.",
                f"# default_currency = {_q(proposal.guessed_currency)}"]
    return ['# default_currency = "USD"   # for pages that state no currency']


def _placement_lines(found: SiteSurvey, proposal: Proposal) -> list[str]:
    lines = ["# Where the component goes when a page has no <croissant-slot> marker (default: after the price)."]
    if proposal.placement_selector:
        return lines + [f"# Without it, {len(found.unplaced)} product pages had no place for the component; this finds the",
                        f"# price on all {proposal.selector_pages} product pages surveyed.",
                        "[placement]", f"selector = {_q(proposal.placement_selector)}", 'position = "after"']
    lines += ["# [placement]"]
    if proposal.best_selector:
        lines += [f"# selector = {_q(proposal.best_selector)}   # finds the price on {proposal.selector_right} of "
                  f"{proposal.selector_pages} product pages only: add <croissant-slot></croissant-slot> to the template"]
    else:
        lines += ['# selector = ".product-price"']
    return lines + ['# position = "after"   # before | after | prepend | append']


def _capture_lines(proposal: Proposal) -> list[str]:
    if not proposal.capture:
        return []
    return ["", "# The pages carry no product data (no JSON-LD, microdata or Snipcart attributes): these read",
            "# each product page's name and price from the elements showing them.",
            "[capture]", *(f"{name} = {_q(selector)}" for name, selector in proposal.capture)]


def _id_lines(found: SiteSurvey) -> list[str]:
    if not found.url_ids:
        return []
    return ["",
            f"# {len(found.url_ids)} product pages name no id of their own (no sku, productID, mpn, gtin or Snipcart",
            f"# data-item-id): their URL path is used as the id (e.g. {_q(found.url_ids[0])}), and a page that",
            "# moves becomes a new product. Give each a stable id: data-croissant-product-id=\"...\" in the",
            "# product template, a sku in its structured data, or [capture] id = \"<selector of the sku>\"."]


def config_text(found: SiteSurvey | None, proposal: Proposal, root: Path, site: Path) -> str:
    """The commented croissant.toml for a surveyed site (or for one not built yet)."""
    site = site.resolve()
    site_rel = site.relative_to(root.resolve()).as_posix() if root.resolve() in site.parents else str(site)
    if found is None:
        intro = [f"# {site_rel} is not built yet: build the site, then run `croissant-embed init --force` to fill",
                 "# in what its pages show."]
        site_line = f"# site_dir = {_q(site_rel)}"
    else:
        sources = ", ".join(f"{name} ({count})" for name, count in found.sources.most_common()) or "none found"
        intro = [f"# Surveyed {found.pages} pages of {site_rel}: {found.products} product pages; data from {sources}."]
        site_line = f"site_dir = {_q(site_rel)}"
    lines = [
        "# croissant-embed settings, written by `croissant-embed init`.",
        *intro,
        "# Reference: the README's Configuration section. Secrets never go here: set",
        "# CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET in the environment of the build.",
        "",
        site_line,
        "",
        "# local: the embedded sandbox (offline, no credentials). Switch to sandbox, then production.",
        'environment = "local"',
        '# merchant_id = "your-croissant-merchant-id"   # needed for sandbox and production',
        "",
        "# The site's public address, for absolute product URLs.",
        f"base_url = {_q(proposal.base_url)}   # from the pages' canonical or og:url links" if proposal.base_url
        else '# base_url = "https://shop.example/"   # not found in canonical or og:url links',
        "",
        *_currency_lines(proposal),
        *(_id_lines(found) if found else []),
        "",
        "# Invalid products (no price, unknown currency, ...) and product pages with no place for the",
        "# component tolerated before exit code 3.",
        "max_invalid = 0",
        "max_unplaced = 0",
        "",
        "# The page's quantity input, which the component follows.",
        '# quantity_selector = "input[name=quantity]"',
        "",
        "# Checkout forms that should carry the shopper's opt-in.",
        '# checkout_selector = "form#checkout"',
        "",
        *_placement_lines(found or SiteSurvey(site), proposal),
        *_capture_lines(proposal),
        "",
    ]
    return "\n".join(lines)


def write_config(root: Path, site_dir: Path | None, *, base_url: str | None = None, force: bool = False) -> InitResult:
    """Survey the site, write ``root/croissant.toml`` and check it; refuses to overwrite unless ``force``.

    In a Jekyll source folder, ``croissant.toml`` is also added to Jekyll's ``exclude``, so the
    next ``jekyll build`` does not publish it.
    """
    target = root / "croissant.toml"
    if target.exists() and not force:
        raise ConfigError([f"{target} exists; pass --force to replace it"])
    unbuilt = site_dir is None and publishes_root(root, None) and not (root / OUTPUT_NAME).is_dir()
    site = root / OUTPUT_NAME if unbuilt else (site_dir or find_site_dir(root))
    found = remaining = None
    proposal = Proposal(base_url)
    if not unbuilt:
        proposal, found = propose(site, survey(site), base_url=base_url)
        remaining = survey(site, proposal.options())
    write_atomic(target, config_text(found, proposal, root, site).encode("utf-8"))
    jekyll = exclude_from_jekyll(root) if publishes_root(root, site) else None
    return InitResult(target, found, proposal, remaining, jekyll)
