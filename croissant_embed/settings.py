"""Settings, validated once: ``croissant.toml`` (or pyproject), then ``CROISSANT_*``, then flags.

Every problem is collected and reported together, each naming its key and the fix. The
client id and secret are read from the environment only and never shown: ``Secret`` masks
itself in every repr and string conversion.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import os
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit

from .api.types import ENVIRONMENTS
from .ci import CIContext, detect
from .contract import FIELDS, PAYLOAD_KEYS, PayloadShape
from .currencies import is_currency
from .errors import ConfigError
from .extract import POSITIONS, ExtractOptions

try:  # Python 3.11+
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "croissant.toml"
STATE_DIR_NAME = ".croissant"
DEFAULT_LOCAL_URL = "http://127.0.0.1:8765/v0"


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
            from .sandbox.embedded import database_path  # the sandbox is only imported when it is used

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
        )


# -- loading -----------------------------------------------------------------------------

_FILE_KEYS = {
    "site_dir", "environment", "api_url", "local_url", "merchant_id", "base_url", "default_currency",
    "include", "exclude", "placement", "quantity_selector", "checkout_selector", "capture", "payload",
    "templates_dir", "concurrency", "timeout", "retries", "max_invalid", "max_drop", "workers", "cart_namespace",
    "checkout_app",
}
_TABLE_KEYS = {"placement": ("selector", "position"), "payload": ("fields", "extra")}
_LIST_KEYS = ("include", "exclude")
ENV_PREFIX = "CROISSANT_"


def variable_of(key: str) -> str:
    """The environment variable of a setting: ``placement.selector`` -> ``CROISSANT_PLACEMENT_SELECTOR``."""
    return ENV_PREFIX + key.replace(".", "_").upper()


def setting_variables() -> dict[str, str]:
    """Every setting's environment variable (tables by their keys; capture as a whole)."""
    keys = [key for key in sorted(_FILE_KEYS) if key not in _TABLE_KEYS]
    keys += [f"{table}.{key}" for table, known in _TABLE_KEYS.items() for key in known]
    return {variable_of(key): key for key in sorted(keys)}
_SECRET_KEYS = {"client_id", "client_secret", "clientid", "clientsecret", "secret", "token", "access_token"}
_SECRET_WORDS = ("secret", "token", "password", "passwd", "api_key", "apikey")
_MAX_TIMEOUT = 300.0


def _unknown(where: str, key: str, known: Any) -> str:
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


def _secret_problems(table: Mapping[str, Any], where: str, env: Mapping[str, str]) -> list[str]:
    """Secrets written into the file, at any depth: by key name, or the secret's own value."""
    problems = []
    secret = env.get("CROISSANT_CLIENT_SECRET") or ""
    for name, value in _walk(table):
        leaf = name.rsplit(".", 1)[-1].split("[", 1)[0].lower()
        if leaf in _SECRET_KEYS or any(word in leaf for word in _SECRET_WORDS):
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

    variables = _environment_table(env, problems)
    problems += _secret_problems(table, where, env) + _secret_problems(variables, "environment", env)
    for key, value in table.items():
        if key.lower() in _SECRET_KEYS:
            continue  # reported above
        if key not in _FILE_KEYS:
            problems.append(_unknown(where, key, _FILE_KEYS))
        else:
            values[key] = value
    for key, value in variables.items():  # the environment overrides the file, key by key within tables
        values[key] = {**values[key], **value} if isinstance(value, dict) and isinstance(values.get(key), dict) else value
    _flatten_tables(values, problems, where)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    if env.get("CROISSANT_CLIENT_ID"):
        values["client_id"] = env["CROISSANT_CLIENT_ID"]
    if env.get("CROISSANT_CLIENT_SECRET"):
        values["client_secret"] = Secret(env["CROISSANT_CLIENT_SECRET"])
    values["ci"] = detect(env)

    settings = _build(root, values, problems)
    if problems:
        raise ConfigError(problems)
    return settings


def _environment_table(env: Mapping[str, str], problems: list[str]) -> dict[str, Any]:
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
        elif key == "capture" or key in ("payload.fields", "payload.extra"):
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


def environment_secret(variable: str = "CROISSANT_CLIENT_SECRET") -> str | None:
    """A secret from the environment, for the few places that need it outside the settings."""
    return os.environ.get(variable) or None


def debug_requested() -> bool:
    """Whether ``CROISSANT_DEBUG`` asks for tracebacks of internal errors."""
    return bool(os.environ.get("CROISSANT_DEBUG"))


def _flatten_tables(values: dict[str, Any], problems: list[str], where: str) -> None:
    for name, known in _TABLE_KEYS.items():
        table = values.get(name)
        if isinstance(table, dict):
            problems += [_unknown(f"{where}: [{name}]", key, known) for key in table if key not in known]
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
            problems += [_unknown(f"{where}: [capture]", key, FIELDS) for key in capture if key not in FIELDS]
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
        problems += [_unknown(f"{where}: [payload.fields]", key, PAYLOAD_KEYS) for key in renames if key not in PAYLOAD_KEYS]
        keys = tuple({**PAYLOAD_KEYS, **{k: str(v) for k, v in renames.items() if k in PAYLOAD_KEYS}}.items())
        extra = payload.get("extra", {})
        if not isinstance(extra, dict):
            problems.append(f"{where}: payload.extra must be a table of constant fields")
            extra = {}
        values["payload"] = PayloadShape(keys, tuple(sorted(extra.items())))


