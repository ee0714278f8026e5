"""No flag makes a build delete or overwrite what croissant-embed did not write itself.

Each case runs the real CLI on real folders and checks the bytes of everything around.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from croissant_embed.rewrite import MARKER_PREFIX, strip
from croissant_embed.sitefiles import OUTPUT_MARKER

from .conftest import invoke
from .sites import REPO, copy_sample, product_page, snapshot, write_page

GOLDEN_PAGE = "products/cafe-cable-beanie/index.html"


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder: config, a built site in public/, a git repository, a neighbour folder."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "croissant.toml").write_text('site_dir = "public"\nbase_url = "https://s.example/"\n', encoding="utf-8")
    write_page(root / "public", "p1/index.html", product_page("P1", "25.00"))
    write_page(root / "public", "about/index.html", "<!DOCTYPE html><html><head></head><body>About</body></html>")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (tmp_path / "unrelated").mkdir()
    (tmp_path / "unrelated" / "thesis.txt").write_text("years of work", encoding="utf-8")
    return root


@pytest.mark.parametrize("out", [".", "..", "../unrelated", ".croissant", "public", "public/sub"])
@pytest.mark.parametrize("dry_run", [True, False])
def test_out_never_replaces_a_folder_it_did_not_make(project, out, dry_run):
    (project / ".croissant").mkdir()
    (project / ".croissant" / "state.json").write_text("{}", encoding="utf-8")
    before = snapshot(project.parent)
    result = invoke("build", "public", "--out", out, *(["--dry-run"] if dry_run else []), cwd=project)
    assert result.exit_code == 2, result.output
    assert "--out" in result.output and ("give a new or empty folder" in result.output)
    assert snapshot(project.parent) == before


def test_a_dry_run_with_out_creates_and_deletes_nothing(project):
    before = snapshot(project.parent)
    result = invoke("build", "public", "--out", "../dist", "--dry-run", cwd=project)
    assert result.exit_code == 0, result.output
    assert not (project.parent / "dist").exists()
    assert {k: v for k, v in snapshot(project.parent).items() if ".croissant/" not in k} == before


def test_out_fills_a_new_folder_and_replaces_only_its_own_output(project):
    dist = project.parent / "dist"
    first = invoke("build", "public", "--out", "../dist", cwd=project)
    assert first.exit_code == 0, first.output
    assert (dist / OUTPUT_MARKER).is_file() and MARKER_PREFIX in (dist / "p1" / "index.html").read_text()
    assert MARKER_PREFIX not in (project / "public" / "p1" / "index.html").read_text()
    (dist / "stale.html").write_text("from an earlier build", encoding="utf-8")
    second = invoke("build", "public", "--out", "../dist", cwd=project)
    assert second.exit_code == 0, second.output
    assert not (dist / "stale.html").exists() and (dist / "p1" / "index.html").is_file()
    (dist / OUTPUT_MARKER).unlink()
    refused = invoke("build", "public", "--out", "../dist", cwd=project)
    assert refused.exit_code == 2 and "was not made by croissant-embed" in refused.output
    assert (dist / "p1" / "index.html").is_file()


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_report_path_naming_a_page_of_the_site_is_refused_before_any_page_is_touched(project, dry_run):
    before = snapshot(project / "public")
    result = invoke("build", "--report", "public/p1/index.html", *(["--dry-run"] if dry_run else []), cwd=project)
    assert result.exit_code == 2 and "a page of the site that croissant-embed did not write" in result.output
    assert snapshot(project / "public") == before


@pytest.mark.parametrize("flag", ["--report", "--plan", "--prune-report"])
def test_an_output_never_overwrites_a_file_it_did_not_write(project, flag):
    mine = project / "notes.json"
    mine.write_text('{"mine": true}', encoding="utf-8")
    before = snapshot(project / "public")
    result = invoke("build", flag, "notes.json", cwd=project)
    assert result.exit_code == 2 and "never overwritten" in result.output
    assert mine.read_text(encoding="utf-8") == '{"mine": true}'
    assert snapshot(project / "public") == before


def test_each_output_replaces_its_own_earlier_file_and_one_of_version_0_1(project):
    legacy = '{"version": 1, "environment": "local", "dry_run": false,\n "pages": [\n ],\n "products": [\n ],\n "totals": {}\n}\n'
    (project / "report.json").write_text(legacy, encoding="utf-8")
    for _ in range(2):
        result = invoke("build", "--dry-run", "--report", "report.json", "--prune-report", "pruned.json", "--feed", "feed", cwd=project)
        assert result.exit_code == 0, result.output
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert report["kind"] == "croissant-embed-report" and report["pages"]
    assert json.loads((project / "pruned.json").read_text(encoding="utf-8"))["kind"] == "croissant-embed-prune-report"


def test_two_outputs_may_not_share_a_file(project):
    result = invoke("build", "--dry-run", "--report", "out.json", "--plan", "out.json", cwd=project)
    assert result.exit_code == 2 and "give each output its own file" in result.output


def test_feed_paths_are_checked_before_pages_are_written(project):
    (project / "public" / "products.json").write_text('{"theme": "data"}', encoding="utf-8")
    before = snapshot(project / "public")
    existing = invoke("build", "--feed", "products", cwd=project)
    assert existing.exit_code == 2 and "--feed" in existing.output and "never overwritten" in existing.output
    absolute = invoke("build", "--feed", "/abs/feed", cwd=project)
    assert absolute.exit_code == 2 and "give a path relative to the site folder" in absolute.output
    outside = invoke("build", "--feed", "../escape", cwd=project)
    assert outside.exit_code == 2 and "inside the site folder" in outside.output
    assert snapshot(project / "public") == before
    written = invoke("build", "--feed", "feeds/catalogue", cwd=project)
    assert written.exit_code == 0, written.output
    again = invoke("build", "--feed", "feeds/catalogue", cwd=project)
    assert again.exit_code == 0, again.output
    assert json.loads((project / "public" / "feeds" / "catalogue.json").read_text())["products"][0]["id"] == "P1"


def test_temporary_looking_files_of_the_theme_survive_a_build(project):
    theirs = project / "public" / "notes.croissant-tmp"
    theirs.write_text("keep", encoding="utf-8")
    leftover = project / "public" / "p1" / ".index.html.ab12cd34.croissant-tmp"
    leftover.write_text("half a page", encoding="utf-8")
    assert invoke("build", cwd=project).exit_code == 0
    assert theirs.read_text(encoding="utf-8") == "keep" and not leftover.exists()


STRAY_SCRIPT = """<!DOCTYPE html>
<html><head><title>t</title></head><body>
<script>var tpl = "<!--croissant-embed-->";</script>
<h1>Lamp</h1>
<div data-croissant-product-id="L1" data-croissant-price="30" data-croissant-currency="USD" data-croissant-name="Lamp">
<span class="price">$30.00</span></div>
<!-- a theme comment quoting <!--/croissant-embed--> and some text that must stay -->
<p>footer text</p>
</body></html>
"""


def test_a_stray_marker_in_a_page_never_deletes_what_follows_it(project):
    page = write_page(project / "public", "lamp/index.html", STRAY_SCRIPT)
    assert invoke("build", cwd=project).exit_code == 0
    for _ in range(2):  # and again without the cache, which re-reads the page from scratch
        for cache in (project / ".croissant").glob("cache.sqlite3*"):
            cache.unlink()
        result = invoke("build", cwd=project)
        assert result.exit_code == 0, result.output
        text = page.read_text(encoding="utf-8")
        assert strip(text).text == STRAY_SCRIPT and text.count("<croissant-toggle-pdp") == 1
        assert 'var tpl = "<!--croissant-embed-->";</script>' in text and "footer text" in text


def test_a_run_whose_content_was_edited_is_left_alone(project):
    page = project / "public" / "p1" / "index.html"
    assert invoke("build", cwd=project).exit_code == 0
    edited = page.read_text(encoding="utf-8").replace('quantity="1"', 'quantity="1" data-theme="kept"')
    page.write_text(edited, encoding="utf-8")
    assert strip(edited).foreign_markers == 1  # the edited run's opening marker
    assert invoke("build", cwd=project).exit_code == 0
    assert 'data-theme="kept"' in page.read_text(encoding="utf-8")


def test_pages_injected_by_version_0_1_are_migrated_to_hashed_markers(tmp_path):
    legacy = (REPO / "tests" / "golden" / "legacy-0.1" / "cafe-cable-beanie.html").read_bytes()
    assert b"<!--croissant-embed-->" in legacy
    store = copy_sample(tmp_path).parent
    (store / "public" / GOLDEN_PAGE).write_bytes(legacy)
    result = invoke("build", "--config", "croissant.toml", cwd=store)
    assert result.exit_code == 0, result.output
    assert (store / "public" / GOLDEN_PAGE).read_bytes() == (REPO / "tests" / "golden" / "sample" / GOLDEN_PAGE).read_bytes()


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs (needs root; skipped elsewhere)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_stops_the_build_with_its_own_message_and_no_torn_page(project, small_disk):
    site = small_disk / "public"
    originals = {}
    for index in range(12):
        path = write_page(site, f"p{index}/index.html", product_page(f"P{index}", "25.00") + "<!-- padding -->" * 600)
        originals[path] = path.read_bytes()
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:  # fill the disk to the last byte
        try:
            while True:
                handle.write(b"x" * 4096)

        except OSError:
            pass
    result = invoke("build", str(site), cwd=project)
    assert result.exit_code == 4, result.output
    assert "the disk is full" in result.output and "Traceback" not in result.output
    for path, data in originals.items():
        after = path.read_bytes()
        assert after == data or strip(after.decode("utf-8")).text.encode("utf-8") == data, path
    assert not list(site.rglob("*.croissant-tmp"))


def test_a_stray_marker_is_reported_as_a_warning(project):
    write_page(project / "public", "lamp/index.html", STRAY_SCRIPT)
    result = invoke("build", "--report", "report.json", cwd=project)
    assert result.exit_code == 0, result.output
    pages = {page["path"]: page for page in json.loads((project / "report.json").read_text())["pages"]}
    assert any("marker(s) that this tool did not write" in warning for warning in pages["lamp/index.html"]["warnings"])
