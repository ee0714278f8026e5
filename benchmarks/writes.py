"""What replacing every page of a site costs, three ways, in one process.

    python benchmarks/writes.py SITE [--pages N]

Each way writes every page's bytes plus one byte:

- ``rename``: a new temporary file beside the page, renamed over it (``os.replace``), as
  croissant-embed wrote pages before its fourth round of issue 15;
- ``swap``: croissant-embed's :class:`~croissant_embed.sitefiles.pages.PageWriter` (the
  temporary swapped with the page, the old file reused for the next page);
- ``in place``: the page opened with ``O_TRUNC`` and written over, as the floor does (not
  atomic: a killed writer leaves a cut page).

Each way works on its own copy of ``SITE`` made just before it (``cp -a``, not timed; copies
are removed only at the end, so no way pays for another's removals), in two rounds. Prints
seconds, and user and system CPU seconds, per way and per page. On ext4 without a journal,
making a file searches past the inodes freed in the last 30 to 60 seconds, so ``rename``
costs from 0.1 ms a page to 0.5 ms after a large removal (a previous copy, or a ``public/``
cleaned before a generator's build).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from croissant_embed.sitefiles.pages import PageWriter  # noqa: E402

HERE = Path(__file__).resolve().parent


def _pages(site: Path, limit: int | None) -> list[str]:
    found = sorted(str(path) for path in site.rglob("*.html"))
    return found[:limit] if limit else found


def _rename(path: str, data: bytes) -> None:
    temporary = f"{os.path.dirname(path)}/.{os.path.basename(path)}.{os.urandom(4).hex()}.croissant-tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(handle, data)
        os.fchmod(handle, 0o644)
    finally:
        os.close(handle)
    os.replace(temporary, path)


def _in_place(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def copy(site: Path, target: Path) -> Path:
    """A copy of the site (not timed)."""
    subprocess.run(["cp", "-a", str(site), str(target)], check=True)
    return target


def measure(copied: Path, way: str, limit: int | None) -> tuple[float, float, float, int]:
    """Seconds, user and system CPU seconds to replace every page of a copy one way, and the page count."""
    pages = _pages(copied, limit)
    contents = [Path(path).read_bytes() + b"\n" for path in pages]
    writer = PageWriter()
    write = {"rename": _rename, "in place": _in_place,
             "swap": lambda path, data: writer.write(path, data, permissions=0o644)}[way]
    started, before = time.perf_counter(), os.times()
    for path, data in zip(pages, contents):
        write(path, data)
    writer.release()
    after = os.times()
    return time.perf_counter() - started, after.user - before.user, after.system - before.system, len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    args = parser.parse_args()
    work = HERE / "out" / "writes"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for round_ in (1, 2):
        for way in ("rename", "swap", "in place"):
            target = copy(args.site, work / f"{round_}-{way.replace(' ', '-')}")
            seconds, user, system, count = measure(target, way, args.pages)
            print(f"round {round_}: {way:8} {count} pages: {seconds:6.3f} s (user {user:.2f}, system {system:.2f}), "
                  f"{seconds / count * 1000:.3f} ms a page")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
