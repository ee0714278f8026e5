"""Markets (issue 13): sections of a site with their own currency, merchant, ids, credentials and state.

Built through the CLI on real folders; credentials are exercised against the sandbox over a
real loopback socket, where each market signs in with the variables it names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from croissant_embed.sandbox import BackgroundServer, SandboxApp, SandboxCredentials

from .conftest import CREDENTIALS, SECRET, invoke, puts, sandbox_of
from .sites import snapshot, write_config, write_page
from .test_translations import page

MARKETS = '''base_url = "https://s.example/"
default_language = "en"
merchant_id = "merchant-us"

[[markets]]
name = "eu"
path = "fr/**"
currency = "EUR"
merchant_id = "merchant-eu"
id_template = "{id}-eur"
'''
EU_CREDENTIALS = 'client_id_env = "EU_ID"\nclient_secret_env = "EU_SECRET"\n'
EN_MUG, FR_MUG = "p/mug/index.html", "fr/p/mug/index.html"


def store(tmp_path: Path, *, fr_currency: str = "EUR") -> Path:
    """A mug in USD at /p/ and in EUR at /fr/p/ (one sku), a plate in English only."""
    site = tmp_path / "site"
    write_page(site, EN_MUG, page(lang="en", name="Blue mug", price="34.00", currency="USD", url="https://s.example/p/mug/", shown="$34.00"))
    shown = "32,50 €" if fr_currency == "EUR" else "$32.50"
    write_page(site, FR_MUG, page(lang="fr", name="Tasse bleue", price="32.50", currency=fr_currency, url="https://s.example/fr/p/mug/",
                                  shown=shown))
    write_page(site, "p/plate/index.html", page(lang="en", name="Plate", price="9.00", currency="USD", sku="PLATE-1",
                                                url="https://s.example/p/plate/", shown="$9.00"))
    return site


def build(tmp_path: Path, site: Path, config_text: str, *args: str, env: dict[str, str] | None = None):
    config = write_config(tmp_path, config_text)
    report = tmp_path / "report.json"
    result = invoke("build", str(site), "--config", str(config), "--report", str(report), *args, env=env)
    return result, config, report


def products(report: Path) -> dict[str, tuple[str, int, str]]:
    return {p["id"]: (p["market"], p["payload"]["retailPrice"], p["payload"]["retailCurrency"])
            for p in json.loads(report.read_text("utf-8"))["products"]}


def component(path: Path) -> dict[str, str]:
    tag = re.search(r"<croissant-toggle-pdp ([^>]*)>", path.read_text("utf-8"))
    assert tag, path
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(1)))


def test_each_market_syncs_its_pages_under_its_own_ids_currency_and_merchant(tmp_path):
    site = store(tmp_path)
    result, config, report = build(tmp_path, site, MARKETS)
    assert result.exit_code == 0, result.output
    assert products(report) == {"MUG-1": ("default", 3400, "USD"), "PLATE-1": ("default", 900, "USD"), "MUG-1-eur": ("eu", 3250, "EUR")}
    held = {pid: payload["retailPrice"] for pid, payload, _ in sandbox_of(config).products()}
    assert held == {"MUG-1": 3400, "PLATE-1": 900, "MUG-1-eur": 3250}
    assert component(site / FR_MUG)["merchant-id"] == "merchant-eu" and component(site / FR_MUG)["product-id"] == "MUG-1-eur"
    assert component(site / EN_MUG)["merchant-id"] == "merchant-us" and component(site / EN_MUG)["product-id"] == "MUG-1"
    assert "market eu (EUR, merchant merchant-eu): 1 to create" in result.output
    assert "market default" in result.output


def test_each_market_keeps_its_own_state_so_a_second_build_sends_nothing(tmp_path):
    site = store(tmp_path)
    result, config, _ = build(tmp_path, site, MARKETS)
    assert result.exit_code == 0, result.output
    sent, before = puts(config), snapshot(site)
    again, _, report = build(tmp_path, site, MARKETS)
    assert again.exit_code == 0, again.output
    assert puts(config) == sent and snapshot(site) == before
    assert {p["action"] for p in json.loads(report.read_text("utf-8"))["products"]} == {"unchanged"}
    targets = json.loads((config.parent / ".croissant" / "state.json").read_text("utf-8"))["targets"]
    assert set(targets) == {"local", "local market eu"}
    assert set(targets["local market eu"]["products"]) == {"MUG-1-eur"}


def test_a_page_priced_in_another_currency_than_its_market_is_invalid_naming_page_market_and_fix(tmp_path):
    site = store(tmp_path, fr_currency="USD")
    result, config, _ = build(tmp_path, site, MARKETS)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert f"{FR_MUG}: product MUG-1: currency: the price is in USD (from json-ld)" in message
    assert "market 'eu', which sells in EUR" in message and "fix the page's currency, or the market's path or currency" in message
    assert puts(config) == 0


def test_markets_of_one_merchant_sharing_ids_are_stopped_before_one_price_overwrites_the_other(tmp_path):
    site = store(tmp_path)
    shared = MARKETS.replace('merchant_id = "merchant-eu"\n', "").replace('id_template = "{id}-eur"\n', "")
    result, config, report = build(tmp_path, site, shared)
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert f"product 'MUG-1': market eu ({FR_MUG}) and market default ({EN_MUG})" in message
    assert "id_template" in message
    assert puts(config) == 0 and report.exists()


def test_a_removed_market_page_is_reported_for_that_market(tmp_path):
    site = store(tmp_path)
    assert build(tmp_path, site, MARKETS)[0].exit_code == 0
    (site / FR_MUG).unlink()
    result, _, _ = build(tmp_path, site, MARKETS)
    assert result.exit_code == 0, result.output
    assert "market eu: 1 products synced before are no longer on the site" in result.output
    assert "'MUG-1-eur'" in result.output


def test_each_market_signs_in_with_the_credentials_its_variables_hold(tmp_path):
    site = store(tmp_path)
    app = SandboxApp(credentials=CREDENTIALS)
    text = MARKETS.replace('id_template = "{id}-eur"\n', 'id_template = "{id}-eur"\n' + EU_CREDENTIALS)
    with BackgroundServer(app) as server:
        env = {"CROISSANT_API_URL": server.url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id, "CROISSANT_CLIENT_SECRET": SECRET}
        wrong_secret = SECRET + "-for-the-eu-market"
        refused, _, report = build(tmp_path, site, text, env={**env, "EU_ID": CREDENTIALS.client_id, "EU_SECRET": wrong_secret})
        assert refused.exit_code != 0, refused.output
        results = {p["id"]: p["result"] for p in json.loads(report.read_text("utf-8"))["products"]}
        assert results == {"MUG-1": "synced", "PLATE-1": "synced", "MUG-1-eur": "failed"}  # the default market signed in; eu was refused
        assert wrong_secret not in refused.output and wrong_secret not in report.read_text("utf-8") and SECRET not in refused.output
        accepted, _, report = build(tmp_path, site, text, env={**env, "EU_ID": CREDENTIALS.client_id, "EU_SECRET": SECRET})
        assert accepted.exit_code == 0, accepted.output
        assert {p["id"]: p["result"] for p in json.loads(report.read_text("utf-8"))["products"]}["MUG-1-eur"] == "synced"
        assert {pid for pid, _, _ in app.store.products()} == {"MUG-1", "PLATE-1", "MUG-1-eur"}


def test_a_plan_is_written_per_market_and_each_applies_with_its_market(tmp_path):
    site = store(tmp_path)
    plan = tmp_path / "plan.json"
    result, config, _ = build(tmp_path, site, MARKETS, "--plan", str(plan))
    assert result.exit_code == 0, result.output
    eu_plan = tmp_path / "plan.eu.json"
    assert json.loads(eu_plan.read_text("utf-8"))["market"] == "eu"
    assert [p["id"] for p in json.loads(eu_plan.read_text("utf-8"))["products"]] == ["MUG-1-eur"]
    assert puts(config) == 0
    for path in (plan, eu_plan):
        applied = invoke("apply", str(path), "--config", str(config))
        assert applied.exit_code == 0, applied.output
    assert {pid for pid, _, _ in sandbox_of(config).products()} == {"MUG-1", "PLATE-1", "MUG-1-eur"}
    again = invoke("apply", str(eu_plan), "--config", str(config))
    assert again.exit_code == 0 and "already applied" in again.output


def test_market_settings_are_checked_each_problem_naming_the_market_and_the_fix(tmp_path):
    text = '''[[markets]]
name = "eu"
path = "fr/**"
currency = "EURO"
id_template = "eur-{sku}"
client_id_env = "EU_ID"
colour = "blue"

[[markets]]
name = "eu"
path = "de/**"
client_secret_env = "EU_SECRET"
'''
    config = write_config(tmp_path, text)
    (tmp_path / "site").mkdir(exist_ok=True)
    result = invoke("check", "--config", str(config))
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "markets[0] (eu): unknown key 'colour'" in message
    assert "markets[0] (eu): currency 'EURO' is not an ISO 4217 code" in message
    assert "markets[0] (eu): id_template 'eur-{sku}' must hold {id} once" in message
    assert "markets[0] (eu): give both client_id_env and client_secret_env" in message
    assert "markets[1] (eu): give both client_id_env and client_secret_env" in message
    assert "Traceback" not in result.output


def test_a_market_variable_holding_the_secret_itself_is_refused_and_never_shown(tmp_path):
    text = MARKETS + f'client_id_env = "EU_ID"\nclient_secret_env = "{SECRET}"\n'
    config = write_config(tmp_path, text)
    (tmp_path / "site").mkdir(exist_ok=True)
    result = invoke("check", "--config", str(config), env={"CROISSANT_CLIENT_SECRET": SECRET})
    assert result.exit_code == 2, result.output
    assert "client_secret_env" in result.output and SECRET not in result.output


def test_a_sandbox_build_needs_the_variables_a_market_names(tmp_path):
    site = store(tmp_path)
    text = 'environment = "sandbox"\n' + MARKETS.replace('id_template = "{id}-eur"\n', 'id_template = "{id}-eur"\n' + EU_CREDENTIALS)
    result, _, _ = build(tmp_path, site, text, env={"CROISSANT_CLIENT_ID": "id", "CROISSANT_CLIENT_SECRET": SECRET})
    assert result.exit_code == 2, result.output
    assert "markets (eu): environment 'sandbox' needs EU_ID and EU_SECRET in the environment" in " ".join(result.output.split())


def test_a_market_order_is_reported_under_the_market_ids_and_gets_its_buyback(tmp_path):
    site = store(tmp_path)
    result, config, _ = build(tmp_path, site, MARKETS)
    assert result.exit_code == 0, result.output
    order = tmp_path / "order.json"
    order.write_text(json.dumps({"order_number": "FR-1001", "email": "client@example.com", "created_at": "2026-11-30T10:00:00Z",
                                 "opted_in": True, "lines": [{"product_id": "MUG-1", "quantity": 1, "unit_price": 3250,
                                                              "currency": "EUR"}]}), encoding="utf-8")
    created = invoke("carts", "create", str(order), "--config", str(config), "--market", "eu")
    assert created.exit_code == 0, created.output
    fetched = invoke("carts", "get", "--order", "FR-1001", "--market", "eu", "--config", str(config))
    assert fetched.exit_code == 0, fetched.output
    [line] = json.loads(fetched.stdout)["products"]
    assert line["retailerProductId"] == "MUG-1-eur" and line["buyback"]["currency"] == "EUR" and line["buyback"]["value"] > 0
    unknown = invoke("carts", "get", "--order", "FR-1001", "--market", "asia", "--config", str(config))
    assert unknown.exit_code == 2 and "market 'asia' is not among the [[markets]]" in unknown.output


def test_check_lists_the_markets_and_checks_each_markets_own_credentials(tmp_path):
    text = MARKETS.replace('id_template = "{id}-eur"\n', 'id_template = "{id}-eur"\n' + EU_CREDENTIALS)
    config = write_config(tmp_path, text)
    (tmp_path / "site").mkdir(exist_ok=True)
    app = SandboxApp(credentials=CREDENTIALS)
    with BackgroundServer(app) as server:
        env = {"CROISSANT_API_URL": server.url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id, "CROISSANT_CLIENT_SECRET": SECRET}
        good = invoke("check", "--config", str(config), env={**env, "EU_ID": CREDENTIALS.client_id, "EU_SECRET": SECRET})
        assert good.exit_code == 0, good.output
        assert "market eu: pages fr/**, EUR, merchant merchant-eu, ids {id}-eur, credentials from EU_ID / EU_SECRET" in good.output
        assert "credentials for market eu: ok" in good.output and "credentials for market default: ok" in good.output
        bad = invoke("check", "--config", str(config), env={**env, "EU_ID": CREDENTIALS.client_id, "EU_SECRET": "not-the-secret"})
        assert bad.exit_code != 0 and "credentials for market default: ok" in bad.output and "not-the-secret" not in bad.output


def test_a_market_pages_variants_and_their_group_take_the_market_ids(tmp_path):
    site = store(tmp_path)
    group = ('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<title>T-shirt</title>\n<script type="application/ld+json">'
             '{"@type":"ProductGroup","productGroupID":"TEE","name":"T-shirt","url":"https://s.example/fr/p/tee/",'
             '"variesBy":"https://schema.org/size","hasVariant":['
             '{"@type":"Product","sku":"TEE-S","size":"S","offers":{"price":"30.00","priceCurrency":"EUR"}},'
             '{"@type":"Product","sku":"TEE-M","size":"M","offers":{"price":"35.00","priceCurrency":"EUR"}}]}</script>\n'
             '</head>\n<body>\n<h1>T-shirt</h1>\n<p class="price">30,00 €</p>\n<select name="size"><option>S</option><option>M</option>'
             '</select>\n</body>\n</html>\n')
    write_page(site, "fr/p/tee/index.html", group)
    result, config, report = build(tmp_path, site, MARKETS)
    assert result.exit_code == 0, result.output
    payloads = {p["id"]: p["payload"] for p in json.loads(report.read_text("utf-8"))["products"] if p["market"] == "eu"}
    assert set(payloads) == {"MUG-1-eur", "TEE-S-eur", "TEE-M-eur"}
    assert payloads["TEE-M-eur"]["groupId"] == "TEE-eur" and payloads["TEE-M-eur"]["variantAttributes"] == {"size": "M"}
    page_text = (site / "fr/p/tee/index.html").read_text("utf-8")
    assert component(site / "fr/p/tee/index.html")["product-id"] == "TEE-S-eur"
    assert '"id": "TEE-M-eur"' in page_text  # the script maps the choice to the market's ids


def test_markets_can_come_from_the_environment(tmp_path):
    site = store(tmp_path)
    variables = {"CROISSANT_MARKETS": '[{ name = "eu", path = "fr/**", currency = "EUR", id_template = "{id}-eur" }]'}
    result, _, report = build(tmp_path, site, 'base_url = "https://s.example/"\n', env=variables)
    assert result.exit_code == 0, result.output
    assert products(report)["MUG-1-eur"] == ("eu", 3250, "EUR")
