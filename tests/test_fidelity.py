"""Every store of tests/wild comes out right: found, priced, placed (issue 12's fidelity corpus).

The scorer is ``benchmarks/fidelity.py`` (it prints the same figures per store); here each
store is built through the real CLI with no configuration and with its croissant.toml, and
every measure must be 100 %.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WILD = REPO / "tests" / "wild"
STORES = sorted(p for p in WILD.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def _scorer():
    spec = importlib.util.spec_from_file_location("fidelity", REPO / "benchmarks" / "fidelity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fidelity"] = module
    spec.loader.exec_module(module)
    return module


FIDELITY = _scorer()


@pytest.mark.parametrize("store", STORES, ids=lambda p: p.name)
def test_every_product_page_is_found_priced_and_placed_with_and_without_configuration(store):
    for run in FIDELITY.run_store(store):
        wrong = [(page.page, page.got, page.want) for page in run.pages
                 if not (page.recognised and page.id and page.price and page.currency and page.placement)]
        assert run.exit_code == 0, (run.run, run.note)
        assert not run.false_pages, (run.run, run.false_pages)
        assert run.perfect and not wrong, (run.run, wrong)
