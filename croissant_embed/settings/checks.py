"""Checking settings values: each problem collected with its key and its fix, values converted.

``checked_values`` turns the merged raw values into what :class:`~.Settings` holds, or adds a
problem for each value that cannot be used (ranges, URLs, paths, currencies, credentials).
"""

from __future__ import annotations

import ipaddress
import math
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..api.types import ENVIRONMENTS
from ..currencies import is_currency
from ..extract import POSITIONS

MAX_TIMEOUT = 300.0
VARIANT_MODES = ("each", "group")
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
"""A BCP 47 language tag, roughly: a primary language, then subtags (region, script, variant)."""

def checked_values(root: Path, values: dict[str, Any], problems: list[str], *, known: set[str], state_dir_name: str) -> dict[str, Any]:
    """The values the settings keep, converted; every problem found is added to ``problems``."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key in known:
            clean[key] = value
    environment = str(clean.get("environment", "local")).strip().lower()
    if environment not in ("local", *ENVIRONMENTS):
        problems.append(f"environment: {environment!r} is not one of local, sandbox, production")
    clean["environment"] = environment
    for key in ("concurrency", "retries", "max_invalid", "max_unplaced", "workers"):
        if key in clean:
            clean[key] = _int(clean[key], key, problems, minimum=1 if key in ("concurrency", "retries") else 0)
    for key, valid, expected in (
        ("max_drop", lambda n: 0 <= n <= 1, "a fraction from 0 to 1 (0.5 stops a sync when half the products vanish)"),
        ("timeout", lambda n: 0 < n <= MAX_TIMEOUT, f"a number of seconds above 0 and at most {MAX_TIMEOUT:g}"),
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
    if clean.get("default_language") is not None:
        tag = str(clean["default_language"]).strip().replace("_", "-").lower()
        if not _LANGUAGE_TAG.fullmatch(tag):
            problems.append(f"default_language: {clean['default_language']!r} is not a language tag such as \"en\" or \"fr-CA\" "
                            "(as pages declare it in <html lang>)")
        clean["default_language"] = tag
    for key in ("base_url", "api_url", "local_url"):
        if clean.get(key):
            problems += _url_problems(key, str(clean[key]))
    notices = _target_notices(environment, clean.get("api_url"), problems)
    if notices:
        clean["notices"] = notices
    if "variants" in clean:
        clean["variants"] = str(clean["variants"]).strip().lower()
        if clean["variants"] not in VARIANT_MODES:
            problems.append(f"variants: {values['variants']!r} must be \"each\" (every variant with its own id is a product) "
                            "or \"group\" (a product group is one product, as stores selling variants under one id need)")
    if "variant_selector" in clean and (not isinstance(clean["variant_selector"], str) or not clean["variant_selector"].strip()):
        problems.append("variant_selector: must be a CSS selector of the page's variant controls, such as \"select[name=size]\"")
    if clean.get("placement_position", "after") not in POSITIONS:
        problems.append(f"placement.position: {clean['placement_position']!r} must be one of {', '.join(POSITIONS)}")
    if environment in ENVIRONMENTS:
        if not clean.get("client_id") or not clean.get("client_secret"):
            problems.append(f"credentials: environment {environment!r} needs CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET in the environment")
        if not clean.get("merchant_id") or clean.get("merchant_id") == "local-merchant":
            problems.append(f"merchant_id: environment {environment!r} needs your Croissant merchant id (merchant_id or CROISSANT_MERCHANT_ID)")
        for market in clean.get("markets", ()):
            if market.client_id_env and (not market.client_id or not market.client_secret):
                problems.append(f"markets ({market.name}): environment {environment!r} needs {market.client_id_env} and "
                                f"{market.client_secret_env} in the environment (the credentials of merchant {market.merchant_id or clean.get('merchant_id')!r})")
    elif clean.get("api_url") and (not clean.get("client_id") or not clean.get("client_secret")):
        problems.append("credentials: a custom api_url (or CROISSANT_API_URL) needs CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET "
                        "in the environment")
    if clean.get("site_dir"):
        problems += _site_problems(Path(clean["site_dir"]), root / state_dir_name)
    if clean.get("checkout_app") and not Path(clean["checkout_app"]).is_file():
        problems.append(f"checkout_app: {clean['checkout_app']} is not a file (a module with make_app(catalogue, create_cart))")
    if clean.get("templates_dir") and not Path(clean["templates_dir"]).is_dir():
        problems.append(f"templates_dir: {clean['templates_dir']} is not a folder")
    return clean


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
