"""Product feeds written by ``build --feed``: JSON and Google-style XML, deterministic and inside the site."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

from .conftest import invoke
from .sites import copy_sample


def test_the_feed_is_written_deterministically_and_validates(tmp_path):
    config = copy_sample(tmp_path)
    site = config.parent / "public"
    assert invoke("build", "--config", str(config), "--feed", "feeds/croissant").exit_code == 0
    first = ((site / "feeds" / "croissant.json").read_bytes(), (site / "feeds" / "croissant.xml").read_bytes())
    assert invoke("build", "--config", str(config), "--feed", "feeds/croissant").exit_code == 0
    assert ((site / "feeds" / "croissant.json").read_bytes(), (site / "feeds" / "croissant.xml").read_bytes()) == first
    products = json.loads(first[0])["products"]
    assert [p["id"] for p in products] == sorted(p["id"] for p in products) and len(products) == 14
    jacket = next(p for p in products if p["id"] == "AN-JKT-001")
    assert jacket["retailPrice"] == 28900 and jacket["url"] == "https://atelier-nord.example/products/fjell-shell-jacket/"
    g = "{http://base.google.com/ns/1.0}"
    items = ElementTree.fromstring(first[1]).find("channel").findall("item")
    by_id = {item.findtext(g + "id"): item for item in items}
    assert by_id["AN-JKT-001"].findtext(g + "price") == "289.00 USD"
    assert by_id["AN-BAG-002"].findtext(g + "title") == "手ぬぐい Tenugui Tote"
    assert by_id["bags/roll-top 25L"].findtext(g + "availability") == "in_stock"
    outside = invoke("build", "--config", str(config), "--feed", "../escape")
    assert outside.exit_code == 2 and "inside the site folder" in outside.output
