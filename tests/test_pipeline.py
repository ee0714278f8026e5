"""Pipelines: plan then apply, CI awareness, removed products, drop guard, feeds (issue 7)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner

from croissant_embed.ci import detect, should_sync
from croissant_embed.cli import main
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxStore
from croissant_embed.sandbox.faults import FaultInjector

from .conftest import CREDENTIALS, SECRET
from .sites import copy_sample, make_store

CLEAN_CI = {"GITHUB_ACTIONS": "", "GITHUB_EVENT_NAME": "", "NETLIFY": "", "CONTEXT": "", "GITLAB_CI": "", "CI_MERGE_REQUEST_IID": ""}


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env={**CLEAN_CI, **(env or {})})


def puts(config: Path) -> int:
    db = config.parent / ".croissant" / "sandbox.sqlite3"
    return SandboxStore(str(db)).request_count("PUT") if db.exists() else 0


def test_build_plan_injects_without_network_and_apply_sends_it_once(tmp_path):
    config = copy_sample(tmp_path)
    plan = tmp_path / "plan.json"
    planned = invoke("build", "--config", str(config), "--plan", str(plan))
    assert planned.exit_code == 0, planned.output
    assert b"<croissant-toggle-pdp" in (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()
    assert puts(config) == 0
    body = json.loads(plan.read_text())
    assert len(body["products"]) == 12 and body["generation"] == 0 and all(p["base"] is None for p in body["products"])
    applied = invoke("apply", str(plan), "--config", str(config))
    assert applied.exit_code == 0 and "applied; 12 synced" in applied.output, applied.output
    assert puts(config) == 12
    again = invoke("apply", str(plan), "--config", str(config))
    assert again.exit_code == 0 and "already applied" in again.output
    assert puts(config) == 12


def test_a_stale_plan_is_refused_after_a_newer_sync(tmp_path):
    config = copy_sample(tmp_path)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert invoke("build", "--config", str(config), "--plan", str(old)).exit_code == 0
    page = config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("289.00", "309.00"), encoding="utf-8")
    assert invoke("build", "--config", str(config), "--plan", str(new)).exit_code == 0
    assert invoke("apply", str(new), "--config", str(config)).exit_code == 0
    stale = invoke("apply", str(old), "--config", str(config))
    assert stale.exit_code == 3 and "stale plan" in stale.output and "build --plan" in stale.output
    assert SandboxStore(str(config.parent / ".croissant" / "sandbox.sqlite3")).get_product("AN-JKT-001")["retailPrice"] == 30900
    assert puts(config) == 12


def test_an_edited_plan_or_one_for_another_target_is_refused(tmp_path):
    config = copy_sample(tmp_path)
    plan = tmp_path / "plan.json"
    assert invoke("build", "--config", str(config), "--plan", str(plan)).exit_code == 0
    original = plan.read_text()
    body = json.loads(original)
    body["products"][0]["payload"]["retailPrice"] = 1
    plan.write_text(json.dumps(body))
    edited = invoke("apply", str(plan), "--config", str(config))
    assert edited.exit_code == 3 and "does not match its hash" in edited.output
    plan.write_text(original)
    other = invoke("apply", str(plan), "--config", str(config), env={"CROISSANT_API_URL": "http://127.0.0.1:9/v0",
                                                                        "CROISSANT_CLIENT_ID": "x", "CROISSANT_CLIENT_SECRET": "y"})
    assert other.exit_code == 2 and "the plan was made for local" in other.output
    assert puts(config) == 0


def test_a_partly_failed_apply_is_resumed_by_applying_it_again(tmp_path):
    site = tmp_path / "site"
    make_store(site, 40)
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://s.example/"\n', encoding="utf-8")
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(rate_500=1.0, scope="PUT /v0/products/P0001"))
    with BackgroundServer(app) as server:
        env = {"CROISSANT_API_URL": server.url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id,
               "CROISSANT_CLIENT_SECRET": SECRET, "CROISSANT_RETRIES": "1"}
        plan = tmp_path / "plan.json"
        assert invoke("build", str(site), "--config", str(config), "--plan", str(plan), env=env).exit_code == 0
        first = invoke("apply", str(plan), "--config", str(config), env=env)
        assert first.exit_code == 1 and "partly applied" in first.output and "30 synced" in first.output
        app.faults = FaultInjector(FaultConfig())
        before = app.store.request_count("PUT")
        second = invoke("apply", str(plan), "--config", str(config), env=env)
        assert second.exit_code == 0, second.output
        assert app.store.request_count("PUT") - before == 10
        assert invoke("apply", str(plan), "--config", str(config), env=env).output.count("already applied") == 1
    assert len(list(app.store.products())) == 40


@pytest.mark.parametrize(
    ("env", "provider", "preview"),
    [
        ({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request"}, "github-actions", True),
        ({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"}, "github-actions", False),
        ({"NETLIFY": "true", "CONTEXT": "deploy-preview"}, "netlify", True),
        ({"NETLIFY": "true", "CONTEXT": "production"}, "netlify", False),
        ({"GITLAB_CI": "true", "CI_MERGE_REQUEST_IID": "7"}, "gitlab-ci", True),
        ({"VERCEL": "1", "VERCEL_ENV": "preview"}, "vercel", True),
        ({"TRAVIS": "true", "TRAVIS_PULL_REQUEST": "false"}, "travis", False),
        ({"CI": "true"}, "generic", False),
        ({}, None, False),
    ],
)
def test_ci_providers_and_preview_builds_are_detected(env, provider, preview):
    context = detect(env)
    assert (context.provider, context.is_preview) == (provider, preview)
    assert should_sync("auto", context)[0] is not preview
    assert should_sync("always", context)[0] and not should_sync("never", context)[0]


def test_a_pull_request_build_injects_but_does_not_sync_unless_told_to(tmp_path):
    config = copy_sample(tmp_path)
    pr = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request"}
    result = invoke("build", "--config", str(config), env=pr)
    assert result.exit_code == 0 and "not syncing: a preview build on github-actions" in result.output
    assert puts(config) == 0
    assert b"<croissant-toggle-pdp" in (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()
    forced = invoke("build", "--config", str(config), "--sync", "always", env=pr)
    assert forced.exit_code == 0 and puts(config) == 12


def test_products_that_left_the_site_are_reported_for_follow_up(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    (config.parent / "public" / "products" / "weekender-duffel" / "index.html").unlink()
    prune = tmp_path / "prune.json"
    result = invoke("build", "--config", str(config), "--prune-report", str(prune))
    assert result.exit_code == 0
    assert "1 products synced before are no longer on the site" in result.output and "'AN-BAG-003'" in result.output
    assert [r["id"] for r in json.loads(prune.read_text())["removed"]] == ["AN-BAG-003"]


def test_a_sudden_drop_in_products_stops_the_sync(tmp_path):
    site = tmp_path / "site"
    make_store(site, 30)
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://s.example/"\n', encoding="utf-8")
    assert invoke("build", str(site), "--config", str(config)).exit_code == 0
    for index in range(20):
        (site / "p" / f"{index:05d}" / "index.html").unlink()
    (site / "p" / "00025" / "index.html").write_text(
        (site / "p" / "00025" / "index.html").read_text(encoding="utf-8").replace("25.00", "26.00"), encoding="utf-8")
    stopped = invoke("build", str(site), "--config", str(config))
    assert stopped.exit_code == 3 and "dropped from 30 to 10" in stopped.output and "--allow-drop" in stopped.output
    assert puts(config) == 30
    allowed = invoke("build", str(site), "--config", str(config), "--allow-drop")
    assert allowed.exit_code == 0 and puts(config) == 31


def test_the_feed_is_written_deterministically_and_validates(tmp_path):
    config = copy_sample(tmp_path)
    site = config.parent / "public"
    assert invoke("build", "--config", str(config), "--feed", "feeds/croissant").exit_code == 0
    first = ((site / "feeds" / "croissant.json").read_bytes(), (site / "feeds" / "croissant.xml").read_bytes())
    assert invoke("build", "--config", str(config), "--feed", "feeds/croissant").exit_code == 0
    assert ((site / "feeds" / "croissant.json").read_bytes(), (site / "feeds" / "croissant.xml").read_bytes()) == first
    products = json.loads(first[0])["products"]
    assert [p["id"] for p in products] == sorted(p["id"] for p in products) and len(products) == 12
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
