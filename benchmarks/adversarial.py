"""Time the analysis of hostile pages of growing size: the time per MB should stay flat.

    python benchmarks/adversarial.py                  # every pattern at 0.25, 0.5, 1, 2 and 4 MB
    python benchmarks/adversarial.py --sizes 0.1 0.2 --patterns mid-tag

Each pattern is a product page (JSON-LD in the head, so placement runs too) whose body is
one construct repeated to the size asked: a tag cut off by the end of the page, thousands of
elements never closed, script tags never ended, markup inside attribute values, ... Each
page goes through the real analysis, ``croissant_embed.extract.analyse_page``, the way the
build runs it. A pattern whose time per MB grows with the size is a scan that is not linear.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable

from croissant_embed.extract import ExtractOptions, analyse_page

HEAD = (
    '<!DOCTYPE html><html><head><title>t</title><script type="application/ld+json">'
    '{"@type":"Product","sku":"ADV-1","name":"Hostile","offers":{"price":"30.00","priceCurrency":"USD"}}'
    "</script></head><body>"
)


def repeated(unit: str) -> Callable[[int], str]:
    """A page whose body is ``unit`` repeated to about ``size`` characters (and no end)."""
    return lambda size: HEAD + unit * max(1, (size - len(HEAD)) // len(unit))


def nested(opening: str, closing: str) -> Callable[[int], str]:
    """A page whose body nests ``opening`` ... ``closing`` as deep as the size allows."""
    return lambda size: HEAD + opening * (count := max(1, (size - len(HEAD)) // (len(opening) + len(closing)))) + closing * count


PATTERNS: dict[str, Callable[[int], str]] = {
    "mid-tag": lambda size: repeated(' a="b"')(size).replace("<body>", '<body><span class="price"', 1),
    "unclosed-price-spans": repeated('<span class="price">'),
    "unclosed-jsonld-scripts": repeated('<script type="application/ld+json">'),
    "unended-script-tags": repeated("<script x "),
    "unclosed-comments": repeated("<!-- <p>"),
    "markup-in-attributes": repeated("<button data-bs-content=\"<span class='price'>$30.00</span>\">i</button>"),
    "price-words-far-from-a-tag": repeated("price "),
    "stray-brackets": repeated("a < b <<"),
    "unclosed-quotes": repeated('<a title="price '),
    "nested-itemscope": nested('<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">', "</div>"),
    "nested-price-spans": nested('<span class="price">', "</span>"),
    "deep-jsonld": lambda size: HEAD.replace("</script>", '</script><script type="application/ld+json">'
                                             + "[" * (size // 2) + "]" * (size // 2) + "</script>"),
}


def measure(build: Callable[[int], str], size_mb: float, options: ExtractOptions) -> tuple[float, str]:
    """Seconds to analyse the page of ``size_mb`` MB, and the status it gets."""
    text = build(int(size_mb * 1_000_000))
    started = time.perf_counter()
    analysis = analyse_page(text, "adversarial.html", options)
    return time.perf_counter() - started, analysis.status


def main() -> None:
    """Print seconds per MB for each pattern and size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1, 2, 4], help="page sizes in MB")
    parser.add_argument("--patterns", nargs="+", choices=sorted(PATTERNS), default=list(PATTERNS))
    args = parser.parse_args()
    options = ExtractOptions(base_url="https://adversarial.example/", default_currency="USD")
    print(f"{'pattern':28s}" + "".join(f"{f'{size:g} MB':>10s}" for size in args.sizes) + "   (seconds per MB; status)")
    for name in args.patterns:
        cells, statuses = [], set()
        for size in args.sizes:
            seconds, status = measure(PATTERNS[name], size, options)
            cells.append(f"{seconds / size:10.3f}")
            statuses.add(status)
        print(f"{name:28s}" + "".join(cells) + f"   {'/'.join(sorted(statuses))}", flush=True)


if __name__ == "__main__":
    main()
