"""The floor under any build step: the least work a tool that rewrites every page must do.

    python benchmarks/floor.py SITE COPY   # read + decode + find + splice + write, on all cores
    python benchmarks/floor.py SITE --stat # walk the site and stat every page, one process

``COPY`` is a copy of the site made beforehand; each page is read from ``SITE``, decoded as
UTF-8, searched once for ``</h1>``, a short snippet is spliced there, and the result is
written over the same page in ``COPY``. Prints the seconds the work took (without the
interpreter's start, which ``run.py`` measures apart) and the number of pages.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time

SNIPPET = '<!--floor--><croissant-toggle-pdp product-id="x"></croissant-toggle-pdp><!--/floor-->'
CHUNK = 200


def pages(site: str, prefix: str = ""):
    """Every ``.html`` file under ``site`` as (absolute path, path relative to the site)."""
    with os.scandir(site) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                yield from pages(entry.path, prefix + entry.name + "/")
            elif entry.name.endswith(".html"):
                yield entry.path, prefix + entry.name


def _rewrite(job: tuple[list[tuple[str, str]], str]) -> int:
    chunk, copy = job
    for path, rel in chunk:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        at = text.find("</h1>")
        out = text[:at] + SNIPPET + text[at:] if at >= 0 else text
        with open(os.path.join(copy, rel), "wb") as handle:
            handle.write(out.encode("utf-8"))
    return len(chunk)


def rewrite_floor(site: str, copy: str) -> tuple[float, int]:
    """Seconds to rewrite every page of ``site`` into ``copy`` on all cores, and the page count."""
    started = time.perf_counter()
    found = list(pages(site))
    chunks = [(found[i : i + CHUNK], copy) for i in range(0, len(found), CHUNK)]
    with multiprocessing.get_context("fork").Pool(len(os.sched_getaffinity(0))) as pool:
        done = sum(pool.imap(_rewrite, chunks))
    return time.perf_counter() - started, done


def stat_floor(site: str) -> tuple[float, int]:
    """Seconds to walk ``site`` and stat every page in one process, and the page count."""
    started = time.perf_counter()
    count = 0
    for path, _ in pages(site):
        os.stat(path)
        count += 1
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("copy", nargs="?")
    parser.add_argument("--stat", action="store_true", help="the stat-only floor of a warm run")
    args = parser.parse_args()
    if args.stat:
        seconds, count = stat_floor(args.site)
    elif args.copy:
        seconds, count = rewrite_floor(args.site, args.copy)
    else:
        parser.error("give COPY, or --stat")
    print(f"@@floor {seconds:.4f} {count}")


if __name__ == "__main__":
    main()
