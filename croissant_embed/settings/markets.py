"""Markets: sections of a site that sell in their own currency, through their own merchant, under their own ids.

``[[markets]]`` tables in croissant.toml, each with a ``path`` glob (relative to the site,
e.g. ``"fr/**"``), its ``currency``, its ``merchant_id``, an ``id_template`` (``"{id}-eur"``)
and, where merchants differ, the names of the environment variables holding its
credentials. Pages no market's path matches are the ``default`` market, which the
top-level settings describe. Each market syncs on its own, with its own state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..contract import DEFAULT_MARKET
from ..currencies import is_currency
from ..discover import glob_regex
from .secret import Secret
MARKET_KEYS = ("name", "path", "currency", "merchant_id", "id_template", "client_id_env", "client_secret_env")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ID = "{id}"


__all__ = ["DEFAULT_MARKET", "Market", "checked_markets", "market_of"]


@dataclass(frozen=True)
class Market:
    """One ``[[markets]]`` table, checked, with its credentials read from the variables it names."""

    name: str
    path: str
    currency: str | None = None
    merchant_id: str | None = None
    id_template: str = ID
    client_id_env: str | None = None
    client_secret_env: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = field(default=None, repr=False)

    def product_id(self, page_id: str) -> str:
        """The id a product of the page has in this market (``{id}`` replaced by the page's id)."""
        return self.id_template.replace(ID, page_id)

    def holds(self, rel_path: str) -> bool:
        """Whether the page at ``rel_path`` (relative to the site) belongs to this market."""
        return bool(glob_regex(self.path).match(rel_path))


def market_of(rel_path: str, markets: tuple[Market, ...]) -> Market | None:
    """The first market whose path matches the page, or None for the default market."""
    return next((market for market in markets if market.holds(rel_path)), None)


def checked_markets(raw: Any, where: str, env: Mapping[str, str], problems: list[str]) -> tuple[Market, ...]:
    """The ``[[markets]]`` tables as markets; each problem names the market, the key and the fix."""
    if not isinstance(raw, list) or not all(isinstance(table, dict) for table in raw):
        problems.append(f'{where}: markets must be [[markets]] tables, each with path = "fr/**" and currency = "EUR"')
        return ()
    markets: list[Market] = []
    for index, table in enumerate(raw):
        label = f"{where}: markets[{index}]" + (f" ({table['name']})" if isinstance(table.get("name"), str) else "")
        before = len(problems)
        problems += [f"{label}: unknown key {key!r} (known: {', '.join(MARKET_KEYS)})" for key in table if key not in MARKET_KEYS]
        path = table.get("path")
        if not isinstance(path, str) or not path.strip():
            problems.append(f'{label}: path must be a glob of the market\'s pages, relative to the site, such as "fr/**"')
            path = ""
        name = table.get("name", path.split("/", 1)[0] if path else "")
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name == DEFAULT_MARKET:
            problems.append(f"{label}: name {name!r} must be lower-case letters, digits, - or _ (and not {DEFAULT_MARKET!r})")
        currency = table.get("currency")
        if currency is not None:
            currency = str(currency).strip().upper()
            if not is_currency(currency):
                problems.append(f"{label}: currency {table['currency']!r} is not an ISO 4217 code such as EUR")
        template = table.get("id_template", ID)
        if not isinstance(template, str) or template.count(ID) != 1 or template.replace(ID, "").count("{") or template.replace(ID, "").count("}"):
            problems.append(f'{label}: id_template {template!r} must hold {ID} once, such as "{ID}-eur"')
        credentials = _credentials(table, label, env, problems)
        if len(problems) == before:
            markets.append(Market(name, path.strip(), currency, _text(table.get("merchant_id")), template,
                                  table.get("client_id_env"), table.get("client_secret_env"), *credentials))
    names = [market.name for market in markets]
    problems += [f"{where}: two markets are named {name!r}; give each its own name" for name in sorted({n for n in names if names.count(n) > 1})]
    return tuple(markets)


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _credentials(table: Mapping[str, Any], label: str, env: Mapping[str, str], problems: list[str]) -> tuple[str | None, Secret | None]:
    """The market's client id and secret, from the environment variables its table names."""
    names = [table.get("client_id_env"), table.get("client_secret_env")]
    if names == [None, None]:
        return None, None
    if None in names:
        problems.append(f"{label}: give both client_id_env and client_secret_env (the names of the variables holding its credentials)")
        return None, None
    if not all(isinstance(name, str) and _VARIABLE.fullmatch(name) for name in names):
        problems.append(f"{label}: client_id_env and client_secret_env must name environment variables, such as "
                        '"CROISSANT_EU_CLIENT_ID", never hold the credentials themselves')
        return None, None
    client_id, secret = env.get(names[0]) or None, env.get(names[1]) or None
    return client_id, Secret(secret) if secret else None
