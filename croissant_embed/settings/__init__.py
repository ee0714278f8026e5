"""Settings, validated once: ``croissant.toml`` (or pyproject), then ``CROISSANT_*``, then flags.

Every problem is collected and reported together, each naming its key and the fix. The
client id and secret are read from the environment only and never shown: ``Secret`` masks
itself in every repr and string conversion.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from ..api.types import ENVIRONMENTS
from ..ci import CIContext, detect
from ..contract import PayloadShape
from ..errors import ConfigError
from ..extract import ExtractOptions
from .checks import checked_values
from .markets import DEFAULT_MARKET, Market, checked_markets, market_of
from .secret import Secret
from .sources import CONFIG_NAME, FILE_KEYS, SECRET_KEYS, environment_table, find_config, flatten_tables, secret_problems, setting_variables, unknown_key, variable_of

STATE_DIR_NAME = ".croissant"
DEFAULT_LOCAL_URL = "http://127.0.0.1:8765/v0"
PLACEHOLDER_BASE_URL = "https://shop.invalid/"
DEFAULT_VARIANT_SELECTOR = ", ".join(
    [f"select[name={name}]" for name in ("variant", "size", "color", "colour", "option", "id")]
    + ["select[name^=option]", "select[name^='options[']"]
    + [f"input[type=radio][name={name}]" for name in ("variant", "size", "color", "colour", "option")]
    + ["input[type=radio][name^=option]", "input[type=radio][name^='options[']", "input[type=hidden][name=id]", "[data-item-id]"]
)
"""The usual variant controls: a select or radio group named variant/size/color/option, a hidden ``input[name=id]``, buy buttons."""
"""The stand-in public address of a local build's pages when nothing gives the real one (.invalid never resolves)."""


def builtin_templates_dir() -> Path:
    """The shipped templates: inside the installed package, else the repository's top level."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"


@dataclass(frozen=True)
class Settings:
    """Everything a build needs, checked."""

    root: Path
    site_dir: Path | None = None
    environment: str = "local"
    api_url: str | None = None
    local_url: str = DEFAULT_LOCAL_URL
    merchant_id: str = "local-merchant"
    client_id: str | None = None
    client_secret: Secret | None = field(default=None, repr=False)
    base_url: str | None = None
    default_currency: str | None = None
    default_language: str | None = None
    """The language whose page a product shared by translations is synced from (``<html lang>``, e.g. "en")."""
    include: tuple[str, ...] = ("**/*.html", "**/*.htm")
    exclude: tuple[str, ...] = ()
    placement_selector: str | None = None
    placement_position: str = "after"
    quantity_selector: str | None = None
    variants: str = "each"
    """``each``: every variant with its own id is its own product; ``group``: a product group is one product."""
    variant_selector: str = DEFAULT_VARIANT_SELECTOR
    """The page's variant controls, whose choice the component's product-id follows."""
    checkout_selector: str | None = None
    capture: tuple[tuple[str, str], ...] = ()
    payload: PayloadShape = PayloadShape()
    templates_dir: Path | None = None
    concurrency: int = 16
    timeout: float = 10.0
    retries: int = 5
    max_invalid: int = 0
    max_unplaced: int = 0
    workers: int = 0
    max_drop: float = 0.5
    cart_namespace: str | None = None
    checkout_app: Path | None = None
    markets: tuple[Market, ...] = ()
    """The ``[[markets]]``: sections with their own currency, merchant, ids and state."""
    market: Market | None = None
    """The market these settings are for (:meth:`for_market`); None for the default market."""
    notices: tuple[str, ...] = ()
    """Warnings about settings that are valid but risky, for the CLI to print."""
    ci: CIContext = CIContext(None)
    """The CI provider running the build, read from the environment with everything else."""

    @property
    def state_dir(self) -> Path:
        """Where the state file, the cache and the local sandbox's database live."""
        return self.root / STATE_DIR_NAME

    @property
    def api_base_url(self) -> str:
        """The API base URL products and carts are sent to."""
        if self.api_url:
            return self.api_url.rstrip("/")
        if self.environment == "local":
            return "local"
        return ENVIRONMENTS[self.environment]

    @property
    def state_target(self) -> str:
        """What the sync state is kept under: the API base URL, with the market's name for a market."""
        return self.api_base_url if self.market is None else f"{self.api_base_url} market {self.market.name}"

    @property
    def market_name(self) -> str:
        """The name of the market these settings are for (``default`` for the top level)."""
        return DEFAULT_MARKET if self.market is None else self.market.name

    def market_names(self) -> list[str]:
        """Every market, the default first."""
        return [DEFAULT_MARKET, *(market.name for market in self.markets)]

    def for_market(self, name: str | None) -> Settings:
        """The settings of one market: its merchant, credentials and currency over the top-level ones."""
        if name in (None, DEFAULT_MARKET):
            return self
        market = next((m for m in self.markets if m.name == name), None)
        if market is None:
            raise ConfigError([f"market {name!r} is not among the [[markets]] of the settings ({', '.join(self.market_names())})"])
        return replace(self, merchant_id=market.merchant_id or self.merchant_id, client_id=market.client_id or self.client_id,
                       client_secret=market.client_secret or self.client_secret,
                       default_currency=market.currency or self.default_currency, market=market)

    def market_of(self, rel_path: str) -> Settings:
        """The settings of the market the page at ``rel_path`` belongs to."""
        market = market_of(rel_path, self.markets)
        return self if market is None else self.for_market(market.name)

    @property
    def pricing_url(self) -> str:
        """``pricing-url`` of the components: the environment's ``/prices``."""
        if self.environment == "local":
            return self.local_url.rstrip("/") + "/prices"
        return self.api_base_url + "/prices"

    @property
    def target_label(self) -> str:
        """Where products go, for people: the URL, or the embedded sandbox's database."""
        if self.uses_embedded_sandbox:
            from ..sandbox.embedded import database_path  # the sandbox is only imported when it is used

            return f"embedded sandbox ({database_path(self.state_dir)})"
        return self.api_base_url

    @property
    def uses_embedded_sandbox(self) -> bool:
        """Whether API calls go to the in-process sandbox (local, with no API URL)."""
        return self.environment == "local" and not self.api_url

    def extract_options(self) -> ExtractOptions:
        """The part of the settings the extract stage depends on."""
        return ExtractOptions(
            base_url=self.base_url,
            default_currency=self.default_currency,
            capture=self.capture,
            placement_selector=self.placement_selector,
            placement_position=self.placement_position,
            checkout_selector=self.checkout_selector,
            placeholder_base_url=PLACEHOLDER_BASE_URL if self.environment == "local" and not self.base_url else None,
            variants=self.variants,
            markets=tuple((m.name, m.path, m.currency) for m in self.markets if m.currency),
        )


