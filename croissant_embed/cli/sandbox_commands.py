"""``croissant-embed sandbox serve|inspect``: the local Croissant on a socket."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..settings import STATE_DIR_NAME, environment_secret
from . import main, serve_until_interrupted



def _default_db() -> str:
    """The project's embedded sandbox database (the sandbox package is imported only when used)."""
    from ..sandbox.embedded import database_path

    return str(database_path(Path(STATE_DIR_NAME)))


@main.group("sandbox")
def sandbox_group() -> None:
    """Run or inspect the embedded local Croissant sandbox."""


@sandbox_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback).")
@click.option("--port", default=8765, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--db", "db_path", default=_default_db, help="SQLite file, or :memory: (default: the project's, in .croissant/).")
@click.option("--client-id", envvar="CROISSANT_SANDBOX_CLIENT_ID", help="Client id to accept (default: random).")
@click.option("--fail-rate", default=0.0, type=float, help="Fraction of API requests answered with a fault.")
@click.option("--latency", default=0.0, type=float, help="Seconds added to every API request.")
@click.option("--token-ttl", default=None, type=float, help="Tokens die after this many seconds.")
@click.option("--seed", default=0, type=int, help="Seed of the fault draws.")
@click.option("--verbose-log", is_flag=True, help="Log every request.")
def serve_command(
    host: str, port: int, db_path: str, client_id: str | None, fail_rate: float,
    latency: float, token_ttl: float | None, seed: int, verbose_log: bool,
) -> None:
    """Serve the sandbox API on HOST:PORT until Ctrl-C.

    The secret comes from CROISSANT_SANDBOX_CLIENT_SECRET, or is generated and printed.
    """
    from ..sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxCredentials, SandboxStore
    from ..sandbox.server import exposure_warning

    warning = exposure_warning(host)
    if warning:
        click.echo(warning, err=True)
    if db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    generated = SandboxCredentials.generate()
    credentials = SandboxCredentials(
        client_id or generated.client_id,
        environment_secret("CROISSANT_SANDBOX_CLIENT_SECRET") or generated.client_secret,
    )
    faults = FaultConfig.uniform(fail_rate, seed=seed, latency=latency, token_ttl=token_ttl)
    app = SandboxApp(SandboxStore(db_path), credentials=credentials, faults=faults)
    with BackgroundServer(app, host=host, port=port, verbose=verbose_log) as server:
        click.echo(f"Croissant sandbox listening on {server.url}/v0  (database: {db_path})")
        click.echo("Point a build or a client at it with:")
        click.echo(f"  export CROISSANT_API_URL={server.url}/v0")
        click.echo(f"  export CROISSANT_CLIENT_ID={credentials.client_id}")
        click.echo(f"  export CROISSANT_CLIENT_SECRET={credentials.client_secret}")
        serve_until_interrupted()


@sandbox_group.command("inspect")
@click.option("--db", "db_path", default=_default_db, help="SQLite file of the sandbox (default: the project's, in .croissant/).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def inspect_command(db_path: str, as_json: bool) -> None:
    """List the products and carts the sandbox holds."""
    if not Path(db_path).is_file():
        raise click.UsageError(f"no sandbox database at {db_path}; run a build with environment=local or `sandbox serve` first, or pass --db")
    from ..sandbox import SandboxStore

    store = SandboxStore(db_path)
    products = [{"id": pid, "puts": puts, **payload} for pid, payload, puts in store.products()]
    carts = store.carts()
    store.close()
    if as_json:
        click.echo(json.dumps({"products": products, "carts": carts}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(products)} products")
    for product in products:
        price = f"{product.get('retailPrice')} {product.get('retailCurrency')}"
        click.echo(f"  {product['id']:<28} {price:>14}  puts={product['puts']:<3} {product.get('name', '')}")
    click.echo(f"{len(carts)} carts")
    for cart in carts:
        click.echo(f"  {cart['id']:<38} {cart['state']:<10} opted_in={str(cart['isOptedIn']).lower():<5} order={cart['confirmationNumber']}")
