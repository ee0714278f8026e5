"""Syncing products to the Croissant API: over a real loopback socket, failures, credentials,
progress, re-sending unconfirmed sends, and ``build --verify``."""

from __future__ import annotations

import io
import json
import sqlite3

from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.cli.progress import ProgressBar
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxStore

from .conftest import CREDENTIALS, env_for, invoke, leave_unconfirmed, puts, sandbox_of
from .sites import BEANIE, JACKET, SCARF, copy_sample, jacket_page, reprice


def test_build_syncs_to_a_sandbox_served_over_loopback(tmp_path):
    config = copy_sample(tmp_path)
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        result = CliRunner().invoke(main, ["build", "--config", str(config)], env=env_for(server.url, CROISSANT_RETRIES="2"))
    assert result.exit_code == 0, result.output
    assert len(list(app.store.products())) == 14
    assert app.store.request_count("POST", "/v0/token") == 1
    assert server.url in result.output


def test_products_that_fail_exit_1_are_listed_and_never_recorded_as_synced(tmp_path):
    config = copy_sample(tmp_path)
    store = SandboxStore()
    broken = SandboxApp(store, credentials=CREDENTIALS, faults=FaultConfig(rate_500=1.0, scope="PUT /v0/products/AN-J"))
    report = tmp_path / "report.json"
    with BackgroundServer(broken) as server:
        result = CliRunner().invoke(main, ["build", "--config", str(config), "--report", str(report)], env=env_for(server.url, CROISSANT_RETRIES="2"))
    assert result.exit_code == 1, result.output
    failed = sorted(p["id"] for p in json.loads(report.read_text())["products"] if p["result"] == "failed")
    assert failed == ["AN-JKT-001", "AN-JKT-002", "AN-JKT-003"]
    [line] = [line for line in result.output.splitlines() if line.startswith("failed: ")]  # one cause: one line
    assert "injected fault 500" in line and "3 products not synced, e.g. 'AN-JKT-" in line
    state = json.loads((config.parent / ".croissant" / "state.json").read_text())
    [table] = state["targets"].values()
    confirmed = table["products"]
    assert set(confirmed) == {pid for pid, _, _ in store.products()} and not set(failed) & set(confirmed)
    healed = SandboxApp(store, credentials=CREDENTIALS)
    with BackgroundServer(healed) as server:
        again = CliRunner().invoke(main, ["build", "--config", str(config)], env=env_for(server.url, CROISSANT_RETRIES="2"))
    assert again.exit_code == 0, again.output
    assert healed.store.request_count("PUT", "/v0/products/AN-J") - 3 * 2 == 3  # 3 failed twice, then 3 sent once


