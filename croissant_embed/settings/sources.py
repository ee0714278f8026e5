"""Where settings come from: the config file's table and the ``CROISSANT_*`` variables.

Both are read into the same shape (the environment overrides the file, key by key within
tables), every key at every level is checked against the known ones (with a "did you mean"),
and a credential written anywhere in them is refused.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..contract import FIELDS, PAYLOAD_KEYS, PayloadShape
from ..errors import ConfigError

try:  # Python 3.11+
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "croissant.toml"
FILE_KEYS = {
    "site_dir", "environment", "api_url", "local_url", "merchant_id", "base_url", "default_currency", "default_language",
    "include", "exclude", "placement", "quantity_selector", "variants", "variant_selector", "checkout_selector", "capture", "payload",
    "templates_dir", "concurrency", "timeout", "retries", "max_invalid", "max_unplaced", "max_drop", "workers", "cart_namespace",
    "checkout_app", "markets",
}
_TABLE_KEYS = {"placement": ("selector", "position"), "payload": ("fields", "extra")}
_LIST_KEYS = ("include", "exclude")
ENV_PREFIX = "CROISSANT_"


def variable_of(key: str) -> str:
    """The environment variable of a setting: ``placement.selector`` -> ``CROISSANT_PLACEMENT_SELECTOR``."""
    return ENV_PREFIX + key.replace(".", "_").upper()


def setting_variables() -> dict[str, str]:
    """Every setting's environment variable (tables by their keys; capture as a whole)."""
    keys = [key for key in sorted(FILE_KEYS) if key not in _TABLE_KEYS]
    keys += [f"{table}.{key}" for table, known in _TABLE_KEYS.items() for key in known]
    return {variable_of(key): key for key in sorted(keys)}
SECRET_KEYS = {"client_id", "client_secret", "clientid", "clientsecret", "secret", "token", "access_token"}
_SECRET_WORDS = ("secret", "token", "password", "passwd", "api_key", "apikey")

def unknown_key(where: str, key: str, known: Any) -> str:
    """The message for an unknown key, with the nearest known one when it is a near miss."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(known))})"
    return f"{where}: unknown key {key!r}{hint}"


def _walk(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted key, value) of a table, nested tables and arrays included."""
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _walk(value, name + ".")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{name}[{index}].")
                else:
                    yield f"{name}[{index}]", item
        else:
            yield name, value


def secret_problems(table: Mapping[str, Any], where: str, env: Mapping[str, str]) -> list[str]:
    """Secrets written into the file, at any depth: by key name, or the secret's own value."""
    problems = []
    secret = env.get("CROISSANT_CLIENT_SECRET") or ""
    for name, value in _walk(table):
        leaf = name.rsplit(".", 1)[-1].split("[", 1)[0].lower()
        if leaf.endswith("_env") and isinstance(value, str) and value != secret:
            continue  # names the variable holding a market's credential (checked with the markets)
        if leaf in SECRET_KEYS or any(word in leaf for word in _SECRET_WORDS):
            problems.append(f"{where}: {name} must not be in a file: it looks like a credential, and it would be sent in "
                            "payloads or published; set CROISSANT_CLIENT_ID / CROISSANT_CLIENT_SECRET in the environment")
        elif secret and isinstance(value, str) and (value == secret or (len(secret) >= 8 and secret in value)):
            problems.append(f"{where}: {name} holds the client secret; remove it (the secret is read from CROISSANT_CLIENT_SECRET only)")
    return problems


def find_config(config: Path | None, cwd: Path) -> tuple[Path | None, dict[str, Any]]:
    """The config file and its table: ``--config``, else croissant.toml, else pyproject."""
    if config is not None:
        if not config.is_file():
            raise ConfigError([f"--config {config}: no such file"])
        return config, _read_table(config)
    if (cwd / CONFIG_NAME).is_file():
        return cwd / CONFIG_NAME, _read_table(cwd / CONFIG_NAME)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("croissant-embed")
        if isinstance(table, dict):
            return pyproject, table
    return None, {}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"{path}: cannot be read as TOML ({exc})"]) from exc


def _read_table(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("croissant-embed", {})
    return data


def environment_table(env: Mapping[str, str], problems: list[str]) -> dict[str, Any]:
    """The settings the ``CROISSANT_*`` variables give, shaped like the file's table.

    Lists (include, exclude) are a TOML array or comma-separated; capture and the payload's
    fields and extra are TOML inline tables, e.g. ``CROISSANT_CAPTURE='{ price = ".price" }'``.
    """
    table: dict[str, Any] = {}
    for variable, key in setting_variables().items():
        raw = env.get(variable, "").strip()
        if not raw:
            continue
        name, _, inner = key.partition(".")
        if key in _LIST_KEYS:
            value: Any = _toml_value(variable, raw, problems) if raw.startswith("[") else [p.strip() for p in raw.split(",") if p.strip()]
        elif key in ("capture", "markets") or key in ("payload.fields", "payload.extra"):
            value = _toml_value(variable, raw, problems)
        else:
            value = raw
        if inner:
            table.setdefault(name, {})[inner] = value
        else:
            table[key] = value
    return table


def _toml_value(variable: str, raw: str, problems: list[str]) -> Any:
    """A TOML value (array or inline table) given in an environment variable."""
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{variable}: cannot be read as a TOML value ({exc}); e.g. '{{ price = \".price\" }}' or '[\"a\", \"b\"]'")
        return None


def flatten_tables(values: dict[str, Any], problems: list[str], where: str) -> None:
    for name, known in _TABLE_KEYS.items():
        table = values.get(name)
        if isinstance(table, dict):
            problems += [unknown_key(f"{where}: [{name}]", key, known) for key in table if key not in known]
    placement = values.pop("placement", None)
    if placement is not None:
        if not isinstance(placement, dict):
            problems.append(f"{where}: placement must be a table with selector and position")
        else:
            values["placement_selector"] = placement.get("selector")
            values["placement_position"] = placement.get("position", "after")
    capture = values.pop("capture", None)
    if capture is not None:
        if not isinstance(capture, dict) or not all(isinstance(v, str) for v in capture.values()):
            problems.append(f'{where}: capture must map fields to selectors, e.g. price = ".price"')
        else:
            problems += [unknown_key(f"{where}: [capture]", key, FIELDS) for key in capture if key not in FIELDS]
            values["capture"] = tuple(sorted(capture.items()))
    payload = values.pop("payload", None)
    if payload is not None:
        if not isinstance(payload, dict):
            problems.append(f"{where}: payload must be a table with fields and extra")
            return
        renames = payload.get("fields", {})
        if not isinstance(renames, dict):
            problems.append(f"{where}: payload.fields must be a table such as {{ price = \"amount\" }}")
            renames = {}
        problems += [unknown_key(f"{where}: [payload.fields]", key, PAYLOAD_KEYS) for key in renames if key not in PAYLOAD_KEYS]
        keys = tuple({**PAYLOAD_KEYS, **{k: str(v) for k, v in renames.items() if k in PAYLOAD_KEYS}}.items())
        extra = payload.get("extra", {})
        if not isinstance(extra, dict):
            problems.append(f"{where}: payload.extra must be a table of constant fields")
            extra = {}
        values["payload"] = PayloadShape(keys, tuple(sorted(extra.items())))
