"""A build that finds nothing changed since the last one repeats its output, and any change makes it a full build."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest

from croissant_embed import build as build_stage
from croissant_embed.cli.build_commands import UNCHANGED

from .conftest import SECRET, invoke, puts
from .sites import mixed_store, product_page, settle, write_config, write_page
from .test_markets import MARKETS
from .test_markets import store as market_store

def store(tmp_path: Path, *config: str) -> tuple[Path, Path]:
    """:func:`mixed_store`, its pages left to settle as a generator's are by the time the build step runs.

    A page the build only reads (it needs no component) is known by its status only if it was
    written a clock tick before the build read it; otherwise the next build reads it again.
    """
    site, written = mixed_store(tmp_path, *config)
    settle()
    return site, written


def build(tmp_path: Path, site: Path, config: Path, *extra: str, env: dict[str, str] | None = None):
    """``build SITE`` through the CLI with nothing synced (a plan written instead), run from ``tmp_path``."""
    return invoke("build", str(site), "--config", str(config), "--sync", "never", *extra, env=env, cwd=tmp_path)


def replayed(result) -> bool:
    return UNCHANGED in result.stdout


def state_files(tmp_path: Path) -> dict[str, tuple[bytes, int]]:
    """The bytes and inode of every file the build keeps beside the cache (state, plan, replay)."""
    folder = tmp_path / ".croissant"
    return {path.name: (path.read_bytes(), path.stat().st_ino) for path in folder.iterdir() if not path.name.startswith("cache.sqlite3")}


def pages(site: Path) -> dict[str, tuple[bytes, int, int]]:
    return {str(path.relative_to(site)): (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns) for path in site.rglob("*.html")}


def without_note(text: str) -> str:
    return text.replace(UNCHANGED + "\n", "")


def test_a_build_with_nothing_changed_prints_and_exits_as_the_last_without_touching_a_file(tmp_path):
    site, config = store(tmp_path, 'base_url = "https://s.example/"\n')  # max_invalid = 0: the invalid product stops the sync
    first = build(tmp_path, site, config)  # a cold build: the next one replays it at once, no wait between
    assert first.exit_code == 3 and not replayed(first)
    assert "invalid: bad/index.html: product 'BAD-1'" in first.stderr
    kept, written = state_files(tmp_path), pages(site)
    again = build(tmp_path, site, config)
    assert replayed(again)
    assert again.exit_code == 3
    assert without_note(again.stdout) == first.stdout and again.stderr == first.stderr
    assert state_files(tmp_path) == kept and pages(site) == written  # nothing rewritten, not even the plan
    assert replayed(build(tmp_path, site, config))  # and again


def test_a_quiet_replay_prints_only_what_the_quiet_build_printed(tmp_path):
    site, config = store(tmp_path)
    first = build(tmp_path, site, config, "--quiet")
    kept = state_files(tmp_path)
    again = build(tmp_path, site, config, "--quiet")
    assert again.exit_code == first.exit_code == 0
    assert again.stdout == first.stdout == "" and again.stderr == first.stderr == "not syncing: --sync never\n"
    assert state_files(tmp_path) == kept  # a replay: the plan was not written again


def _edit_page(tmp_path: Path, site: Path, config: Path) -> str:
    page = site / "p" / "00001" / "index.html"
    text = page.read_text(encoding="utf-8")
    with open(page, "r+", encoding="utf-8") as handle:  # the same file, the same size: only its status tells
        handle.write(text.replace('"price":"25.00"', '"price":"26.00"'))
    return "update"


def _add_page(tmp_path: Path, site: Path, config: Path) -> str:
    write_page(site, "p/new/index.html", product_page("NEW-1", "30.00"))
    return "NEW-1"


def _remove_page(tmp_path: Path, site: Path, config: Path) -> str:
    (site / "list" / "index.html").unlink()
    return "pages: 4"


def _change_config(tmp_path: Path, site: Path, config: Path) -> str:
    config.write_text('base_url = "https://s.example/"\nmax_invalid = 6\n', encoding="utf-8")
    return "pages: 5"


def _change_template(tmp_path: Path, site: Path, config: Path) -> str:
    own = tmp_path / "own-templates"
    own.mkdir(exist_ok=True)
    (own / "pdp.html").write_text('<x-pdp id="{{ product.id }}"></x-pdp>\n', encoding="utf-8")
    config.write_text(f'base_url = "https://s.example/"\nmax_invalid = 5\ntemplates_dir = "{own.as_posix()}"\n', encoding="utf-8")
    return "pages: 5"


def _edit_template(tmp_path: Path, site: Path, config: Path) -> str:
    template = tmp_path / "own-templates" / "pdp.html"
    with open(template, "r+", encoding="utf-8") as handle:  # same size, same file
        handle.write(template.read_text(encoding="utf-8").replace("x-pdp", "y-pdp"))
    return "pages: 5"


def _remove_plan(tmp_path: Path, site: Path, config: Path) -> str:
    (tmp_path / ".croissant" / "plan.json").unlink()
    return "see the plan"


def _change_state(tmp_path: Path, site: Path, config: Path) -> str:
    state = tmp_path / ".croissant" / "state.json"
    state.write_bytes(state.read_bytes())  # the same bytes, written again
    return "pages: 5"


CHANGES: dict[str, Callable[[Path, Path, Path], str]] = {
    "a page edited in place, same size": _edit_page,
    "a page added": _add_page,
    "a page removed": _remove_page,
    "the config": _change_config,
    "a template edited in place, same size": _edit_template,
    "the plan file removed": _remove_plan,
    "the state written again": _change_state,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_to_what_a_build_depends_on_makes_the_next_a_full_build(tmp_path, change):
    site, config = store(tmp_path)
    if change == "a template edited in place, same size":
        _change_template(tmp_path, site, config)
    build(tmp_path, site, config)
    assert replayed(build(tmp_path, site, config))
    expected = CHANGES[change](tmp_path, site, config)  # right after the build: within the same clock tick as its end
    result = build(tmp_path, site, config)
    assert result.exit_code == 0, result.output
    assert not replayed(result)
    assert expected in result.output
    if change == "a page edited in place, same size":
        plan = json.loads((tmp_path / ".croissant" / "plan.json").read_text(encoding="utf-8"))
        assert [p["payload"]["retailPrice"] for p in plan["products"] if p["id"] == "P00001"] == [2600]
    if change == "a template edited in place, same size":
        assert "<y-pdp" in (site / "p" / "00000" / "index.html").read_text(encoding="utf-8")
    settle()
    build(tmp_path, site, config)  # what the change wrote was too recent to be known by its status: read again
    assert replayed(build(tmp_path, site, config))


def plan_id(tmp_path: Path) -> str:
    """The id of the plan in the state folder (each build that writes a plan gives it a new one)."""
    return json.loads((tmp_path / ".croissant" / "plan.json").read_text(encoding="utf-8"))["id"]


def test_a_template_edited_while_the_build_ran_makes_the_next_a_full_build(tmp_path, monkeypatch):
    site, config = store(tmp_path)
    _change_template(tmp_path, site, config)
    run_build = build_stage.run_build

    def edited_meanwhile(*args, **kwargs):
        result = run_build(*args, **kwargs)  # the pages were rendered with the template as it was
        (tmp_path / "own-templates" / "pdp.html").write_text('<z-pdp id="{{ product.id }}"></z-pdp>\n', encoding="utf-8")
        return result

    monkeypatch.setattr(build_stage, "run_build", edited_meanwhile)
    build(tmp_path, site, config)
    monkeypatch.undo()
    result = build(tmp_path, site, config)
    assert result.exit_code == 0 and not replayed(result)
    assert "<z-pdp" in (site / "p" / "00000" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("flags", [("--quiet",), ("--dry-run",), ("--full",), ("--allow-drop",)], ids=lambda flags: flags[0])
def test_other_flags_make_a_full_build(tmp_path, flags):
    site, config = store(tmp_path)
    build(tmp_path, site, config)
    before = plan_id(tmp_path)
    result = build(tmp_path, site, config, *flags)
    assert result.exit_code == 0, result.output
    assert not replayed(result) and plan_id(tmp_path) != before


def test_no_replay_processes_every_page_and_keeps_a_replay_for_the_next_build(tmp_path):
    site, config = store(tmp_path)
    build(tmp_path, site, config)
    before = plan_id(tmp_path)
    result = build(tmp_path, site, config, "--no-replay")
    assert result.exit_code == 0 and not replayed(result) and plan_id(tmp_path) != before
    assert replayed(build(tmp_path, site, config))


def test_a_setting_from_the_environment_makes_a_full_build(tmp_path):
    site, config = store(tmp_path)
    build(tmp_path, site, config)
    result = build(tmp_path, site, config, env={"CROISSANT_MAX_INVALID": "0"})
    assert result.exit_code == 3 and not replayed(result)
    assert "1 invalid products (max_invalid = 0)" in result.stderr


@pytest.mark.parametrize("extra", [("--report", "r.json"), ("--report-html", "r.html"), ("--feed", "feed"), ("--prune-report", "pr.json"),
                                   ("-v",), ("github",)], ids=lambda e: e[0])
def test_builds_that_write_more_than_pages_plan_and_state_are_never_replayed(tmp_path, extra):
    site, config = store(tmp_path)
    if extra == ("-v",):
        run = lambda: invoke("-v", "build", str(site), "--config", str(config), "--sync", "never", cwd=tmp_path)  # noqa: E731
    elif extra == ("github",):
        summary = tmp_path / "summary.md"
        env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_EVENT_NAME": "push"}
        run = lambda: build(tmp_path, site, config, env=env)  # noqa: E731
    else:
        run = lambda: build(tmp_path, site, config, *extra)  # noqa: E731
    first, second = run(), run()
    assert first.exit_code == second.exit_code == 0, second.output
    assert not replayed(second) and not (tmp_path / ".croissant" / "replay.json").exists()
    if extra == ("github",):
        assert summary.read_text(encoding="utf-8").count("croissant-embed") >= 2  # each build added its summary


def test_a_build_that_sent_products_is_not_replayed_and_the_next_one_sends_nothing(tmp_path):
    site, config = store(tmp_path)
    sync = lambda: invoke("build", str(site), "--config", str(config), cwd=tmp_path)  # noqa: E731  the embedded sandbox
    sent = sync()
    assert sent.exit_code == 0, sent.output
    assert "sync: 3 synced" in sent.output and puts(config) == 3
    after = sync()
    assert not replayed(after) and "0 to create, 0 to update, 3 unchanged" in after.output
    again = sync()
    assert replayed(again) and "0 to create, 0 to update, 3 unchanged" in again.output and puts(config) == 3


def test_a_site_with_a_page_known_only_by_reading_it_is_never_replayed(tmp_path):
    site, config = store(tmp_path)
    os.symlink(site / "p" / "00000" / "index.html", site / "linked.html")  # listed as skipped: a link is never followed
    build(tmp_path, site, config)
    assert not replayed(build(tmp_path, site, config))
    (site / "linked.html").unlink()
    build(tmp_path, site, config)
    assert replayed(build(tmp_path, site, config))
    os.symlink(site / "p" / "00000" / "index.html", site / "linked.html")  # a link added since the replay was kept
    result = build(tmp_path, site, config)
    assert not replayed(result)


def test_a_damaged_replay_is_a_full_build(tmp_path):
    site, config = store(tmp_path)
    build(tmp_path, site, config)
    kept = tmp_path / ".croissant" / "replay.json"
    for damage in ("", "{", '{"inputs": 1}', "[]", '{"version": 1, "inputs": "x", "site": "y", "exit": "z", "lines": 5}'):
        kept.write_text(damage, encoding="utf-8")
        result = build(tmp_path, site, config)
        assert result.exit_code == 0 and not replayed(result), result.output
    assert replayed(build(tmp_path, site, config))  # the full builds kept a sound one again


def test_the_replay_keeps_no_secret(tmp_path):
    site, config = store(tmp_path)
    env = {"CROISSANT_CLIENT_ID": "test-client", "CROISSANT_CLIENT_SECRET": SECRET}
    build(tmp_path, site, config, env=env)
    assert replayed(build(tmp_path, site, config, env=env))
    assert SECRET not in (tmp_path / ".croissant" / "replay.json").read_text(encoding="utf-8")


def test_each_market_s_plan_counts_as_an_input(tmp_path):
    site = market_store(tmp_path)
    config = write_config(tmp_path, MARKETS)
    first = build(tmp_path, site, config)
    assert first.exit_code == 0, first.output
    eu_plan = tmp_path / ".croissant" / "plan.eu.json"
    assert eu_plan.exists() and "market eu (EUR, merchant merchant-eu)" in first.stdout
    again = build(tmp_path, site, config)
    assert replayed(again) and without_note(again.stdout) == first.stdout
    eu_plan.unlink()
    result = build(tmp_path, site, config)
    assert not replayed(result) and eu_plan.exists()
