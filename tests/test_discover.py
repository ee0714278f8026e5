"""The discover stage: which files of a real site folder are pages, in a stable order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from croissant_embed.discover import Found, discover
from croissant_embed.errors import SiteError
from croissant_embed.settings import Settings

DEFAULT_INCLUDE = Settings(root=Path(".")).include  # the settings' default globs
DEFAULT_EXCLUDE = Settings(root=Path(".")).exclude


def make_site(root: Path, files: list[str]) -> Path:
    """A site folder holding ``files`` (relative paths, written in the given order)."""
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!DOCTYPE html><title>{rel}</title>\n", encoding="utf-8")
    return root


def rels(site: Path, *, include: tuple[str, ...] = DEFAULT_INCLUDE, exclude: tuple[str, ...] = DEFAULT_EXCLUDE) -> list[str]:
    """The relative paths discover lists, in its order."""
    return [found.rel for found in discover(site, include=include, exclude=exclude)]


def test_the_default_globs_find_html_pages_at_every_depth(tmp_path):
    site = make_site(tmp_path / "public", ["index.html", "a/b/c/deep.html", "old/page.htm"])
    assert rels(site) == ["a/b/c/deep.html", "index.html", "old/page.htm"]


def test_files_that_are_not_pages_are_ignored(tmp_path):
    site = make_site(tmp_path / "public", ["index.html", "style.css", "app.js", "img/logo.svg", "feed.xml", "page.html.bak", "notes.txt"])
    assert rels(site) == ["index.html"]


def test_leftover_temporaries_of_an_atomic_write_are_ignored(tmp_path):
    site = make_site(tmp_path / "public", ["index.html", "index.html.croissant-tmp", "p/x.croissant-tmp"])
    assert rels(site, include=("**",)) == ["index.html"]


def test_a_found_page_carries_its_absolute_path_and_a_slash_separated_relative_path(tmp_path):
    site = make_site(tmp_path / "public", ["shop/shirts/linen.html"])
    (found,) = list(discover(site, include=DEFAULT_INCLUDE, exclude=()))
    assert found.rel == "shop/shirts/linen.html"
    assert found.skipped is None
    assert Path(found.path) == (site / "shop" / "shirts" / "linen.html").resolve()
    assert Path(found.path).is_absolute()


def test_the_order_is_the_sites_name_order_whatever_order_files_were_written_in(tmp_path):
    written = ["z.html", "b/index.html", "a.html", "a/index.html", "b/a.html", "A.html", "a-b.html"]
    site = make_site(tmp_path / "public", written)
    first = rels(site)
    # each folder's entries in name order, a folder's pages where the folder's name sorts
    assert first == ["A.html", "a/index.html", "a-b.html", "a.html", "b/a.html", "b/index.html", "z.html"]
    assert rels(site) == first
    again = make_site(tmp_path / "copy", list(reversed(written)))
    assert rels(again) == first


def test_star_stays_within_one_folder_and_double_star_crosses_folders(tmp_path):
    site = make_site(tmp_path / "public", ["index.html", "shop/a.html", "shop/men/b.html", "blog/c.html"])
    assert rels(site, include=("*.html",)) == ["index.html"]
    assert rels(site, include=("shop/*.html",)) == ["shop/a.html"]
    assert rels(site, include=("shop/**/*.html",)) == ["shop/a.html", "shop/men/b.html"]
    assert rels(site, include=("shop/**",)) == ["shop/a.html", "shop/men/b.html"]
    assert rels(site, include=("**/b.html",)) == ["shop/men/b.html"]


def test_question_mark_matches_one_character_of_a_name(tmp_path):
    site = make_site(tmp_path / "public", ["p1.html", "p22.html", "p/.html"])
    assert rels(site, include=("p?.html",)) == ["p1.html"]


def test_exclude_globs_with_double_star_remove_whole_folders(tmp_path):
    site = make_site(tmp_path / "public", ["index.html", "drafts/a.html", "drafts/deep/b.html", "shop/drafts/c.html"])
    assert rels(site, exclude=("drafts/**",)) == ["index.html", "shop/drafts/c.html"]
    assert rels(site, exclude=("**/drafts/**",)) == ["index.html"]
    assert rels(site, exclude=("**/index.html", "**/b.html")) == ["drafts/a.html", "shop/drafts/c.html"]


def test_glob_characters_of_regular_expressions_are_matched_literally(tmp_path):
    site = make_site(tmp_path / "public", ["a+b.html", "aab.html", "(x).html", "x.html"])
    assert rels(site, include=("a+b.html", "(x).html")) == ["(x).html", "a+b.html"]


def test_a_folder_named_like_a_page_is_walked_not_listed(tmp_path):
    site = make_site(tmp_path / "public", ["old.html/index.html", "old.html/sub/page.html"])
    assert rels(site) == ["old.html/index.html", "old.html/sub/page.html"]


def test_pages_in_hidden_folders_are_found_unless_excluded(tmp_path):
    site = make_site(tmp_path / "public", [".well-known/page.html", ".hidden.html", "index.html"])
    assert rels(site) == [".hidden.html", ".well-known/page.html", "index.html"]
    assert rels(site, exclude=(".*/**", ".*")) == ["index.html"]


def test_a_symbolic_link_to_a_page_is_listed_as_skipped_and_not_followed(tmp_path):
    outside = make_site(tmp_path / "outside", ["secret.html"])
    site = make_site(tmp_path / "public", ["index.html"])
    (site / "linked.html").symlink_to(outside / "secret.html")
    found = list(discover(site, include=DEFAULT_INCLUDE, exclude=()))
    assert [f.rel for f in found] == ["index.html", "linked.html"]
    link = found[1]
    assert link.skipped == "symbolic link (not followed)"
    assert Path(link.path) == site.resolve() / "linked.html"


def test_a_symbolic_link_to_a_folder_is_skipped_and_its_pages_are_not_listed(tmp_path):
    outside = make_site(tmp_path / "outside", ["a.html", "deep/b.html"])
    site = make_site(tmp_path / "public", ["index.html"])
    (site / "mirror").symlink_to(outside, target_is_directory=True)
    found = list(discover(site, include=DEFAULT_INCLUDE, exclude=()))
    assert [(f.rel, f.skipped) for f in found] == [("index.html", None), ("mirror", "symbolic link (not followed)")]


def test_a_symbolic_link_loop_ends(tmp_path):
    site = make_site(tmp_path / "public", ["index.html"])
    (site / "loop").symlink_to(site, target_is_directory=True)
    assert [(f.rel, f.skipped is not None) for f in discover(site, include=DEFAULT_INCLUDE, exclude=())] == [
        ("index.html", False), ("loop", True),
    ]


def test_a_symbolic_link_to_a_file_that_is_not_a_page_is_not_listed(tmp_path):
    site = make_site(tmp_path / "public", ["index.html"])
    (site / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (site / "brand.svg").symlink_to(site / "logo.svg")
    assert rels(site) == ["index.html"]
    assert rels(site, include=("*.html",)) == ["index.html"]


def test_a_symbolic_link_the_exclude_globs_cover_is_not_listed(tmp_path):
    outside = make_site(tmp_path / "outside", ["a.html"])
    site = make_site(tmp_path / "public", ["index.html", "drafts/x.html"])
    (site / "drafts" / "link.html").symlink_to(outside / "a.html")
    (site / "drafts" / "mirror").symlink_to(outside, target_is_directory=True)
    assert rels(site, exclude=("drafts/**",)) == ["index.html"]


def test_the_site_itself_may_be_reached_through_a_symbolic_link(tmp_path):
    real = make_site(tmp_path / "real", ["index.html", "p/a.html"])
    via = tmp_path / "via"
    via.symlink_to(real, target_is_directory=True)
    found = list(discover(via, include=DEFAULT_INCLUDE, exclude=()))
    assert [f.rel for f in found] == ["index.html", "p/a.html"]
    assert all(f.skipped is None for f in found)
    assert Path(found[0].path) == real.resolve() / "index.html"


@pytest.mark.parametrize("make", ["missing", "file"])
def test_a_site_that_is_not_a_folder_is_a_site_error_naming_it(tmp_path, make):
    site = tmp_path / "public"
    if make == "file":
        site.write_text("not a folder", encoding="utf-8")
    with pytest.raises(SiteError, match="public") as caught:
        list(discover(site, include=DEFAULT_INCLUDE, exclude=()))
    assert "does not exist or is not a folder" in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_listed_as_skipped_with_the_reason(tmp_path):
    site = make_site(tmp_path / "public", ["index.html", "locked/a.html"])
    (site / "locked").chmod(0)
    try:
        found = list(discover(site, include=DEFAULT_INCLUDE, exclude=()))
    finally:
        (site / "locked").chmod(0o755)
    assert found[0] == Found(found[0].path, "index.html")
    assert found[1].rel == "locked" and "cannot be read" in (found[1].skipped or "")