def _build(root: Path, values: dict[str, Any], problems: list[str]) -> Settings:
    known = {f.name for f in fields(Settings)}
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key in known:
            clean[key] = value
    environment = str(clean.get("environment", "local")).strip().lower()
    if environment not in ("local", *ENVIRONMENTS):
        problems.append(f"environment: {environment!r} is not one of local, sandbox, production")
    clean["environment"] = environment
    for key in ("concurrency", "retries", "max_invalid", "workers"):
        if key in clean:
            clean[key] = _int(clean[key], key, problems, minimum=1 if key in ("concurrency", "retries") else 0)
    for key, valid, expected in (
        ("max_drop", lambda n: 0 <= n <= 1, "a fraction from 0 to 1 (0.5 stops a sync when half the products vanish)"),
        ("timeout", lambda n: 0 < n <= _MAX_TIMEOUT, f"a number of seconds above 0 and at most {_MAX_TIMEOUT:g}"),
    ):
        if key in clean:
            number = _float(clean[key])
            if number is None or not math.isfinite(number) or not valid(number):
                problems.append(f"{key}: {values[key]!r} must be {expected}")
            else:
                clean[key] = number
    for key in ("include", "exclude"):
        if key in clean:
            raw = clean[key]
            items = [raw] if isinstance(raw, str) else raw
            if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
                problems.append(f"{key}: must be a list of glob patterns such as \"**/*.html\"")
            else:
                clean[key] = tuple(items)
    if clean.get("cart_namespace"):
        try:
            uuid.UUID(str(clean["cart_namespace"]))
        except ValueError:
            problems.append(f"cart_namespace: {clean['cart_namespace']!r} must be a UUID (cart ids are UUIDv5 under it)")
    for key in ("site_dir", "templates_dir", "checkout_app"):
        if clean.get(key):
            path = Path(str(clean[key])).expanduser()
            clean[key] = path if path.is_absolute() else (root / path)
    if clean.get("default_currency"):
        code = str(clean["default_currency"]).strip().upper()
        if not is_currency(code):
            problems.append(f"default_currency: {clean['default_currency']!r} is not an ISO 4217 code such as USD")
        clean["default_currency"] = code
    for key in ("base_url", "api_url", "local_url"):
        if clean.get(key):
            problems += _url_problems(key, str(clean[key]))
    notices = _target_notices(environment, clean.get("api_url"), problems)
    if notices:
        clean["notices"] = notices
    if clean.get("placement_position", "after") not in POSITIONS:
        problems.append(f"placement.position: {clean['placement_position']!r} must be one of {', '.join(POSITIONS)}")
    if environment in ENVIRONMENTS:
        if not clean.get("client_id") or not clean.get("client_secret"):
            problems.append(f"credentials: environment {environment!r} needs CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET in the environment")
        if not clean.get("merchant_id") or clean.get("merchant_id") == "local-merchant":
            problems.append(f"merchant_id: environment {environment!r} needs your Croissant merchant id (merchant_id or CROISSANT_MERCHANT_ID)")
    elif clean.get("api_url") and (not clean.get("client_id") or not clean.get("client_secret")):
        problems.append("credentials: a custom api_url (or CROISSANT_API_URL) needs CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET "
                        "in the environment")
    if clean.get("site_dir"):
        problems += _site_problems(Path(clean["site_dir"]), root / STATE_DIR_NAME)
    if clean.get("checkout_app") and not Path(clean["checkout_app"]).is_file():
        problems.append(f"checkout_app: {clean['checkout_app']} is not a file (a module with make_app(catalogue, create_cart))")
    if clean.get("templates_dir") and not Path(clean["templates_dir"]).is_dir():
        problems.append(f"templates_dir: {clean['templates_dir']} is not a folder")
    try:
        return Settings(root=root, **clean)
    except TypeError as exc:  # pragma: no cover - a value of the wrong shape slipped through
        problems.append(str(exc))
        return Settings(root=root)


def _site_problems(site: Path, state_dir: Path) -> list[str]:
    """The site folder exists and does not hold the state folder (which must never be deployed)."""
    if not site.is_dir():
        return [f"site_dir: {site} is not a folder"]
    if site.resolve() == state_dir.resolve() or site.resolve() in state_dir.resolve().parents:
        return [f"site_dir: {site} contains the state folder {state_dir.resolve()}; keep croissant.toml outside the site"]
    return []


def _url_problems(key: str, url: str) -> list[str]:
    """An absolute http(s) URL without credentials in it (they would be printed and stored)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [f"{key}: is not a valid URL"]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [f"{key}: {url!r} must be an absolute http(s) URL"]
    if parts.username is not None or parts.password is not None:
        return [f"{key}: must not carry credentials (user:password@host); the API takes CROISSANT_CLIENT_ID / "
                "CROISSANT_CLIENT_SECRET from the environment"]
    return []


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _target_notices(environment: str, api_url: Any, problems: list[str]) -> tuple[str, ...]:
    """A custom API URL in a sandbox or production build: a warning, or a refusal.

    The API URL also becomes the components' ``pricing-url`` in the published pages, so a
    production build must never point shoppers' browsers at a loopback or plain-http address.
    """
    if environment not in ENVIRONMENTS or not api_url:
        return ()
    url = str(api_url)
    host = urlsplit(url).hostname or ""
    if environment == "production" and (url.startswith("http://") or _is_loopback(host)):
        problems.append(
            f"api_url: {url!r} is a loopback or plain-http address, and production pages would fetch prices from it; "
            "unset CROISSANT_API_URL / api_url for production (or build with environment = \"local\")"
        )
        return ()
    return (f"environment {environment!r} uses the custom API URL {url} (from api_url or CROISSANT_API_URL) instead of "
            f"{ENVIRONMENTS[environment]}: products go there and published pages fetch prices from it",)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any, key: str, problems: list[str], *, minimum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        problems.append(f"{key}: {value!r} must be a whole number")
        return minimum
    if number < minimum:
        problems.append(f"{key}: {number} must be at least {minimum}")
    return number
