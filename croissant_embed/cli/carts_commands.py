"""``croissant-embed carts create|get|fulfill|cancel``: report orders to Croissant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import DataError
from ..orders import cart_id_for, cart_payload, parse_order, store_namespace
from ..settings import Settings
from . import main
from .build_commands import config_option, settings_from


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@main.group("carts")
def carts_group() -> None:
    """Report orders (carts) to Croissant: create, get, fulfill, cancel."""


def _market_option(command):
    """``--market NAME``: the order was placed in that [[markets]] section (its merchant, credentials and ids)."""
    return click.option(
        "--market", metavar="NAME",
        help="The [[markets]] section the order was placed in: its merchant's credentials are used, and each line's "
             "product id becomes the market's (its id_template).",
    )(command)


def _settings(config: Path | None, market: str | None) -> Settings:
    return settings_from(config).for_market(market)


@carts_group.command("create")
@click.argument("order_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@config_option
@_market_option
def create_command(order_file: Path, config: Path | None, market: str | None) -> None:
    """Create the cart of a paid order described in ORDER_FILE (JSON); prints the cart."""
    settings = _settings(config, market)
    try:
        raw = json.loads(order_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"not valid JSON ({exc})", location=f"order file {order_file}") from exc
    order = parse_order(raw, where=f"order file {order_file}")
    own = settings.market
    payload = cart_payload(order, namespace(settings), product_id=str if own is None else own.product_id)
    from ..clients import sync_client

    with sync_client(settings) as client:
        _echo_json(client.create_cart(payload))


def namespace(settings: Settings):
    """The store's cart-id namespace."""
    return store_namespace(settings.merchant_id, settings.cart_namespace)


def _by_id(action: str, cart_id: str | None, order_number: str | None, config: Path | None, market: str | None) -> None:
    """Call the cart endpoint ``action`` for the cart named by its id or by its order's number."""
    from ..clients import sync_client

    if (cart_id is None) == (order_number is None):
        raise click.UsageError("give the cart id (CART_ID) or the order number (--order NUMBER), not both")
    settings = _settings(config, market)
    if order_number is not None:
        cart_id = cart_id_for(order_number.strip(), namespace(settings))
        # said on stderr so that stdout stays the cart's JSON
        click.echo(f"order {order_number.strip()}: cart id {cart_id}", err=True)
    with sync_client(settings) as client:
        call = {"get": client.get_cart, "fulfill": client.fulfill_cart, "cancel": client.cancel_cart}[action]
        _echo_json(call(cart_id))


def _cart_reference(command):
    """CART_ID, or ``--order NUMBER`` whose cart id is derived as ``carts create`` derives it."""
    command = click.option(
        "--order", "order_number", metavar="NUMBER",
        help="The order number instead of CART_ID: its cart id is derived as `carts create` derives it "
             "(not for orders created with a cart_id of their own).",
    )(command)
    return click.argument("cart_id", required=False)(_market_option(command))


@carts_group.command("get")
@_cart_reference
@config_option
def get_command(cart_id: str | None, order_number: str | None, config: Path | None, market: str | None) -> None:
    """Print the cart with its buyback values."""
    _by_id("get", cart_id, order_number, config, market)


@carts_group.command("fulfill")
@_cart_reference
@config_option
def fulfill_command(cart_id: str | None, order_number: str | None, config: Path | None, market: str | None) -> None:
    """Mark the order shipped: the shopper can now sell items back."""
    _by_id("fulfill", cart_id, order_number, config, market)


@carts_group.command("cancel")
@_cart_reference
@config_option
def cancel_command(cart_id: str | None, order_number: str | None, config: Path | None, market: str | None) -> None:
    """Mark the order cancelled."""
    _by_id("cancel", cart_id, order_number, config, market)
