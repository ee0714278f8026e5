"""Syncing through the CLI to a sandbox over a real loopback socket: failures and credentials."""

from __future__ import annotations

import io
import json

from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxStore
from croissant_embed.cli.progress import ProgressBar

from .conftest import CREDENTIALS, SECRET
from .sites import copy_sample


def env_for(server: BackgroundServer, *, secret: str = SECRET, retries: int = 2) -> dict:
    return {
        "CROISSANT_API_URL": server.url + "/v0",
        "CROISSANT_CLIENT_ID": CREDENTIALS.client_id,
        "CROISSANT_CLIENT_SECRET": secret,
        "CROISSANT_RETRIES": str(retries),
    }


def test_build_syncs_to_a_sandbox_served_over_loopback(tmp_path):
    config = copy_sample(tmp_path)
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        result = CliRunner().invoke(main, ["build", "--config", str(config)], env=env_for(server))
    assert result.exit_code == 0, result.output
    assert len(list(app.store.products())) == 12
    assert app.store.request_count("POST", "/v0/token") == 1
    assert server.url in result.output


def test_products_that_fail_exit_1_are_listed_and_never_recorded_as_synced(tmp_path):
    config = copy_sample(tmp_path)
    store = SandboxStore()
    broken = SandboxApp(store, credentials=CREDENTIALS, faults=FaultConfig(rate_500=1.0, scope="PUT /v0/products/AN-J"))
    report = tmp_path / "report.json"
    with BackgroundServer(broken) as server:
        result = CliRunner().invoke(main, ["build", "--config", str(config), "--report", str(report)], env=env_for(server))
    assert result.exit_code == 1, result.output
    failed = sorted(p["id"] for p in json.loads(report.read_text())["products"] if p["result"] == "failed")
    assert failed == ["AN-JKT-001", "AN-JKT-002", "AN-JKT-003"]
    assert "failed: product 'AN-JKT-001'" in result.output and "injected fault 500" in result.output
    state = json.loads((config.parent / ".croissant" / "state.json").read_text())
    [table] = state["targets"].values()
    confirmed = table["products"]
    assert set(confirmed) == {pid for pid, _, _ in store.products()} and not set(failed) & set(confirmed)
    healed = SandboxApp(store, credentials=CREDENTIALS)
    with BackgroundServer(healed) as server:
        again = CliRunner().invoke(main, ["build", "--config", str(config)], env=env_for(server))
    assert again.exit_code == 0, again.output
    assert healed.store.request_count("PUT", "/v0/products/AN-J") - 3 * 2 == 3  # 3 failed twice, then 3 sent once


def test_wrong_credentials_fail_fast_with_exit_2_and_no_retry_storm(tmp_path):
    config = copy_sample(tmp_path)
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        result = CliRunner().invoke(main, ["build", "--config", str(config)], env=env_for(server, secret="sbx_WRONG-canary"))
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
        good = CliRunner().invoke(main, ["check", "--config", str(config)], env=env_for(server))
        bad = CliRunner().invoke(main, ["check", "--config", str(config)], env=env_for(server, secret="nope-canary"))
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