# -- loading -----------------------------------------------------------------------------


def load_settings(
    *,
    config: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from the config file, then the environment, then ``overrides`` (flags)."""
    cwd = (cwd or Path.cwd()).resolve()
    env = os.environ if env is None else env
    path, table = find_config(config, cwd)
    root = path.parent.resolve() if path else cwd
    where = str(path.name) if path else "settings"
    problems: list[str] = []
    values: dict[str, Any] = {}

    variables = environment_table(env, problems)
    problems += secret_problems(table, where, env) + secret_problems(variables, "environment", env)
    for key, value in table.items():
        if key.lower() in SECRET_KEYS:
            continue  # reported above
        if key not in FILE_KEYS:
            problems.append(unknown_key(where, key, FILE_KEYS))
        else:
            values[key] = value
    for key, value in variables.items():  # the environment overrides the file, key by key within tables
        values[key] = {**values[key], **value} if isinstance(value, dict) and isinstance(values.get(key), dict) else value
    flatten_tables(values, problems, where)
    if "markets" in values:
        values["markets"] = checked_markets(values["markets"], where, env, problems)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    if env.get("CROISSANT_CLIENT_ID"):
        values["client_id"] = env["CROISSANT_CLIENT_ID"]
    if env.get("CROISSANT_CLIENT_SECRET"):
        values["client_secret"] = Secret(env["CROISSANT_CLIENT_SECRET"])
    values["ci"] = detect(env)

    clean = checked_values(root, values, problems, known={f.name for f in fields(Settings)}, state_dir_name=STATE_DIR_NAME)
    if problems:
        raise ConfigError(problems)
    return Settings(root=root, **clean)


def environment_secret(variable: str = "CROISSANT_CLIENT_SECRET") -> str | None:
    """A secret from the environment, for the few places that need it outside the settings."""
    return os.environ.get(variable) or None


def debug_requested() -> bool:
    """Whether ``CROISSANT_DEBUG`` asks for tracebacks of internal errors."""
    return bool(os.environ.get("CROISSANT_DEBUG"))


__all__ = ["CONFIG_NAME", "DEFAULT_MARKET", "Market", "STATE_DIR_NAME", "Secret", "Settings", "builtin_templates_dir", "debug_requested", "environment_secret", "find_config", "load_settings", "setting_variables", "variable_of"]
