"""Orders and the carts CLI: cart ids, order validation, and ``carts create/get``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.errors import DataError
from croissant_embed.orders import cart_id_for, cart_payload, parse_order, store_namespace
from croissant_embed.sandbox import SandboxStore

from .conftest import invoke
from .sites import copy_sample

ORDER = {
    "order_number": "AN-1001",
    "email": "shopper@example.com",
    "created_at": "2026-11-27T10:00:00Z",
    "opted_in": True,
    "lines": [{"product_id": "AN-JKT-001", "quantity": 2, "unit_price": 28900, "currency": "USD"}],
}


def test_cart_ids_are_uuid5_of_the_order_number_under_the_store_namespace():
    namespace = store_namespace("atelier-nord")
    assert cart_id_for("AN-1001", namespace) == cart_id_for("AN-1001", namespace)
    assert cart_id_for("AN-1001", namespace) != cart_id_for("AN-1002", namespace)
    assert cart_id_for("AN-1001", namespace) != cart_id_for("AN-1001", store_namespace("another-store"))
    payload = cart_payload(parse_order(ORDER), namespace)
    assert payload["id"] == cart_id_for("AN-1001", namespace) and payload["isOptedIn"] is True
    assert payload["products"] == [{"retailerProductId": "AN-JKT-001", "quantity": 2, "retailSalePrice": 28900, "retailSaleCurrency": "USD"}]
    assert cart_payload(parse_order({**ORDER, "cart_id": "given"}), namespace)["id"] == "given"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": []}, "at least one line"),
        ({"lines": [{**ORDER["lines"][0], "quantity": -1}]}, "quantity: -1 must be a positive whole number"),
        ({"lines": [{**ORDER["lines"][0], "unit_price": "289.00"}]}, "'289.00' is text; give an integer in minor units"),
        ({"lines": [{**ORDER["lines"][0], "unit_price": 289.0}]}, "is a float"),
        ({"lines": [{**ORDER["lines"][0], "currency": "DOLLARS"}]}, "'DOLLARS' is not an ISO 4217 code"),
        ({"opted_in": "yes"}, "opted_in: 'yes' must be true or false"),
        ({"created_at": "yesterday"}, "not an ISO 8601 timestamp"),
        ({"order_number": ""}, "order_number: required"),
    ],
)
def test_bad_orders_are_refused_naming_the_field_and_the_fix(change, message):
    with pytest.raises(DataError) as caught:
        parse_order({**ORDER, **change}, where="order file o.json")
    assert message in str(caught.value) and "order file o.json" in str(caught.value)


def test_carts_cli_creates_once_and_reports_bad_orders_with_exit_3(tmp_path):
    config = copy_sample(tmp_path)
    order = tmp_path / "order.json"
    order.write_text(json.dumps(ORDER), encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["carts", "create", str(order), "--config", str(config)])
    second = runner.invoke(main, ["carts", "create", str(order), "--config", str(config)])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert json.loads(first.output)["id"] == json.loads(second.output)["id"]
    store = SandboxStore(str(config.parent / ".croissant" / "sandbox.sqlite3"))
    assert len(store.carts()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**ORDER, "lines": [{**ORDER["lines"][0], "unit_price": "12.50"}]}), encoding="utf-8")
    refused = runner.invoke(main, ["carts", "create", str(bad), "--config", str(config)])
    assert refused.exit_code == 3 and "unit_price" in refused.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert runner.invoke(main, ["carts", "create", str(broken), "--config", str(config)]).exit_code == 3
    missing = runner.invoke(main, ["carts", "get", "no-such-cart", "--config", str(config)])
    assert missing.exit_code == 1 and "unknown cart" in missing.output
    assert len(store.carts()) == 1


def test_carts_get_fulfill_and_cancel_find_the_cart_by_its_order_number_and_say_its_id(tmp_path):
    config = copy_sample(tmp_path)
    runner = CliRunner()
    created = {}
    for number in ("AN-1001", "AN-1002"):
        order = tmp_path / f"{number}.json"
        order.write_text(json.dumps({**ORDER, "order_number": number}), encoding="utf-8")
        done = runner.invoke(main, ["carts", "create", str(order), "--config", str(config)])
        assert done.exit_code == 0, done.output
        created[number] = json.loads(done.stdout)["id"]
    found = runner.invoke(main, ["carts", "get", "--order", "AN-1001", "--config", str(config)])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["id"] == created["AN-1001"]  # stdout stays the cart's JSON
    assert f"order AN-1001: cart id {created['AN-1001']}" in found.stderr
    fulfilled = runner.invoke(main, ["carts", "fulfill", "--order", "AN-1001", "--config", str(config)])
    cancelled = runner.invoke(main, ["carts", "cancel", "--order", "AN-1002", "--config", str(config)])
    assert fulfilled.exit_code == 0 and cancelled.exit_code == 0, fulfilled.output + cancelled.output
    store = SandboxStore(str(config.parent / ".croissant" / "sandbox.sqlite3"))
    assert store.get_cart(created["AN-1001"])["state"] == "fulfilled"
    assert store.get_cart(created["AN-1002"])["state"] == "cancelled"
    by_id = runner.invoke(main, ["carts", "get", created["AN-1002"], "--config", str(config)])
    assert by_id.exit_code == 0 and json.loads(by_id.stdout)["id"] == created["AN-1002"]
    unknown = runner.invoke(main, ["carts", "get", "--order", "AN-9999", "--config", str(config)])
    assert unknown.exit_code == 1 and "unknown cart" in unknown.output and "order AN-9999: cart id " in unknown.stderr


def test_a_cart_line_with_a_variant_sku_gets_that_variants_buyback(tmp_path):
    config = copy_sample(tmp_path)
    built = invoke("build", "--config", str(config))
    assert built.exit_code == 0, built.output
    lines = [{"product_id": "AN-KNT-001-S", "quantity": 1, "unit_price": 14900, "currency": "USD"},
             {"product_id": "AN-KNT-001-L", "quantity": 2, "unit_price": 17500, "currency": "USD"}]
    order = tmp_path / "order.json"
    order.write_text(json.dumps({**ORDER, "lines": lines}), encoding="utf-8")
    created = invoke("carts", "create", str(order), "--config", str(config))
    assert created.exit_code == 0, created.output
    got = invoke("carts", "get", "--order", "AN-1001", "--config", str(config))
    assert got.exit_code == 0, got.output
    buybacks = {line["retailerProductId"]: line["buyback"] for line in json.loads(got.stdout)["products"]}
    assert {sku: (b["value"], b["payoutType"]) for sku, b in buybacks.items()} == {
        "AN-KNT-001-S": (5960, "cash"), "AN-KNT-001-L": (14000, "cash")}  # 40 % of each size's own price


@pytest.mark.parametrize("args", [[], ["0b6f1c1e-1111-4c5e-9b1a-000000000001", "--order", "AN-1001"]])
def test_carts_get_needs_exactly_one_of_a_cart_id_and_an_order_number(tmp_path, args):
    config = copy_sample(tmp_path)
    refused = CliRunner().invoke(main, ["carts", "get", *args, "--config", str(config)])
    assert refused.exit_code == 2 and "--order NUMBER" in refused.output
