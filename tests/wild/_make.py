"""Write the fidelity corpus: every store of ``tests/wild/`` from its theme in ``_themes/``.

Run ``python tests/wild/_make.py`` from anywhere; the output is committed and re-running
reproduces the same bytes. Each store folder is replaced whole (pages, ``truth.json``,
``croissant.toml``), so edit the theme modules, never the generated pages.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
THEMES = [
    "trailhead", "lavande", "koji", "werkstatt", "ganesh", "saigon", "tweed",
    "buybutton", "saltpepper", "riverbend", "undefinedshop", "bondi", "northern",
]


def stores() -> list:
    """Every store of the corpus, built in memory."""
    previous, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in the corpus folder
    sys.path.insert(0, str(HERE))
    try:
        return [importlib.import_module(f"_themes.{name}").build() for name in THEMES]
    finally:
        sys.path.remove(str(HERE))
        sys.dont_write_bytecode = previous


def files(store) -> dict[str, str]:
    """Every file of the store's folder, by path: pages, other files, truth and settings."""
    out = {**store.pages, **store.extra_files, "truth.json": json.dumps(store.truth(), indent=2, ensure_ascii=False) + "\n"}
    if store.config:
        out["croissant.toml"] = store.config
    return out


def write(store) -> None:
    """Replace the store's folder with its files."""
    folder = HERE / store.name
    if folder.exists():
        shutil.rmtree(folder)
    for rel, text in sorted(files(store).items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)


def main() -> None:
    """Write all stores and print what was written."""
    total_products = total_other = 0
    for store in stores():
        write(store)
        products = len(store.products)
        other = len(store.pages) - products
        sizes = [len(text.encode("utf-8")) for text in store.pages.values()]
        total_products += products
        total_other += other
        print(f"{store.name:28} {products:3} product pages {other:3} other  ({min(sizes)}-{max(sizes)} bytes)")
    print(f"{'total':28} {total_products:3} product pages {total_other:3} other")


if __name__ == "__main__":
    main()
