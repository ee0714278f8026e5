"""Plans and sync state never send stale data and never crash (issue 10).

Plans: a newer plan makes older unapplied ones stale; a damaged plan is refused by name.
State: a send started but never confirmed (a kill, a lost answer) is sent again, last;
``build --verify`` finds what changed on the server behind the state's back.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from croissant_embed.contract import payload_hash
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxStore
from croissant_embed.sandbox.faults import FaultInjector
from croissant_embed.state import SyncState

from .conftest import CREDENTIALS
from .sites import copy_sample
from .test_pipeline import invoke, puts
from .test_reliability import _spawn_build, _wait_for, env_for, setup_store

JACKET = "AN-JKT-001"
SCARF = "AN-KNT-002"
BEANIE = "AN-KNT-003"  # the first product page


def sandbox_db(config: Path) -> SandboxStore:
    return SandboxStore(str(config.parent / ".croissant" / "sandbox.sqlite3"))


def reprice(page: Path, old: str, new: str) -> None:
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def jacket_page(config: Path) -> Path:
    return config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html"


def leave_unconfirmed(state_dir: Path, product_id: str) -> None:
    """Append the journal line a run killed between sending ``product_id`` and hearing back leaves."""
    target = next(iter(json.loads((state_dir / "state.json").read_text(encoding="utf-8"))["targets"]))
    line = {"target": target, "started": product_id, "hash": SyncState(state_dir, target).confirmed[product_id]}
    with open(state_dir / "state.journal", "a", encoding="utf-8") as journal:
        journal.write(json.dumps(line) + "\n")


def put_paths(store: SandboxStore) -> list[str]:
    """The paths of the PUTs the sandbox answered, in the order it answered them."""
    db = sqlite3.connect(store.path)
    try:
        return [path for (path,) in db.execute("SELECT path FROM requests WHERE method = 'PUT' ORDER BY seq")]
    finally:
        db.close()


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
    assert fresh.exit_code == 0 and "applied; 12 synced" in fresh.output, fresh.output
    assert sandbox_db(config).get_product(JACKET)["retailPrice"] == 30900
    assert invoke("apply", str(old), "--config", str(config)).exit_code == 3
    assert puts(config) == 12


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


def test_a_send_started_but_never_confirmed_is_sent_again_and_last(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    state_dir = config.parent / ".croissant"
    # The beanie's page comes first, so only the re-send rule puts it after the jacket.
    leave_unconfirmed(state_dir, BEANIE)
    reprice(jacket_page(config), "289.00", "309.00")
    store = sandbox_db(config)
    before = len(put_paths(store))
    rebuilt = invoke("build", "--config", str(config), "--concurrency", "1")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert put_paths(store)[before:] == [f"/v0/products/{JACKET}", f"/v0/products/{BEANIE}"]
    snapshot = json.loads((state_dir / "state.json").read_text())
    assert not (state_dir / "state.journal").exists()
    assert not any(table.get("started") for table in snapshot["targets"].values())  # confirmed: no marker kept
    assert invoke("build", "--config", str(config)).exit_code == 0
    assert puts(config) == 14  # a no-op build sends nothing


def test_a_plan_made_after_an_unconfirmed_send_includes_that_product(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    leave_unconfirmed(config.parent / ".croissant", SCARF)
    plan = tmp_path / "plan.json"
    assert invoke("build", "--config", str(config), "--plan", str(plan)).exit_code == 0
    assert [p["id"] for p in json.loads(plan.read_text())["products"]] == [SCARF]
    applied = invoke("apply", str(plan), "--config", str(config))
    assert applied.exit_code == 0 and "1 synced" in applied.output, applied.output
    assert puts(config) == 13


def test_a_put_left_in_flight_by_a_kill_cannot_leave_the_server_stale(tmp_path):
    site, config, _ = setup_store(tmp_path, 3)
    page = site / "p" / "00001" / "index.html"
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        env = env_for(server.url)
        assert invoke("build", str(site), "--config", str(config), "--quiet", env=env).exit_code == 0
        reprice(page, "25.00", "30.00")
        app.faults = FaultInjector(FaultConfig(rate_slow=1.0, slow_seconds=2.0, scope="PUT /v0/products/P00001"))
        process = _spawn_build(site, config, env)
        try:
            _wait_for(lambda: app.faults.injected["slow"] >= 1)  # the new price is on its way
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        app.faults = FaultInjector(FaultConfig())
        reprice(page, "30.00", "25.00")  # the change is reverted before the next build
        _wait_for(lambda: app.store.get_product("P00001")["retailPrice"] == 3000)  # the dead build's PUT lands
        again = invoke("build", str(site), "--config", str(config), "--quiet", env=env)
        assert again.exit_code == 0, again.output
        held = app.store.get_product("P00001")
        assert held["retailPrice"] == 2500
        assert SyncState(tmp_path / ".croissant", server.url + "/v0").confirmed["P00001"] == payload_hash(held)


def test_build_verify_resends_exactly_what_changed_behind_the_states_back(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    store = sandbox_db(config)
    store.put_product(JACKET, {**store.get_product(JACKET), "retailPrice": 1})
    db = sqlite3.connect(store.path)
    with db:
        db.execute("DELETE FROM products WHERE id = ?", (SCARF,))
    db.close()
    before_puts, before_gets = store.request_count("PUT"), store.request_count("GET", "/v0/products/")
    report = tmp_path / "report.json"
    verified = invoke("build", "--config", str(config), "--verify", "--report", str(report))
    assert verified.exit_code == 0, verified.output
    assert store.request_count("GET", "/v0/products/") - before_gets == 12
    assert sorted(put_paths(store)[before_puts:]) == sorted([f"/v0/products/{JACKET}", f"/v0/products/{SCARF}"])
    body = json.loads(report.read_text())
    assert (body["totals"]["result_verified"], body["totals"]["result_re_sent"]) == (10, 2)
    results = {p["id"]: p["result"] for p in body["products"] if p["action"] != "invalid"}
    assert {pid for pid, r in results.items() if r == "re-sent"} == {JACKET, SCARF}
    assert {r for pid, r in results.items() if pid not in (JACKET, SCARF)} == {"verified"}
    assert "2 re-sent" in verified.output and "10 verified" in verified.output
    assert store.get_product(JACKET)["retailPrice"] == 28900 and store.get_product(SCARF) is not None
    assert invoke("build", "--config", str(config)).exit_code == 0
    assert store.request_count("PUT") - before_puts == 2


def test_verify_cannot_be_combined_with_a_plan_or_a_dry_run(tmp_path):
    config = copy_sample(tmp_path)
    for flag in (["--dry-run"], ["--plan", str(tmp_path / "p.json")]):
        result = invoke("build", "--config", str(config), "--verify", *flag)
        assert result.exit_code == 2 and "--verify reads products back" in result.output, result.output

