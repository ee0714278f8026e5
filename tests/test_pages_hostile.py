"""One bad page never stops or hangs the build, and nothing is spliced where it breaks a page (issue 10)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from croissant_embed.cache import page_key
from croissant_embed.extract import ExtractOptions, Html, analyse
from croissant_embed.process import refuse_unsafe_offsets
from croissant_embed.rewrite import strip_insertions
from croissant_embed.sandbox import SandboxStore

from .sites import ATTACKS, ATTACKS_EXPECTED, make_store, product_page, write_page

GUARD_SECONDS = 300  # a build that has not finished by then hangs: the test fails instead of waiting


def build(tmp_path: Path, site: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    """``croissant-embed build`` on a real folder in a child process (so that a hang is a failure)."""
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://s.example/"\nmax_invalid = 10\n', encoding="utf-8")
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "croissant_embed", "build", str(site), "--config", str(config), "--report", str(report), *extra]
    try:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=GUARD_SECONDS,
                                env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish within {GUARD_SECONDS} s: a page hangs it")
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result, json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}


def attack_site(tmp_path: Path) -> Path:
    """The attack corpus, plus an ordinary product page after it in site order."""
    site = tmp_path / "site"
    shutil.copytree(ATTACKS, site / "attacks")
    write_page(site, "zz/ok.html", product_page("OK-1", "9.00"))
    return site


def test_each_attack_page_gets_its_own_status_and_the_build_goes_on(tmp_path):
    site = attack_site(tmp_path)
    result, report = build(tmp_path, site, "--feed", "feed")
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = {page["path"]: page["status"] for page in report["pages"]}
    assert statuses == {**ATTACKS_EXPECTED, "zz/ok.html": "injected"}
    pages = {page["path"]: page for page in report["pages"]}
    assert any("nested too deeply" in w for w in pages["attacks/jsonld-100000-deep.html"]["warnings"])
    problems = {p["page"]: p["error"] for p in report["products"] if p["action"] == "invalid"}
    assert "implausibly large" in problems["attacks/price-1e999999999.html"]
    held = {pid: payload for pid, payload, _ in SandboxStore(str(tmp_path / ".croissant" / "sandbox.sqlite3")).products()}
    assert {"OK-1", "ATK-SURROGATE", "ATK-CONTROL", "ATK-MICRO"} <= set(held)
    feed = ElementTree.parse(site / "feed.xml").getroot()  # well-formed: the control character is gone
    titles = {item.findtext("{http://base.google.com/ns/1.0}id"): item.findtext("{http://base.google.com/ns/1.0}title")
              for item in feed.iter("item")}
    assert titles["ATK-CONTROL"] == "BadName" and titles["ATK-SURROGATE"] == "xy"
    names = {item["id"]: item["name"] for item in json.loads((site / "feed.json").read_text(encoding="utf-8"))["products"]}
    assert names["ATK-CONTROL"] == "BadName"
    for rel, status in ATTACKS_EXPECTED.items():
        original = (ATTACKS.parent / rel).read_bytes()
        after = (site / rel).read_bytes()
        if status == "injected":
            assert strip_insertions(after.decode("utf-8")).encode("utf-8") == original, rel
        else:
            assert after == original, rel


def _component_and_original(site: Path, rel: str) -> tuple[BeautifulSoup, BeautifulSoup, str]:
    text = (site / rel).read_text(encoding="utf-8")
    original = (ATTACKS.parent / rel).read_text(encoding="utf-8")
    assert strip_insertions(text) == original
    return BeautifulSoup(text, "html.parser"), BeautifulSoup(original, "html.parser"), text


def test_markup_inside_attribute_values_and_raw_text_is_never_an_injection_point(tmp_path):
    site = attack_site(tmp_path)
    result, _ = build(tmp_path, site)
    assert result.returncode == 0, result.stdout + result.stderr

    tree, before, _ = _component_and_original(site, "attacks/price-in-attribute.html")
    assert tree.find("button")["data-bs-content"] == before.find("button")["data-bs-content"] == "<span class='price'>$30.00</span>"
    [component] = tree.find_all("croissant-toggle-pdp")
    assert component.parent.name == "p" and component.find_previous_sibling("span")["class"] == ["price"]  # after the visible price

    tree, before, text = _component_and_original(site, "attacks/price-in-raw-text.html")
    [component] = tree.find_all("croissant-toggle-pdp")
    assert component.parent.name == "p" and component.find_previous_sibling("span")["class"] == ["price"]
    raw = ("title", "textarea", "script", "style", "noscript", "template")
    assert component.find_parent(raw) is None
    for element in before.find_all(raw):
        assert str(element) in text  # every raw-text element is as it was
    assert text.index("croissant-toggle-pdp") > text.index("<p><span class=\"price\">")

    tree, before, _ = _component_and_original(site, "attacks/slot-in-attribute.html")
    assert tree.find("div", class_="help")["title"] == "<croissant-slot></croissant-slot>"
    [component] = tree.find_all("croissant-toggle-pdp")
    assert component.find_parent("div")["class"] == ["buy"]


def test_large_hostile_pages_are_processed_without_hanging(tmp_path):
    site = tmp_path / "site"
    head = product_page("BIG-{}", "30.00").split("</body>")[0]
    bodies = {
        "cut-off-tag.html": '<span class="price">$30.00</span><span class="price"' + ' a="b"' * 60,
        "unclosed-spans.html": '<span class="price">$30.00</span>' + '<span class="price">' * 30_000,
        "unclosed-jsonld.html": '<span class="price">$30.00</span>' + '<script type="application/ld+json">' * 30_000,
        "unended-scripts.html": '<span class="price">$30.00</span>' + "<script x " * 30_000,
        "unclosed-comments.html": '<span class="price">$30.00</span>' + "<!-- <p>" * 30_000,
        "price-words.html": '<span class="price">$30.00</span><p>' + "price " * 100_000,
    }
    for index, (name, body) in enumerate(bodies.items()):
        write_page(site, name, head.replace("BIG-{}", f"BIG-{index}") + body)
    result, report = build(tmp_path, site, "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {page["path"]: page["status"] for page in report["pages"]} == dict.fromkeys(bodies, "injected")


@pytest.mark.parametrize("encoding, bom", [("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"\xff\xfe")])
def test_utf16_pages_keep_their_byte_order(tmp_path, encoding, bom):
    site = tmp_path / "site"
    path = site / "p.html"
    path.parent.mkdir(parents=True)
    original = ("\ufeff" + product_page("U16", "12.00", name="\u00c5se \u20ac")).encode(encoding)
    path.write_bytes(original)
    result, report = build(tmp_path, site)
    assert result.returncode == 0 and report["pages"][0]["status"] == "injected", result.stdout + result.stderr
    after = path.read_bytes()
    assert after.startswith(bom) and after != original
    assert strip_insertions(after.decode(encoding)).encode(encoding) == original


def test_a_page_whose_processing_breaks_becomes_an_error_and_the_others_go_on(tmp_path):
    site = tmp_path / "site"
    pages = make_store(site, 3)
    first, _ = build(tmp_path, site, "--dry-run")
    assert first.returncode == 0
    broken = "p/00001/index.html"  # its cached analysis puts the component past the end of the page: splicing raises
    with sqlite3.connect(tmp_path / ".croissant" / "cache.sqlite3") as db:
        key = page_key(broken, pages[broken])
        [(entry,)] = db.execute("SELECT entry FROM pages WHERE key = ?", (key,)).fetchall()
        analysis = json.loads(entry)
        analysis[8] = 10**9  # pdp_at
        db.execute("UPDATE pages SET entry = ? WHERE key = ?", (json.dumps(analysis), key))
    result, report = build(tmp_path, site)
    assert result.returncode == 0, result.stdout + result.stderr
    records = {page["path"]: page for page in report["pages"]}
    assert records[broken]["status"] == "error"
    assert records[broken]["reason"].startswith("internal error while analysing: ValueError")
    assert {rel: records[rel]["status"] for rel in pages if rel != broken} == dict.fromkeys(set(pages) - {broken}, "injected")
    assert (site / broken).read_bytes() == pages[broken]  # nothing half-written


def test_a_damaged_cache_entry_is_analysed_again_and_replaced(tmp_path):
    site = tmp_path / "site"
    pages = make_store(site, 3)
    first, _ = build(tmp_path, site, "--dry-run")
    assert first.returncode == 0
    broken = "p/00001/index.html"  # its cached analysis is corrupt: reading it raises
    with sqlite3.connect(tmp_path / ".croissant" / "cache.sqlite3") as db:
        db.execute("UPDATE pages SET entry = '[\"product\", {' WHERE key = ?", (page_key(broken, pages[broken]),))
    result, report = build(tmp_path, site, "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    records = {page["path"]: page for page in report["pages"]}
    assert {rel: records[rel]["status"] for rel in pages} == dict.fromkeys(pages, "injected")  # the damaged entry is analysed again
    with sqlite3.connect(tmp_path / ".croissant" / "cache.sqlite3") as db:
        [(entry,)] = db.execute("SELECT entry FROM pages WHERE key = ?", (page_key(broken, pages[broken]),)).fetchall()
    assert json.loads(entry)[0] == "product"  # and the fresh entry replaced it


def test_an_insertion_point_inside_a_tag_or_raw_text_is_refused_with_the_reason():
    text = product_page("SAFE", "30.00", extra_head='<meta name="x" content="a">\n').replace("<title>x", "<title>x<b>y</b>")
    page = Html(text)
    analysis = analyse(page, "p.html", ExtractOptions(base_url="https://s.example/"))
    assert analysis.pdp_at is not None and refuse_unsafe_offsets(analysis, page) == analysis
    cases = {
        text.index("<b>y") + 3: "inside <title>",
        text.index('content="a"') + 5: "inside a tag",
        text.index('"@type"'): "inside <script>",
    }
    for offset, where in cases.items():
        refused = refuse_unsafe_offsets(replace(analysis, pdp_at=offset), page)
        assert (refused.pdp_at, refused.head_at) == (None, None)
        assert any(f"the component was not inserted: offset {offset} is {where}" == w for w in refused.warnings), refused.warnings


def _group_members(group: int) -> list[int]:
    """Live processes in a process group (read from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="Linux /proc, forked workers")
def test_page_workers_exit_when_the_build_is_killed(tmp_path):
    site = tmp_path / "site"
    make_store(site, 500)
    config = tmp_path / "croissant.toml"
    # a placement selector parses every page with BeautifulSoup: slow enough to catch the workers at work
    config.write_text('base_url = "https://s.example/"\nworkers = 2\n[placement]\nselector = "p.price"\n', encoding="utf-8")
    command = [sys.executable, "-m", "croissant_embed", "build", str(site), "--config", str(config), "--dry-run"]
    build_process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    group = build_process.pid  # a new session: the build leads its own process group, and its workers join it
    try:
        deadline = time.monotonic() + 60
        while len(_group_members(group)) < 3 and time.monotonic() < deadline and build_process.poll() is None:
            time.sleep(0.02)
        assert len(_group_members(group)) >= 3, "the workers never started"
        os.kill(build_process.pid, signal.SIGKILL)
        build_process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _group_members(group) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _group_members(group) == []
    finally:
        for pid in _group_members(group):  # only what this test started
            os.kill(pid, signal.SIGKILL)