def test_wrong_credentials_fail_fast_with_exit_2_and_no_retry_storm(tmp_path):
    config = copy_sample(tmp_path)
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        result = CliRunner().invoke(main, ["build", "--config", str(config)], env=env_for(server.url, secret="sbx_WRONG-canary", CROISSANT_RETRIES="2"))
    assert result.exit_code == 2
    assert "refused" in result.output and "CROISSANT_CLIENT_SECRET" in result.output
    assert "sbx_WRONG-canary" not in result.output
    assert app.store.request_count("POST", "/v0/token") == 1
    assert app.store.request_count("PUT") == 0
    assert b"<croissant-toggle-pdp" in (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()


def test_check_validates_settings_and_credentials(tmp_path):
    config = copy_sample(tmp_path)
    local = CliRunner().invoke(main, ["check", "--config", str(config)])
    assert local.exit_code == 0, local.output
    assert "credentials: ok" in local.output and "environment: local" in local.output
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        good = CliRunner().invoke(main, ["check", "--config", str(config)], env=env_for(server.url, CROISSANT_RETRIES="2"))
        bad = CliRunner().invoke(main, ["check", "--config", str(config)], env=env_for(server.url, secret="nope-canary", CROISSANT_RETRIES="2"))
    assert good.exit_code == 0 and "credentials: ok" in good.output
    assert bad.exit_code == 2 and "refused" in bad.output and "nope-canary" not in bad.output


def test_check_explains_missing_production_credentials(tmp_path):
    config = copy_sample(tmp_path)
    result = CliRunner().invoke(main, ["check", "--config", str(config)], env={"CROISSANT_ENVIRONMENT": "production"})
    assert result.exit_code == 2
    assert "needs CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET" in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_periodic_lines_in_ci():
    plain = io.StringIO()
    progress = ProgressBar(stream=plain)
    for index in range(1000):
        progress(index + 1, (index + 100) // 100, 1000)
    lines = plain.getvalue().splitlines()
    assert lines[-1] == "sync: 1000/1000 products done, 10 failed"
    assert 10 <= len(lines) <= 12 and "\r" not in plain.getvalue()
    terminal = _Terminal()
    bar = ProgressBar(stream=terminal)
    for index in range(50):
        bar(index + 1, 0, 50)
    assert terminal.getvalue().count("\r") == 50 and "[##############################] 50/50 failed=0" in terminal.getvalue()
    quiet = io.StringIO()
    ProgressBar(stream=quiet, enabled=False)(1, 0, 10)
    assert quiet.getvalue() == ""


def put_paths(store: SandboxStore) -> list[str]:
    """The paths of the PUTs the sandbox answered, in the order it answered them."""
    db = sqlite3.connect(store.path)
    try:
        return [path for (path,) in db.execute("SELECT path FROM requests WHERE method = 'PUT' ORDER BY seq")]
    finally:
        db.close()


def test_a_send_started_but_never_confirmed_is_sent_again_and_last(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    state_dir = config.parent / ".croissant"
    # The beanie's page comes first, so only the re-send rule puts it after the jacket.
    leave_unconfirmed(state_dir, BEANIE)
    reprice(jacket_page(config), "289.00", "309.00")
    store = sandbox_of(config)
    before = len(put_paths(store))
    rebuilt = invoke("build", "--config", str(config), "--concurrency", "1")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert put_paths(store)[before:] == [f"/v0/products/{JACKET}", f"/v0/products/{BEANIE}"]
    snapshot = json.loads((state_dir / "state.json").read_text())
    assert not (state_dir / "state.journal").exists()
    assert not any(table.get("started") for table in snapshot["targets"].values())  # confirmed: no marker kept
    assert invoke("build", "--config", str(config)).exit_code == 0
    assert puts(config) == 16  # a no-op build sends nothing


def test_build_verify_resends_exactly_what_changed_behind_the_states_back(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    store = sandbox_of(config)
    store.put_product(JACKET, {**store.get_product(JACKET), "retailPrice": 1})
    db = sqlite3.connect(store.path)
    with db:
        db.execute("DELETE FROM products WHERE id = ?", (SCARF,))
    db.close()
    before_puts, before_gets = store.request_count("PUT"), store.request_count("GET", "/v0/products/")
    report = tmp_path / "report.json"
    verified = invoke("build", "--config", str(config), "--verify", "--report", str(report))
    assert verified.exit_code == 0, verified.output
    assert store.request_count("GET", "/v0/products/") - before_gets == 14
    assert sorted(put_paths(store)[before_puts:]) == sorted([f"/v0/products/{JACKET}", f"/v0/products/{SCARF}"])
    body = json.loads(report.read_text())
    assert (body["totals"]["result_verified"], body["totals"]["result_re_sent"]) == (12, 2)
    results = {p["id"]: p["result"] for p in body["products"] if p["action"] != "invalid"}
    assert {pid for pid, r in results.items() if r == "re-sent"} == {JACKET, SCARF}
    assert {r for pid, r in results.items() if pid not in (JACKET, SCARF)} == {"verified"}
    assert "2 re-sent" in verified.output and "12 verified" in verified.output
    assert store.get_product(JACKET)["retailPrice"] == 28900 and store.get_product(SCARF) is not None
    assert invoke("build", "--config", str(config)).exit_code == 0
    assert store.request_count("PUT") - before_puts == 2


def test_verify_cannot_be_combined_with_a_plan_or_a_dry_run(tmp_path):
    config = copy_sample(tmp_path)
    for flag in (["--dry-run"], ["--plan", str(tmp_path / "p.json")]):
        result = invoke("build", "--config", str(config), "--verify", *flag)
        assert result.exit_code == 2 and "--verify reads products back" in result.output, result.output
