"""Reading prices as integer minor units, with ``Decimal`` and never a float.

Accepted: ``1299``, ``1,299.00``, ``1.299,00``, ``1 299,00``, ``1'299.00``, ``339,000``
(a lone separator followed by exactly three digits groups thousands), currency symbols and
codes around the number, and any Unicode decimal digits (``١٢٣``). Refused with a reason:
words (``Free``), negative amounts, exponents (``1e309``), more decimals than the currency
has, and empty text.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..currencies import SYMBOLS, exponent, is_currency


class PriceError(ValueError):
    """A price that cannot be read; the message says why."""


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_CURRENCY_CODE = re.compile(r"\b([A-Z]{3})\b")
_MAX_MINOR = 10**15
_MAX_DIGITS = 18  # a larger amount is refused before any arithmetic (1e999999999 would overflow)


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _strip_currency(text: str) -> str:
    for symbol in sorted(SYMBOLS, key=len, reverse=True):
        text = text.replace(symbol, "")
    return _CURRENCY_CODE.sub("", text)


_PLAIN_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")


def parse_decimal(raw: object, *, machine: bool = False) -> Decimal:
    """The amount in ``raw`` (a string, an int or a Decimal) as a Decimal in major units.

    ``machine`` marks structured data (JSON-LD, microdata, attributes), where schema.org
    makes ``.`` the decimal mark: ``12.345`` is then twelve and a bit, not twelve thousand.
    """
    if isinstance(raw, bool) or raw is None:
        raise PriceError("no price")
    if isinstance(raw, float):
        raise PriceError("a float price cannot be read exactly; give it as text")
    if isinstance(raw, (int, Decimal)):
        amount = Decimal(raw)
        if not amount.is_finite():
            raise PriceError(f"{raw!r} is not a finite amount")
    else:
        text = _ascii_digits(str(raw)).strip()
        if not text:
            raise PriceError("the price is empty")
        text = _SPACES.sub("", _strip_currency(text))
        if text.startswith(("-", "\u2212")) or text.endswith("-"):
            raise PriceError(f"negative price {raw!r}")
        text = text.lstrip("+")
        if not _NUMBER.match(text):
            raise PriceError(f"{raw!r} is not a price (expected digits such as 1,299.00)")
        plain = machine and _PLAIN_DECIMAL.match(text)
        amount = Decimal(text if plain else _normalise_separators(text))
    if amount < 0:
        raise PriceError(f"negative price {raw!r}")
    if amount and amount.adjusted() >= _MAX_DIGITS:
        raise PriceError(f"{_short(raw)} is implausibly large")
    return amount


def _short(raw: object) -> str:
    """``raw`` for a message, cut short (a hostile page may give a million digits)."""
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _normalise_separators(text: str) -> str:
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        integer, _, fraction = text.rpartition(decimal_mark)
        if group_mark in fraction or integer.count(decimal_mark):
            raise PriceError(f"{text!r} mixes separators")
        groups = integer.split(group_mark)
        if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
            raise PriceError(f"{text!r} mixes separators with uneven digit groups")
        return integer.replace(group_mark, "") + "." + fraction
    mark = "." if dots else "," if commas else ""
    if not mark:
        return text
    parts = text.split(mark)
    if len(parts) > 2:  # 1.299.000 / 1,299,000: grouping only
        if any(len(part) != 3 for part in parts[1:]):
            raise PriceError(f"{text!r} has uneven digit groups")
        return "".join(parts)
    integer, fraction = parts
    if len(fraction) == 3 and integer not in ("", "0"):
        return integer + fraction  # 339,000 / 1.299: a thousands group
    return integer + "." + fraction


def to_minor_units(raw: object, currency: str, *, machine: bool = False) -> int:
    """``raw`` in the minor units of ``currency`` (cents for USD, yen for JPY)."""
    if not is_currency(currency):
        raise PriceError(f"unknown currency {currency!r} (expected an ISO 4217 code such as USD)")
    amount = parse_decimal(raw, machine=machine)
    places = exponent(currency)
    try:
        minor = amount.scaleb(places)
    except InvalidOperation as exc:  # pragma: no cover - guarded by parse_decimal
        raise PriceError(f"{raw!r} is not a price") from exc
    if minor != minor.to_integral_value():
        raise PriceError(f"{raw!r} has more decimals than {currency} has ({places})")
    if minor > _MAX_MINOR:
        raise PriceError(f"{raw!r} is implausibly large")
    return int(minor)


def format_minor(minor: int, currency: str) -> str:
    """``minor`` units of ``currency`` as a plain decimal string (``1299.00``)."""
    places = exponent(currency)
    return str(Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def normalise_currency(raw: object) -> str:
    """An ISO 4217 code from ``raw`` (trimmed, upper-cased), or PriceError."""
    code = str(raw or "").strip().upper()
    if not code:
        raise PriceError("no currency")
    if code in SYMBOLS:
        code = SYMBOLS[code]
    if not is_currency(code):
        raise PriceError(f"unknown currency {raw!r} (expected an ISO 4217 code such as USD)")
    return code


def sniff_currency(text: str) -> str | None:
    """The currency a visible price text names by code or unambiguous symbol, if any."""
    match = _CURRENCY_CODE.search(text)
    if match and is_currency(match.group(1)):
        return match.group(1)
    for symbol in sorted(SYMBOLS, key=len, reverse=True):
        if symbol in text:
            return SYMBOLS[symbol]
    return None
