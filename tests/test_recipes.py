"""The README's recipes and `init`, run for real (issue 7)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.sandbox import SandboxStore
from croissant_embed.settings import load_settings

from .conftest import CLEAN_CI
from .sites import REPO, SAMPLE, product_page, write_page

BIN = str(Path(sys.executable).parent)


def recipe(name: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- recipe:{name} -->\n```\w*\n(.*?)```", readme, re.S)
    assert match, f"README has no recipe {name}"
    return match.group(1)


def shell(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **CLEAN_CI, "PATH": BIN + os.pathsep + os.environ["PATH"], **env}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=full_env, capture_output=True, text=True)


def hugo_project(tmp_path: Path) -> Path:
    if shutil.which("hugo") is None:
        if os.environ.get("CI"):
            pytest.fail("hugo must be installed in CI (see .ci/run)")
        pytest.skip("hugo is not installed")
    root = tmp_path / "shop"
    shutil.copytree(REPO / "tests" / "generators" / "hugo", root)
    return root


def synced(root: Path) -> set[str]:
    db = root / ".croissant" / "sandbox.sqlite3"
    return {pid for pid, _, _ in SandboxStore(str(db)).products()} if db.exists() else set()


def test_the_makefile_recipe_builds_and_syncs(tmp_path):
    root = tmp_path / "shop"
    shutil.copytree(SAMPLE / "public", root / "public")
    shutil.copy(SAMPLE / "croissant.toml", root / "croissant.toml")
    (root / "croissant.toml").write_text((root / "croissant.toml").read_text().replace('checkout_app = "checkout_app.py"', ""), encoding="utf-8")
    (root / "Makefile").write_text(recipe("makefile"), encoding="utf-8")
    done = shell("make croissant GENERATOR=true", root, {})
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(synced(root)) == 14 and (root / "croissant-report.json").is_file()


def test_the_netlify_command_injects_on_previews_and_syncs_in_production(tmp_path):
    root = hugo_project(tmp_path)
    command = re.search(r'command = "(.*)"', recipe("netlify")).group(1)
    preview = shell(command, root, {"NETLIFY": "true", "CONTEXT": "deploy-preview"})
    assert preview.returncode == 0, preview.stderr
    assert "not syncing: a preview build on netlify" in preview.stdout + preview.stderr and synced(root) == set()
    assert b"<croissant-toggle-pdp" in (root / "public" / "products" / "lamp" / "index.html").read_bytes()
    production = shell(command, root, {"NETLIFY": "true", "CONTEXT": "production"})
    assert production.returncode == 0, production.stderr
    assert synced(root) == {"LAMP-1", "KTL-1", "RUG-1"}


def test_the_github_actions_workflow_caches_the_state_and_its_steps_run(tmp_path):
    workflow = yaml.safe_load(recipe("github-actions"))
    steps = workflow["jobs"]["build"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".croissant"
    root = hugo_project(tmp_path)
    for step in steps:
        command = step.get("run")
        if command is None or command.startswith("pip install"):
            continue  # checkout, cache, and installing the package the test already runs from
        env = {k: v for k, v in (step.get("env") or {}).items() if "${{" not in str(v)}
        done = shell(command, root, {**env, "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"})
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert synced(root) == {"LAMP-1", "KTL-1", "RUG-1"}
    assert (root / "croissant-report.json").is_file() and (root / ".croissant" / "state.json").is_file()


def test_init_writes_a_commented_config_that_builds(tmp_path, monkeypatch):
    site = tmp_path / "dist"
    for index in range(3):
        page = product_page(f"I{index}", "15.00", currency="EUR", extra_head=f'<link rel="canonical" href="https://init-shop.example/p/{index}/">\n')
        write_page(site, f"p/{index}/index.html", page)
    write_page(site, "index.html", "<!DOCTYPE html><html><body><p>home</p></body></html>")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "croissant.toml").read_text(encoding="utf-8")
    assert 'site_dir = "dist"' in text and 'base_url = "https://init-shop.example/"' in text and 'default_currency = "EUR"' in text
    assert "3 product pages" in text and "json-ld (3)" in text
    settings = load_settings(config=tmp_path / "croissant.toml")
    assert settings.site_dir == site and settings.environment == "local"
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert CliRunner().invoke(main, ["init"]).exit_code == 2
