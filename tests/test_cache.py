"""The analysis cache: a SQLite file of page analyses, keyed by path and bytes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from croissant_embed.cache import AnalysisCache, CacheReader, fingerprint, from_entry, page_key, to_entry
from croissant_embed.extract import ExtractOptions, analyse_page

PRODUCT_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Café shirt</title>
<script type="application/ld+json">{"@type":"Product","sku":"P-東京","name":"Café <shirt>","brand":{"name":"Nord"},
"image":"/img/shirt.jpg","url":"https://shop.example/p/1/","offers":{"price":"89.50","priceCurrency":"EUR",
"availability":"https://schema.org/InStock"}}</script>
</head><body><h1>Café shirt</h1><p class="price">89,50 €</p></body></html>
"""
PLAIN_PAGE = "<!DOCTYPE html><html><head><title>About</title></head><body><p>About us</p></body></html>\n"
CHECKOUT_PAGE = '<!DOCTYPE html><html><head><title>Pay</title></head><body><form class="checkout"></form></body></html>\n'
OPTIONS = ExtractOptions(base_url="https://shop.example/", checkout_selector="form.checkout")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where the build keeps its cache (not created yet)."""
    return tmp_path / ".croissant" / "cache.sqlite3"


def one_build(path: Path, fp: str, rows: list[tuple[str, str | None, bool]]) -> None:
    """A build that records ``rows`` and finishes."""
    cache = AnalysisCache(path, fp)
    cache.record(rows)
    cache.finish()


# -- keys and fingerprints --------------------------------------------------------------------


def test_page_key_is_the_same_for_the_same_path_and_bytes():
    assert page_key("p/1/index.html", b"<html>") == page_key("p/1/index.html", b"<html>")


def test_page_key_depends_on_the_path_and_on_the_bytes():
    base = page_key("p/1/index.html", b"<html>")
    assert page_key("p/2/index.html", b"<html>") != base
    assert page_key("p/1/index.html", b"<html> ") != base
    # the separator keeps path and bytes apart: moving a byte across the boundary is a new key
    assert page_key("ab", b"c") != page_key("a", b"bc")


def test_page_key_accepts_paths_that_are_not_valid_utf_8():
    weird = b"caf\xe9.html".decode("utf-8", "surrogateescape")
    assert page_key(weird, b"x") != page_key("café.html", b"x")


def test_fingerprint_depends_on_every_part():
    base = fingerprint(OPTIONS, "templates-a")
    assert fingerprint(OPTIONS, "templates-a") == base
    assert fingerprint(OPTIONS, "templates-b") != base
    assert fingerprint(ExtractOptions(), "templates-a") != base


# -- entries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [PRODUCT_PAGE, PLAIN_PAGE, CHECKOUT_PAGE], ids=["product", "not-product", "checkout"])
def test_an_analysis_round_trips_through_its_entry(page):
    analysis = analyse_page(page, "p/1/index.html", OPTIONS)
    entry = to_entry(analysis)
    assert isinstance(json.loads(entry), list)  # plain JSON, never pickle
    again = from_entry(entry)
    assert again == analysis
    assert to_entry(again) == entry


def test_a_product_entry_keeps_every_field_and_its_sources():
    analysis = analyse_page(PRODUCT_PAGE, "p/1/index.html", OPTIONS)
    assert analysis.status == "product" and analysis.pdp_at is not None and analysis.head_at is not None
    product = from_entry(to_entry(analysis)).product
    assert product is not None
    assert product.fields() == analysis.product.fields()
    assert product.fields()["id"] == "P-東京" and product.fields()["name"] == "Café <shirt>"
    assert dict(product.sources) == dict(analysis.product.sources)


def test_a_not_product_entry_keeps_its_reason_and_its_checkout_offset():
    analysis = from_entry(to_entry(analyse_page(PLAIN_PAGE, "about.html", OPTIONS)))
    assert analysis.status == "not-product" and analysis.reason and analysis.product is None
    checkout = analyse_page(CHECKOUT_PAGE, "checkout/index.html", OPTIONS)
    assert checkout.checkout_at is not None
    assert from_entry(to_entry(checkout)).checkout_at == checkout.checkout_at


# -- the file -----------------------------------------------------------------------------------


def test_a_recorded_analysis_is_found_again_by_its_page_key(db):
    data = PRODUCT_PAGE.encode("utf-8")
    key = page_key("p/1/index.html", data)
    entry = to_entry(analyse_page(PRODUCT_PAGE, "p/1/index.html", OPTIONS))
    fp = fingerprint(OPTIONS, "t")
    one_build(db, fp, [(key, entry, False), (page_key("about.html", b"x"), "[]", True)])
    reader = CacheReader(db)
    assert reader.get(key) == (entry, False)
    assert reader.get(page_key("about.html", b"x")) == ("[]", True)
    assert reader.get(page_key("p/1/index.html", data + b"\n")) is None
    assert from_entry(reader.get(key)[0]) == analyse_page(PRODUCT_PAGE, "p/1/index.html", OPTIONS)


def test_a_different_settings_fingerprint_misses_every_entry(db):
    one_build(db, fingerprint(OPTIONS, "t"), [("k1", "[1]", True)])
    assert CacheReader(db).get("k1") == ("[1]", True)
    AnalysisCache(db, fingerprint(ExtractOptions(), "t")).finish()
    assert CacheReader(db).get("k1") is None


def test_the_same_fingerprint_keeps_entries_across_builds(db):
    fp = fingerprint(OPTIONS, "t")
    one_build(db, fp, [("k1", "[1]", False)])
    one_build(db, fp, [("k1", None, True)])  # a known key: only its stable flag and build are updated
    assert CacheReader(db).get("k1") == ("[1]", True)


def test_entries_not_seen_by_the_last_two_builds_are_dropped(db):
    fp = fingerprint(OPTIONS, "t")
    one_build(db, fp, [("old", "[0]", True), ("kept", "[1]", True)])
    one_build(db, fp, [("kept", None, True)])
    assert CacheReader(db).get("old") == ("[0]", True)  # seen by the build before the last
    one_build(db, fp, [("kept", None, True)])
    assert CacheReader(db).get("old") is None
    assert CacheReader(db).get("kept") == ("[1]", True)


def test_a_reader_opened_before_a_build_sees_what_the_build_recorded(db):
    fp = fingerprint(OPTIONS, "t")
    cache = AnalysisCache(db, fp)
    reader = CacheReader(db)
    assert reader.get("k") is None
    cache.record([("k", "[1]", False)])
    assert reader.get("k") == ("[1]", False)
    cache.finish()


def test_a_reader_crosses_a_process_boundary_without_its_connection(db):
    one_build(db, fingerprint(OPTIONS, "t"), [("k", "[1]", True)])
    reader = CacheReader(db)
    assert reader.get("k") == ("[1]", True)  # the connection is open now
    copy = pickle.loads(pickle.dumps(reader))
    assert copy.path == db
    assert copy.get("k") == ("[1]", True)


def test_the_reader_answers_a_miss_when_there_is_no_database(db):
    assert CacheReader(db).get(page_key("index.html", b"x")) is None


@pytest.mark.parametrize("name", ["shop #2", "shop?v=2", "shop%202"])
def test_the_reader_finds_entries_under_a_folder_whose_name_has_uri_characters(tmp_path, name):
    path = tmp_path / name / ".croissant" / "cache.sqlite3"
    one_build(path, fingerprint(OPTIONS, "t"), [("k", "[1]", True)])
    assert CacheReader(path).get("k") == ("[1]", True)
