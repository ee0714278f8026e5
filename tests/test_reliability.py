"""Faults, kills and broken APIs: nothing is lost, nothing is half-written (issue 6).

Every test here talks to the sandbox over a real loopback socket, with its fault injection.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.contract import payload_hash
from croissant_embed.rewrite import OPEN
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxStore
from croissant_embed.sandbox.faults import FaultInjector
from croissant_embed.state import SyncState

from .conftest import CREDENTIALS, env_for, invoke, spawn_build, wait_for
from .sites import reprice, setup_store, without_insertions


def build(site: Path, config: Path, env: dict[str, str], report: Path) -> int:
    """The exit code of a quiet ``build`` of ``site`` that writes ``report``."""
    return invoke("build", str(site), "--config", str(config), "--report", str(report), "--quiet", env=env).exit_code


def check_invariants(report: Path, store: SandboxStore, state_dir: Path, target: str) -> dict[str, int]:
    """Every product synced (with exactly its payload on the server) or failed with a reason;
    the state claims only what the server holds."""
    products = json.loads(report.read_text())["products"]
    held = {pid: payload for pid, payload, _ in store.products()}
    counts = {"synced": 0, "failed": 0}
    for entry in products:
        if entry["result"] == "skipped":  # confirmed by an earlier run
            assert entry["action"] == "unchanged" and held[entry["id"]] == entry["payload"], entry
            continue
        assert entry["result"] in ("synced", "failed"), entry
        counts[entry["result"]] += 1
        if entry["result"] == "synced":
            assert held[entry["id"]] == entry["payload"]
        else:
            assert entry["error"], entry
    confirmed = SyncState(state_dir, target).confirmed
    for pid, digest in confirmed.items():
        assert pid in held and payload_hash(held[pid]) == digest
    assert set(confirmed) == {e["id"] for e in products if e["result"] in ("synced", "skipped")}
    return counts


def test_twenty_percent_faults_lose_no_product(tmp_path):
    site, config, _ = setup_store(tmp_path, 300)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig.uniform(0.2, slow_seconds=1.0, seed=11))
    with BackgroundServer(app) as server:
        code = build(site, config, env_for(server.url, CROISSANT_TIMEOUT="0.3", CROISSANT_RETRIES="8"), tmp_path / "r.json")
        counts = check_invariants(tmp_path / "r.json", app.store, tmp_path / ".croissant", server.url + "/v0")
    assert code == 0 and counts == {"synced": 300, "failed": 0}
    assert set(app.faults.injected) == {"429", "500", "503", "slow", "drop_request", "drop_response"}
    assert sum(app.faults.injected.values()) >= 60


def test_with_too_few_retries_failures_are_reported_and_never_claimed(tmp_path):
    site, config, _ = setup_store(tmp_path, 300)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig.uniform(0.2, slow_seconds=1.0, seed=5))
    with BackgroundServer(app) as server:
        env = env_for(server.url, CROISSANT_TIMEOUT="0.3", CROISSANT_RETRIES="1")
        code = build(site, config, env, tmp_path / "r.json")
        counts = check_invariants(tmp_path / "r.json", app.store, tmp_path / ".croissant", server.url + "/v0")
        assert code == 1 and counts["failed"] > 0 and counts["synced"] + counts["failed"] == 300
        time.sleep(1.1)  # let answers the client stopped waiting for land before counting
        app.faults = FaultInjector(FaultConfig())  # the API recovers
        before = app.store.request_count("PUT")
        assert build(site, config, env, tmp_path / "r2.json") == 0
        assert app.store.request_count("PUT") - before == counts["failed"]  # exactly the failed ones, again
    assert len(list(app.store.products())) == 300


def test_tokens_expiring_mid_run_are_refreshed_and_no_product_is_lost(tmp_path):
    site, config, _ = setup_store(tmp_path, 300)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(token_ttl=0.3, latency=0.03))
    with BackgroundServer(app) as server:
        code = build(site, config, env_for(server.url), tmp_path / "r.json")
        counts = check_invariants(tmp_path / "r.json", app.store, tmp_path / ".croissant", server.url + "/v0")
    assert code == 0 and counts["synced"] == 300
    assert app.store.request_count("POST", "/v0/token") >= 2


def test_an_unreachable_api_stops_the_sync_without_a_retry_storm(tmp_path):
    import socket

    site, config, original = setup_store(tmp_path, 200)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--report", str(tmp_path / "r.json"), "--quiet"],
                                env=env_for(f"http://127.0.0.1:{port}", CROISSANT_RETRIES="2"))
    assert result.exit_code == 1
    assert "sync stopped: Croissant API: stopped after" in result.output and "ConnectError" in result.output
    products = json.loads((tmp_path / "r.json").read_text())["products"]
    not_sent = [p for p in products if p["error"].startswith("not sent:")]
    assert len(not_sent) >= 200 - 48 and all(p["result"] == "failed" for p in products)
    assert SyncState(tmp_path / ".croissant", f"http://127.0.0.1:{port}/v0").confirmed == {}
    for rel, data in original.items():  # pages are injected and consistent regardless
        assert without_insertions((site / rel).read_bytes()) == data


def test_a_401_that_persists_after_refresh_fails_fast(tmp_path):
    site, config, _ = setup_store(tmp_path, 200)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(token_ttl=0))
    with BackgroundServer(app) as server:
        result = CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--quiet"], env=env_for(server.url))
    assert result.exit_code == 2 and "401 after refresh" in result.output
    assert app.store.request_count("POST", "/v0/token") == 2
    assert app.store.request_count("PUT") <= 2 * 16


def _settle(store: SandboxStore) -> None:
    """Wait until the server has logged no new request for a while."""
    last = -1
    while store.request_count() != last:
        last = store.request_count()
        time.sleep(0.3)


def test_a_build_killed_mid_sync_resumes_with_exactly_the_remainder(tmp_path):
    total = 1500
    site, config, original = setup_store(tmp_path, total)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(latency=0.02))
    with BackgroundServer(app) as server:
        env = env_for(server.url)
        process = spawn_build(site, config, env)
        wait_for(lambda: app.store.request_count("PUT") >= total // 3)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        _settle(app.store)  # requests the dead client left in flight finish on the server first
        confirmed = len(SyncState(tmp_path / ".croissant", server.url + "/v0").confirmed)
        assert 0 < confirmed < total
        before = app.store.request_count("PUT")
        assert build(site, config, env, tmp_path / "r.json") == 0
        assert app.store.request_count("PUT") - before == total - confirmed
        counts = check_invariants(tmp_path / "r.json", app.store, tmp_path / ".croissant", server.url + "/v0")
    assert counts == {"synced": total - confirmed, "failed": 0}
    assert len(list(app.store.products())) == total
    for rel, data in original.items():
        after = (site / rel).read_bytes()
        assert without_insertions(after) == data and after.count(OPEN.encode()) == 2


def test_a_build_killed_while_writing_pages_leaves_no_page_truncated_or_doubled(tmp_path):
    total = 3000
    site, config, original = setup_store(tmp_path, total)
    first = site / "p" / "00000" / "index.html"
    process = spawn_build(site, config, {"CROISSANT_ENVIRONMENT": "local"})
    wait_for(lambda: OPEN.encode() in first.read_bytes())
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    injected = 0
    for rel, data in original.items():
        after = (site / rel).read_bytes()
        assert without_insertions(after) == data, rel  # never truncated: original, or original plus insertions
        assert after.count(OPEN.encode()) in (0, 2), rel
        injected += after != data
    assert 0 < injected < total, injected  # the kill really landed mid-way
    assert CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--quiet"]).exit_code == 0
    for rel, data in original.items():
        after = (site / rel).read_bytes()
        assert without_insertions(after) == data and after.count(OPEN.encode()) == 2
    assert not list(site.rglob("*.croissant-tmp"))


def test_a_put_left_in_flight_by_a_kill_cannot_leave_the_server_stale(tmp_path):
    site, config, _ = setup_store(tmp_path, 3)
    page = site / "p" / "00001" / "index.html"
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        env = env_for(server.url)
        assert invoke("build", str(site), "--config", str(config), "--quiet", env=env).exit_code == 0
        reprice(page, "25.00", "30.00")
        app.faults = FaultInjector(FaultConfig(rate_slow=1.0, slow_seconds=2.0, scope="PUT /v0/products/P00001"))
        process = spawn_build(site, config, env)
        try:
            wait_for(lambda: app.faults.injected["slow"] >= 1)  # the new price is on its way
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        app.faults = FaultInjector(FaultConfig())
        reprice(page, "30.00", "25.00")  # the change is reverted before the next build
        wait_for(lambda: app.store.get_product("P00001")["retailPrice"] == 3000)  # the dead build's PUT lands
        again = invoke("build", str(site), "--config", str(config), "--quiet", env=env)
        assert again.exit_code == 0, again.output
        held = app.store.get_product("P00001")
        assert held["retailPrice"] == 2500
        assert SyncState(tmp_path / ".croissant", server.url + "/v0").confirmed["P00001"] == payload_hash(held)
