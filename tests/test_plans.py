"""Plan then apply: a plan injects without network, is applied once, and is refused when stale, edited or damaged."""

from __future__ import annotations

import json

import pytest

from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxStore
from croissant_embed.sandbox.faults import FaultInjector

from .conftest import CREDENTIALS, SECRET, invoke, leave_unconfirmed, puts, sandbox_of
from .sites import JACKET, SCARF, copy_sample, jacket_page, make_store, reprice


def test_build_plan_injects_without_network_and_apply_sends_it_once(tmp_path):
    config = copy_sample(tmp_path)
    plan = tmp_path / "plan.json"
    planned = invoke("build", "--config", str(config), "--plan", str(plan))
    assert planned.exit_code == 0, planned.output
    assert b"<croissant-toggle-pdp" in (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()
    assert puts(config) == 0
    body = json.loads(plan.read_text())
    assert len(body["products"]) == 14 and body["generation"] == 0 and all(p["base"] is None for p in body["products"])
    applied = invoke("apply", str(plan), "--config", str(config))
    assert applied.exit_code == 0 and "applied; 14 synced" in applied.output, applied.output
    assert puts(config) == 14
    again = invoke("apply", str(plan), "--config", str(config))
    assert again.exit_code == 0 and "already applied" in again.output
    assert puts(config) == 14


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
    assert puts(config) == 14


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


def test_making_a_newer_plan_makes_an_older_unapplied_plan_stale(tmp_path):
    config = copy_sample(tmp_path)
    old, new = tmp_path / "p1.json", tmp_path / "p2.json"
    assert invoke("build", "--config", str(config), "--plan", str(old)).exit_code == 0
    reprice(jacket_page(config), "289.00", "309.00")
    assert invoke("build", "--config", str(config), "--plan", str(new)).exit_code == 0
    stale = invoke("apply", str(old), "--config", str(config))
    assert stale.exit_code == 3, stale.output
    assert "stale plan" in stale.output and str(new) in stale.output and f"apply {new}" in stale.output
    assert puts(config) == 0  # the old price was never sent
    fresh = invoke("apply", str(new), "--config", str(config))
    assert fresh.exit_code == 0 and "applied; 14 synced" in fresh.output, fresh.output
    assert sandbox_of(config).get_product(JACKET)["retailPrice"] == 30900
    assert invoke("apply", str(old), "--config", str(config)).exit_code == 3
    assert puts(config) == 14


def _drop(key):
    def edit(body):
        del body[key]
    return edit


def _set(key, value):
    def edit(body):
        body[key] = value
    return edit


def _product(edit):
    def apply(body):
        edit(body["products"][0])
    return apply


def _whole(value):
    def edit(body):
        body.clear()
        body["__replace__"] = value
    return edit


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (_drop("id"), "id"),
        (_set("id", 7), "id"),
        (_set("products", "abc"), "products"),
        (_set("products", [1]), "products[0]"),
        (_set("generation", "0"), "generation"),
        (_set("target", None), "target"),
        (_set("removed", "x"), "removed"),
        (_product(lambda p: p.pop("payload")), "payload"),
        (_product(lambda p: p.update(payload=[1, 2])), "payload"),
        (_product(lambda p: p.update(id=None)), "id"),
        (_product(lambda p: p.update(hash=5)), "hash"),
        (_product(lambda p: p.update(base=3)), "base"),
        (_product(lambda p: p.pop("page")), "page"),
        (_whole([1, 2]), "not a JSON object"),
        (_whole("plan"), "not a JSON object"),
    ],
)
def test_a_damaged_plan_is_refused_with_exit_3_naming_the_file(tmp_path, edit, what):
    config = copy_sample(tmp_path)
    plan = tmp_path / "plan.json"
    assert invoke("build", "--config", str(config), "--plan", str(plan)).exit_code == 0
    body = json.loads(plan.read_text(encoding="utf-8"))
    edit(body)
    plan.write_text(json.dumps(body.get("__replace__", body)), encoding="utf-8")
    result = invoke("apply", str(plan), "--config", str(config))
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "damaged plan" in result.output and str(plan) in result.output and what in result.output
    assert puts(config) == 0


def test_a_plan_made_after_an_unconfirmed_send_includes_that_product(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    leave_unconfirmed(config.parent / ".croissant", SCARF)
    plan = tmp_path / "plan.json"
    assert invoke("build", "--config", str(config), "--plan", str(plan)).exit_code == 0
    assert [p["id"] for p in json.loads(plan.read_text())["products"]] == [SCARF]
    applied = invoke("apply", str(plan), "--config", str(config))
    assert applied.exit_code == 0 and "1 synced" in applied.output, applied.output
    assert puts(config) == 15
