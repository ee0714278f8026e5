"""What keeps a large site's rebuild fast and its memory bounded (issue 15) changes nothing it reports:
a page whose file is as the last build left it is known by its status, not read, and any change
to it is seen; payloads kept on disk are planned and reported as those kept in memory."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from croissant_embed import process
from croissant_embed.build import BuildOptions, run_build
from croissant_embed.contract import StoredPayload
from croissant_embed.settings import load_settings
from croissant_embed.cache import AnalysisCache, CacheRow, FileRow
from croissant_embed.sitefiles import file_stat

from .conftest import invoke
from .sites import mixed_store as store
from .sites import settle


def build(tmp_path: Path, site: Path, config: Path, *extra: str) -> dict:
    """A build through the CLI (pages written, nothing synced); its report."""
    report = tmp_path / "report.json"
    result = invoke("build", str(site), "--config", str(config), "--sync", "never", "--report", str(report), *extra, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return json.loads(report.read_text(encoding="utf-8"))


def known_files(tmp_path: Path) -> set[str]:
    """The pages the cache knows by their file's status."""
    with sqlite3.connect(tmp_path / ".croissant" / "cache.sqlite3") as db:
        return {rel for (rel,) in db.execute("SELECT rel FROM files")}


def same(report: dict) -> dict:
    """What a report says of the pages and products, without its timings."""
    return {"pages": report["pages"], "products": report["products"], "totals": report["totals"]}


def test_a_build_over_unchanged_files_reports_them_as_a_build_that_reads_them(tmp_path):
    site, config = store(tmp_path)
    build(tmp_path, site, config, "--feed", "feed")
    settle()
    read = build(tmp_path, site, config, "--feed", "feed")  # every page read again: now final and settled
    assert known_files(tmp_path) >= {"p/00000/index.html", "list/index.html", "bad/index.html"}
    known = build(tmp_path, site, config, "--feed", "feed")
    assert same(known) == same(read)
    statuses = {page["path"]: page["status"] for page in known["pages"]}
    assert statuses["bad/index.html"] == "invalid" and statuses["p/00000/index.html"] == "unchanged"
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert len(feed["items"] if "items" in feed else feed["products"]) == 3


def test_a_dry_run_over_unchanged_files_reports_what_a_dry_run_that_reads_them_does(tmp_path):
    site, config = store(tmp_path)
    settle()
    read = build(tmp_path, site, config, "--dry-run")
    assert "p/00001/index.html" in known_files(tmp_path)
    known = build(tmp_path, site, config, "--dry-run")
    assert same(known) == same(read)
    assert {page["status"] for page in known["pages"] if page["path"].startswith("p/")} == {"injected"}
    written = build(tmp_path, site, config)  # a real build after dry runs still writes every product page
    assert {page["status"] for page in written["pages"] if page["path"].startswith("p/")} == {"injected"}


def test_a_page_changed_in_place_after_a_build_keeping_its_size_is_read_again(tmp_path):
    site, config = store(tmp_path)
    build(tmp_path, site, config)
    settle()
    build(tmp_path, site, config)
    page = site / "p" / "00002" / "index.html"
    assert "p/00002/index.html" in known_files(tmp_path)
    text = page.read_text(encoding="utf-8")
    changed = text.replace('"price":"25.00"', '"price":"26.00"')
    assert len(changed) == len(text) and changed != text
    with open(page, "r+", encoding="utf-8") as handle:  # the same file (inode), the same size, written at once
        handle.write(changed)
    report = build(tmp_path, site, config)
    product = next(p for p in report["products"] if p["page"] == "p/00002/index.html")
    assert product["payload"]["retailPrice"] == 2600  # read again, not taken back from the cache


def test_payloads_kept_on_disk_past_the_first_products_are_reported_and_planned_the_same(tmp_path, monkeypatch):
    outputs = []
    for in_memory in (10_000, 1):  # every payload in memory, then all but the first product's on disk
        monkeypatch.setattr(process, "PAYLOADS_IN_MEMORY", in_memory)
        folder = tmp_path / str(in_memory)
        site, config = store(folder)
        report = build(folder, site, config, "--plan", str(folder / "plan.json"))
        plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
        outputs.append((same(report), plan["products"]))
    assert outputs[0] == outputs[1]
    assert [product["payload"]["retailPrice"] for product in outputs[1][1]] == [2500, 2500, 2500]
    site, config = store(tmp_path / "library")
    result = run_build(load_settings(config=config, overrides={"site_dir": site}), BuildOptions(dry_run=True))
    kept = [type(entry.payload) for entry in result.products if entry.action != "invalid"]
    assert kept == [str, StoredPayload, StoredPayload]  # the first in memory, the others on disk


def _cache_with_files(path: Path, site: Path, rels: list[str], *, written: bool) -> AnalysisCache:
    """A cache holding a row for each of ``rels`` (files under ``site``), as a build records them, not finished.

    ``written``: the build has just written the files; else it read them once they had settled.
    """
    for rel in rels:
        file = site / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"<html><body>{rel}</body></html>", encoding="utf-8")
    if not written:
        settle()
    cache = AnalysisCache(path, "fingerprint")
    rows: list = []
    for rel in rels:
        file, key, entry = site / rel, f"key-{rel}", f'{{"entry": "{rel}"}}'
        rows += [CacheRow(key, entry, True),
                 FileRow(rel, str(file), file_stat(os.stat(file)), key, len(entry), True, f'"{rel}"', 0 if written else time.time_ns())]
    cache.record(rows)
    return cache


def test_a_page_written_just_before_a_build_ended_is_known_only_once_that_build_looked_again(tmp_path):
    site = tmp_path / "site"
    killed = _cache_with_files(tmp_path / "killed.sqlite3", site, ["a.html", "b.html"], written=True)
    del killed  # a build killed before its end: it never looked at its fresh pages again
    settle()
    after_kill = AnalysisCache(tmp_path / "killed.sqlite3", "fingerprint")
    assert after_kill.known("a.html", str(site / "a.html"), stable_only=True) is None  # read again, never trusted blindly
    finished = _cache_with_files(tmp_path / "finished.sqlite3", site, ["a.html", "b.html"], written=True)
    settle()
    (site / "b.html").write_text("<html><body>changed by someone else</body></html>", encoding="utf-8")
    finished.finish()
    again = AnalysisCache(tmp_path / "finished.sqlite3", "fingerprint")
    assert again.known("a.html", str(site / "a.html"), stable_only=True)[:2] == ("key-a.html", '"a.html"')
    assert again.known("b.html", str(site / "b.html"), stable_only=True) is None  # written since: read again


def test_every_known_page_is_found_whatever_order_the_build_asks_in(tmp_path):
    site = tmp_path / "site"
    rels = [f"p/{number:04d}.html" for number in range(1500)]  # more than are read ahead
    _cache_with_files(tmp_path / "cache.sqlite3", site, rels, written=False).finish()
    cache = AnalysisCache(tmp_path / "cache.sqlite3", "fingerprint")
    (site / rels[700]).unlink()  # a page gone since
    asked = rels[1000:] + rels[:1000:-1] + ["new/page.html"] + rels[:1000]  # out of the stored order, a page never stored, repeats
    found = {rel: cache.known(rel, str(site / rel), stable_only=True) for rel in asked}
    assert found["new/page.html"] is None and found[rels[700]] is None
    assert all(found[rel] == (f"key-{rel}", f'"{rel}"', file_stat(os.stat(site / rel))) for rel in rels if rel != rels[700])
