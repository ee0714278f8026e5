"""The fidelity corpus in tests/wild/ is well-formed: its truth can be trusted by the scorer."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

WILD = Path(__file__).resolve().parent / "wild"
STORES = sorted(p for p in WILD.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
CURRENCY = re.compile(r"^[A-Z]{3}$")


def truth_of(store: Path) -> dict:
    return json.loads((store / "truth.json").read_text(encoding="utf-8"))


def html_pages(store: Path) -> set[str]:
    return {p.relative_to(store).as_posix() for p in store.rglob("*.html")}


def test_the_corpus_has_at_least_12_stores_60_product_pages_and_60_other_pages():
    truths = [truth_of(store) for store in STORES]
    assert len(truths) >= 12
    assert sum(len(t["products"]) for t in truths) >= 60
    assert sum(len(t["not_product"]) for t in truths) >= 60


@pytest.mark.parametrize("store", STORES, ids=lambda p: p.name)
def test_every_page_of_a_store_is_listed_once_as_product_or_not_product(store):
    truth = truth_of(store)
    products = [entry["page"] for entry in truth["products"]]
    assert len(products) == len(set(products))
    assert set(products).isdisjoint(truth["not_product"])
    assert set(products) | set(truth["not_product"]) == html_pages(store)


@pytest.mark.parametrize("store", STORES, ids=lambda p: p.name)
def test_truth_entries_have_typed_id_price_and_currency(store):
    for entry in truth_of(store)["products"]:
        assert isinstance(entry["id"], str) and entry["id"].strip() == entry["id"] != "", entry
        assert isinstance(entry["price"], int) and not isinstance(entry["price"], bool) and entry["price"] > 0, entry
        assert isinstance(entry["currency"], str) and CURRENCY.match(entry["currency"]), entry
        assert isinstance(entry["price_selector"], str) and entry["price_selector"], entry


@pytest.mark.parametrize("store", STORES, ids=lambda p: p.name)
def test_each_price_selector_matches_exactly_one_element_showing_the_price(store):
    for entry in truth_of(store)["products"]:
        soup = BeautifulSoup((store / entry["page"]).read_text(encoding="utf-8"), "html.parser")
        found = soup.select(entry["price_selector"])
        assert len(found) == 1, f"{store.name}/{entry['page']}: {entry['price_selector']!r} matched {len(found)}"
        # the element's digits hold the price's significant digits (315 for 31500, 87341 for 8734100)
        digits = re.sub(r"\D", "", found[0].get_text())
        assert str(entry["price"]).rstrip("0") in digits, f"{store.name}/{entry['page']}: {found[0].get_text()!r}"


@pytest.mark.parametrize("store", STORES, ids=lambda p: p.name)
def test_a_store_settings_file_is_valid_toml_without_secrets(store):
    config = store / "croissant.toml"
    if not config.exists():
        pytest.skip("no croissant.toml")
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    assert not {"client_id", "client_secret", "site_dir"} & set(settings)


def test_the_committed_corpus_is_exactly_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("wild_make", WILD / "_make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    stores = make.stores()
    assert sorted(s.name for s in stores) == [p.name for p in STORES]
    for store in stores:
        folder = WILD / store.name
        expected = make.files(store)
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert on_disk == set(expected), store.name
        for rel, text in expected.items():
            assert (folder / rel).read_bytes() == text.encode("utf-8"), f"{store.name}/{rel}: run python tests/wild/_make.py"
