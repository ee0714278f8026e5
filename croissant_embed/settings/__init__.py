"""Settings, validated once: ``croissant.toml`` (or pyproject), then ``CROISSANT_*``, then flags.

Every problem is collected and reported together, each naming its key and the fix. The
client id and secret are read from the environment only and never shown: ``Secret`` masks
itself in every repr and string conversion.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from ..api.types import ENVIRONMENTS
from ..ci import CIContext, detect
from ..contract import PayloadShape
from ..errors import ConfigError
from ..extract import ExtractOptions
from .checks import checked_values
from .sources import CONFIG_NAME, FILE_KEYS, SECRET_KEYS, environment_table, find_config, flatten_tables, secret_problems, setting_variables, unknown_key, variable_of

STATE_DIR_NAME = ".croissant"
DEFAULT_LOCAL_URL = "http://127.0.0.1:8765/v0"
PLACEHOLDER_BASE_URL = "https://shop.invalid/"
"""The stand-in public address of a local build's pages when nothing gives the real one (.invalid never resolves)."""


class Secret:
    """A string that never shows itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


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


__all__ = ["CONFIG_NAME", "STATE_DIR_NAME", "Secret", "Settings", "debug_requested", "environment_secret", "find_config", "load_settings", "setting_variables", "variable_of"]
