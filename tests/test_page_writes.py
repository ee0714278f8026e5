"""Pages are replaced atomically, and the old file of one page takes the next page's bytes only when nobody can tell."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from croissant_embed.errors import SiteError
from croissant_embed.sitefiles.pages import PageWriter, _exchange

from .conftest import invoke
from .sites import setup_store, without_insertions

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="old files are reused on Linux only")


def _run(site, config):
    result = invoke("build", str(site), "--config", str(config), "--sync", "never")
    assert result.exit_code == 0, result.output
    return result


def _can_reuse_files(folder: Path) -> bool:
    """Whether this system swaps names and grants write leases in ``folder`` (else pages are renamed, a new file each)."""
    probe, other = folder / "probe", folder / "other"
    probe.write_bytes(b"")
    other.write_bytes(b"")
    try:
        with open(probe, "r+b") as handle:
            fcntl.fcntl(handle, fcntl.F_SETLEASE, fcntl.F_WRLCK)
            fcntl.fcntl(handle, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return _exchange(str(probe), str(other)) == 0
    except (OSError, AttributeError):
        return False
    finally:
        probe.unlink()
        other.unlink()


@linux_only
def test_the_next_page_is_written_into_the_old_file_of_the_page_before(tmp_path):
    if not _can_reuse_files(tmp_path):
        pytest.skip("this system cannot swap names or lease files here")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    first.write_bytes(b"old a " * 100)
    second.write_bytes(b"old b")
    old_inode = first.stat().st_ino
    writer = PageWriter()
    try:
        writer.write(str(first), b"new a", permissions=0o644)
        status = writer.write(str(second), b"new b", permissions=0o640)
    finally:
        writer.release()
    assert first.read_bytes() == b"new a" and second.read_bytes() == b"new b"
    assert status is not None and status.st_ino == old_inode == second.stat().st_ino  # the old file of a.html (600 bytes), cut to the new size
    assert second.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]  # the kept file is gone after release


def test_a_page_held_open_by_a_reader_keeps_its_old_bytes_for_that_reader(tmp_path):
    site, config, original = setup_store(tmp_path, 8)
    held = site / "p" / "00003" / "index.html"
    with open(held, "rb") as reader:
        _run(site, config)
        assert reader.read() == original["p/00003/index.html"]  # the old file was not given to the next page
    for rel, data in original.items():
        after = (site / rel).read_bytes()
        assert after != data and without_insertions(after) == data, rel
    assert not list(site.rglob("*.croissant-tmp"))


def test_a_page_with_another_hard_link_leaves_that_link_as_it_was(tmp_path):
    site, config, original = setup_store(tmp_path, 8)
    backup = tmp_path / "backup.html"
    os.link(site / "p" / "00002" / "index.html", backup)
    _run(site, config)
    assert backup.read_bytes() == original["p/00002/index.html"]
    assert without_insertions((site / "p" / "00003" / "index.html").read_bytes()) == original["p/00003/index.html"]
    assert not list(site.rglob("*.croissant-tmp"))


def test_a_page_with_extended_attributes_never_passes_them_to_another_page(tmp_path):
    site, config, _ = setup_store(tmp_path, 8)
    marked = site / "p" / "00004" / "index.html"
    try:
        os.setxattr(marked, "user.croissant-test", b"belongs to page 4")
    except (OSError, AttributeError):
        pytest.skip("this file system keeps no user attributes")
    _run(site, config)
    assert [page for page in site.rglob("*.html") if os.listxattr(page)] == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_page_owned_by_another_user_never_lends_its_file_to_the_next_page(tmp_path):
    site, config, _ = setup_store(tmp_path, 8)
    os.chown(site / "p" / "00001" / "index.html", 12345, 12345)
    _run(site, config)
    assert {page.stat().st_uid for page in site.rglob("*.html")} == {os.geteuid()}


@pytest.mark.parametrize("kind", ["folder", "link"])
def test_something_put_where_a_page_stood_is_left_there_untouched(tmp_path, kind):
    page = tmp_path / "index.html"
    if kind == "folder":
        page.mkdir()
        (page / "inside.txt").write_text("theirs", encoding="utf-8")
    else:
        (tmp_path / "target.html").write_text("theirs", encoding="utf-8")
        page.symlink_to("target.html")
    writer = PageWriter()
    with pytest.raises(SiteError, match="index.html"):
        writer.write(str(page), b"ours", permissions=0o644)
    writer.release()
    if kind == "folder":
        assert page.is_dir() and (page / "inside.txt").read_text(encoding="utf-8") == "theirs"
    else:
        assert page.is_symlink() and os.readlink(page) == "target.html" and (tmp_path / "target.html").read_text(encoding="utf-8") == "theirs"
    assert not list(tmp_path.rglob("*.croissant-tmp"))


def test_a_page_removed_while_the_build_ran_is_written_anew(tmp_path):
    writer = PageWriter()
    try:
        writer.write(str(tmp_path / "gone.html"), b"ours", permissions=0o644)
    finally:
        writer.release()
    assert (tmp_path / "gone.html").read_bytes() == b"ours"
    assert [p.name for p in tmp_path.iterdir()] == ["gone.html"]


def test_a_page_on_another_file_system_than_the_kept_file_gets_a_new_one_beside_it(tmp_path):
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system at hand")
    elsewhere = Path(tempfile.mkdtemp(dir=other))
    try:
        here, there = tmp_path / "a.html", elsewhere / "b.html"
        here.write_bytes(b"old a")
        there.write_bytes(b"old b")
        writer = PageWriter()
        try:
            writer.write(str(here), b"new a", permissions=0o644)
            writer.write(str(there), b"new b", permissions=0o644)  # the kept file (old a) cannot be swapped across
        finally:
            writer.release()
        assert (here.read_bytes(), there.read_bytes()) == (b"new a", b"new b")
        assert [p.name for p in tmp_path.iterdir()] == ["a.html"] and [p.name for p in elsewhere.iterdir()] == ["b.html"]
    finally:
        shutil.rmtree(elsewhere)
