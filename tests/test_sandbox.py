"""The embedded sandbox as a service: validation, prices, faults, and its CLI commands."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import httpx
from click.testing import CliRunner

from croissant_embed.api import CroissantClient
from croissant_embed.cli import main
from croissant_embed.sandbox import FaultConfig, SandboxApp, SandboxStore, SandboxTransport
from croissant_embed.sandbox.faults import FaultInjector

from .conftest import CREDENTIALS, SECRET, product


def raw_client(app: SandboxApp) -> httpx.Client:
    return httpx.Client(base_url="http://croissant.test/v0", transport=SandboxTransport(app))


def token(http: httpx.Client) -> dict:
    answer = http.post("/token", json={"clientId": CREDENTIALS.client_id, "clientSecret": SECRET})
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_token_endpoint_answers_the_documented_shape(app):
    with raw_client(app) as http:
        answer = http.post("/token", json={"clientId": CREDENTIALS.client_id, "clientSecret": SECRET}).json()
        assert set(answer) == {"access_token", "expires_in", "token_type"} and answer["token_type"] == "Bearer"
        assert http.post("/token", data={"clientId": "x"}).status_code == 400
        refused = http.post("/token", json={"clientId": CREDENTIALS.client_id, "clientSecret": "nope"})
        assert refused.status_code == 401 and refused.json()["message"]


def test_products_and_carts_need_a_bearer_token(app):
    with raw_client(app) as http:
        assert http.put("/products/a", json=product()).status_code == 401
        assert http.get("/carts/a").status_code == 401
        assert http.get("/products/a", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_invalid_product_is_refused_naming_each_field(app):
    with raw_client(app) as http:
        bad = {"name": "", "retailPrice": "12.00", "retailCurrency": "usd", "url": "/relative", "available": "yes"}
        answer = http.put("/products/a", json=bad, headers=token(http))
    assert answer.status_code == 422
    message = answer.json()["message"]
    for field in ("name", "retailPrice", "retailCurrency", "url", "available"):
        assert field in message
    assert list(app.store.products()) == []


def test_put_is_an_upsert(app):
    with raw_client(app) as http:
        auth = token(http)
        assert http.put("/products/a", json=product(), headers=auth).status_code == 201
        assert http.put("/products/a", json=product(price=100), headers=auth).status_code == 200
    [(pid, payload, puts)] = list(app.store.products())
    assert (pid, payload["retailPrice"], puts) == ("a", 100, 2)


def test_prices_are_deterministic_with_cors_and_nothing_for_ineligible(app):
    app.store.put_product("coat", product(price=24900))
    app.store.put_product("socks", product(price=900))
    with raw_client(app) as http:
        coat = http.get("/prices", params={"productId": "coat", "quantity": 2})
        socks = http.get("/prices", params={"productId": "socks"}).json()["data"]
        unknown = http.get("/prices", params={"productId": "ghost"}).json()["data"]
        preflight = http.options("/prices")
    assert coat.headers["Access-Control-Allow-Origin"] == "*"
    data = coat.json()["data"]
    assert data["eligible"] is True and data["cash"]["resalePrice"] == 19920 and data["storeCredit"]["resalePrice"] == 24900
    assert socks == {"productId": "socks", "eligible": False}
    assert unknown["eligible"] is False
    assert preflight.status_code == 204 and "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_faults_are_deterministic_under_a_seed_whatever_the_order():
    config = FaultConfig.uniform(0.5, seed=42)
    requests = [("PUT", f"/v0/products/p{i % 7}") for i in range(70)]

    def faults_per_request(order: list[tuple[str, str]], seed_config: FaultConfig) -> dict:
        injector, seen = FaultInjector(seed_config), {}
        for method, path in order:
            seen.setdefault(path, []).append(injector.draw(method, path))
        return seen

    interleaved = faults_per_request(requests, config)
    grouped = faults_per_request(sorted(requests), config)
    assert interleaved == grouped
    assert {"429", "500", "503", "slow", "drop_request", "drop_response", "none"} == {f for fs in interleaved.values() for f in fs}
    assert faults_per_request(requests, FaultConfig.uniform(0.5, seed=43)) != interleaved


def test_fault_config_refuses_impossible_rates():
    import pytest

    from croissant_embed.errors import ConfigError

    with pytest.raises(ConfigError, match="between 0 and 1"):
        FaultConfig(rate_429=1.5)
    with pytest.raises(ConfigError, match="add up"):
        FaultConfig(rate_429=0.6, rate_500=0.6)


def test_sandbox_serve_runs_on_loopback_and_prints_credentials(tmp_path):
    db = tmp_path / "sbx.sqlite3"
    env = {**os.environ, "CROISSANT_SANDBOX_CLIENT_SECRET": SECRET}
    process = subprocess.Popen(
        [sys.executable, "-m", "croissant_embed", "sandbox", "serve", "--port", "0", "--db", str(db), "--client-id", "cli-client"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        lines = [process.stdout.readline() for _ in range(5)]
        url = re.search(r"CROISSANT_API_URL=(\S+)", "".join(lines)).group(1)
        assert url.startswith("http://127.0.0.1:")
        assert "CROISSANT_CLIENT_ID=cli-client" in "".join(lines)
        with CroissantClient(url, client_id="cli-client", client_secret=SECRET) as client:
            client.put_product("over/socket", product())
            assert client.get_product("over/socket")["name"] == "Linen shirt"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert process.returncode == 0
    result = CliRunner().invoke(main, ["sandbox", "inspect", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    held = json.loads(result.output)
    assert [p["id"] for p in held["products"]] == ["over/socket"] and held["products"][0]["puts"] == 1


def test_sandbox_inspect_lists_products_and_cart_states(tmp_path):
    db = tmp_path / "sbx.sqlite3"
    store = SandboxStore(str(db))
    store.put_product("shirt-1", product())
    store.create_cart({"id": "c1", "confirmationNumber": "A-1", "isOptedIn": True, "products": []})
    store.set_cart_state("c1", "fulfilled")
    store.close()
    result = CliRunner().invoke(main, ["sandbox", "inspect", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 products" in result.output and "shirt-1" in result.output
    assert re.search(r"c1\s+fulfilled\s+opted_in=true", result.output)


def test_sandbox_inspect_without_a_database_says_how_to_get_one(tmp_path):
    result = CliRunner().invoke(main, ["sandbox", "inspect", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2
    assert "no sandbox database" in result.output
