"""What the cold goals leave for reading a page, against what reading a page costs.

    python benchmarks/run.py --pages 10000 --hugo   # first: the figures of one run
    python benchmarks/budget.py                     # then: that run's budget, and the costs

Issue 15 asks a cold build (every page analysed and written) for at most 3 times the floor
and at most half of Hugo's build. A cold build is the analysis of every page plus the rest:
reading, hashing, rendering, splicing, writing, recording. The rest is measured on its own
by ``run.py``'s "regenerated" build, which does all of it and takes each page's analysis from
the cache instead. So, from the figures of one run (``benchmarks/out/results.json``):

    analysis budget per page = (goal - rest) x cores / pages      (CPU seconds of one core)

with the rest taken two ways: as it costs today (the regenerated build), and as if it cost
no more than the floor itself (read, decode, find, splice and write every page, on all
cores), the least any tool that rewrites every page can do.

Against those budgets the script measures, on one core over a sample of the same store's
pages, what reading a page costs: the floor's own work without the write, croissant-embed's
analysis, the tokenizer of Python's standard library (``html.parser``, with no handlers:
what any pure-Python parse pays before it looks at anything), and the compiled HTML parsers
packaged for Python: lexbor (``selectolax``), html5ever (``markupever``) and tree-sitter
(``tree-sitter-html``). They are installed into ``benchmarks/out/venv`` (beside Pagefind),
never into the project.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import OUT, tools_python  # noqa: E402
PARSERS = ("selectolax", "markupever", "tree-sitter", "tree-sitter-html")


def sample_pages(site: Path, count: int) -> list[tuple[str, str]]:
    """(text, path relative to the site) of ``count`` product pages spread evenly over the store."""
    paths = sorted((site / "products").glob("*/index.html"))
    if not paths:
        raise SystemExit(f"no product pages under {site / 'products'}: run benchmarks/run.py --hugo first")
    step = max(1, len(paths) // count)
    chosen = paths[::step][:count]
    return [(path.read_bytes().decode("utf-8"), path.relative_to(site).as_posix()) for path in chosen]


def per_page_us(pages: list[tuple[str, str]], work: Callable[[str, str], object], rounds: int = 3) -> float:
    """The least CPU time of one core per page over ``rounds`` passes, in microseconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for text, rel in pages:
            work(text, rel)
        best = min(best, time.process_time() - started)
    return best / len(pages) * 1e6


def own_costs(site: Path, pages: list[tuple[str, str]]) -> dict[str, float]:
    """The floor's work without the write, croissant-embed's analysis, and html.parser's tokenizer."""
    from html.parser import HTMLParser

    from croissant_embed.extract import ExtractOptions, analyse_page

    options = ExtractOptions(base_url="https://shop.example")
    snippet = '<croissant-toggle-pdp product-id="x"></croissant-toggle-pdp>'

    def floor_work(_text: str, rel: str) -> object:
        text = (site / rel).read_bytes().decode("utf-8")
        at = text.find("</h1>")
        return text[:at] + snippet + text[at:]

    def tokenize(text: str, _rel: str) -> object:
        parser = HTMLParser(convert_charrefs=False)
        parser.feed(text)
        parser.close()
        return parser

    return {
        "floor work without the write": per_page_us(pages, floor_work),
        "croissant-embed analysis": per_page_us(pages, lambda text, rel: analyse_page(text, rel, options)),
        "html.parser tokenizer, no handlers (pure Python)": per_page_us(pages, tokenize),
    }


def compiled_costs(pages: list[tuple[str, str]]) -> dict[str, float]:
    """Parse times of the compiled parsers (run inside the benchmarks' own environment)."""
    costs: dict[str, float] = {}
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        pass
    else:
        costs["lexbor (selectolax), parse only, no source offsets"] = per_page_us(pages, lambda text, _rel: LexborHTMLParser(text))
    try:
        import markupever
    except ImportError:
        pass
    else:
        costs["html5ever (markupever), parse only, no source offsets"] = per_page_us(pages, lambda text, _rel: markupever.parse(text))
    try:
        import tree_sitter_html
        from tree_sitter import Language, Parser
    except ImportError:
        pass
    else:
        parser = Parser(Language(tree_sitter_html.language()))
        costs["tree-sitter-html, parse only, byte offsets"] = per_page_us(pages, lambda text, _rel: parser.parse(text.encode("utf-8")))
    return costs


def measure_compiled(site: Path, count: int) -> dict[str, float]:
    """Install the compiled parsers beside Pagefind, and time them there."""
    try:
        python = tools_python(*PARSERS)
    except subprocess.CalledProcessError:
        print(f"compiled parsers not measured: pip install {' '.join(PARSERS)} failed (see above)")
        return {}
    done = subprocess.run([str(python), __file__, "--compiled-only", "--site", str(site), "--sample", str(count)],
                          check=True, stdout=subprocess.PIPE)
    return json.loads(done.stdout)


def budgets(results: dict) -> list[tuple[str, float, float]]:
    """(goal, analysis budget with today's rest, budget with the rest at the floor), in µs per page."""
    cores, pages = results["machine"]["cpus"], results["pages"]
    floor, rest = results["floor"]["rewrite_s"], results["build"]["regenerated"]["wall_s"]
    goals = [("cold <= 3 x floor", 3 * floor)]
    if results.get("hugo"):
        goals.append(("cold <= 0.5 x Hugo", 0.5 * results["hugo"]["wall_s"]))

    def per_page(seconds: float) -> float:
        return seconds * cores / pages * 1e6

    return [(name, per_page(goal - rest), per_page(goal - floor)) for name, goal in goals]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default=str(OUT / "results.json"), help="a results file of run.py --hugo")
    parser.add_argument("--sample", type=int, default=2000, help="pages measured (spread over the store)")
    parser.add_argument("--site", help=argparse.SUPPRESS)
    parser.add_argument("--compiled-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compiled_only:
        print(json.dumps(compiled_costs(sample_pages(Path(args.site), args.sample))))
        return
    results = json.loads(Path(args.results).read_text(encoding="utf-8"))
    if results.get("generator") != "hugo":
        raise SystemExit(f"{args.results} is not from run.py --hugo: the budget needs Hugo's time and its store")
    site = OUT / f"hugo-{results['product_pages']}" / "public"
    pages = sample_pages(site, args.sample)
    print(f"figures of one run ({args.results}): {results['pages']:,} pages, {results['machine']['cpus']} cores")
    print(f"  floor {results['floor']['rewrite_s']:.3f} s, regenerated build (the rest) {results['build']['regenerated']['wall_s']:.3f} s, "
          f"cold build {results['build']['cold']['wall_s']:.3f} s, Hugo {results['hugo']['wall_s']:.3f} s")
    print("analysis budget, CPU of one core per page:")
    print(f"  {'goal':<22}{'rest as today':>16}{'rest at the floor':>20}")
    for name, today, best in budgets(results):
        print(f"  {name:<22}{today:>13.0f} µs{best:>17.0f} µs")
    costs = own_costs(site, pages)
    costs.update(measure_compiled(site, args.sample))
    print(f"measured cost, CPU of one core per page ({len(pages):,} pages, best of 3 passes):")
    for name, cost in costs.items():
        print(f"  {name:<56}{cost:>8.0f} µs")


if __name__ == "__main__":
    main()
