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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..currencies import SHARED, SYMBOLS, exponent, is_currency


class PriceError(ValueError):
    """A price that cannot be read; the message says why."""


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_CURRENCY_CODE = re.compile(r"\b([A-Z]{3})\b")
_MAX_MINOR = 10**15
_MAX_DIGITS = 18  # a larger amount is refused before any arithmetic (1e999999999 would overflow)


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


_ALL_SYMBOLS = sorted({*SYMBOLS, *SHARED, "￥"}, key=len, reverse=True)
_ALL_SYMBOL_SET = frozenset(_ALL_SYMBOLS)


def _strip_currency(text: str) -> str:
    text = _CURRENCY_CODE.sub("", text)  # codes first: a letter symbol (the rand's R) must not eat into "EUR"
    for symbol in _ALL_SYMBOLS:
        text = text.replace(symbol, "")
    return text


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
        bare = _SPACES.sub("", text)
        text = bare if _NUMBER.match(bare) else _SPACES.sub("", _strip_currency(text))  # symbols only when there are any
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
    """An ISO 4217 code from ``raw`` (trimmed, upper-cased, or a symbol), or PriceError.

    A shared symbol in structured data (``$``) reads as its usual currency, as it always has.
    """
    text = str(raw or "").strip()
    code = SYMBOLS.get(text) or (SHARED[text][0] if text in SHARED else text.upper())
    if not code:
        raise PriceError("no currency")
    if not is_currency(code):
        raise PriceError(f"unknown currency {raw!r} (expected an ISO 4217 code such as USD)")
    return code


@dataclass(frozen=True)
class ShownPrice:
    """One amount as a page shows it: where it is in the text, its value and its symbol or code."""

    start: int
    end: int
    amount: Decimal
    symbol: str | None


# A currency next to a number, as shops print them: "$20.00", "₹ 87,341.00", "18€", "80,00 €",
# "6 USD", "12.34$", "US$ 19". Letter symbols and codes stand apart from other letters ("kr"
# but not "Skr"; "đ" but not "đồng"); a number never starts or ends inside another. Numbers
# are found first (they start with a digit, which the regex engine finds fast), then a
# currency is looked for right before or right after each.
_WORD_CODES = {"ALL", "CUP", "GEL", "MAD", "PEN", "SOS", "TOP", "TRY"}  # also English words: read only after a number
_SYMBOL_RE = "|".join(re.escape(symbol) for symbol in _ALL_SYMBOLS)
_GAP = r"[ \u00a0\u202f\u2009]?"
_AMOUNT = re.compile(r"(?<!\d)(?<!\d[.,'])(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d{1,2})?|\d+(?:[.,']\d+)*)(?![\d%])")
# a symbol, or three capitals that may be an ISO code (checked after), standing apart from letters
_BEFORE = re.compile(rf"(?<![^\W\d_])(?:{_SYMBOL_RE}|[A-Z]{{3}}){_GAP}$")
_AFTER = re.compile(rf"{_GAP}(?:{_SYMBOL_RE}|[A-Z]{{3}})(?![^\W\d_])(?!\d)")
_CODE_AFTER = re.compile(rf"{_GAP}([A-Z]{{3}})(?![^\W\d_])")
_MINUS = re.compile(r"(?<![^\s(])[-\u2212][ \u00a0]?$")  # a sign, not the dash of a range ("$5-$10")
_LONGEST_BEFORE = max(len(symbol) for symbol in _ALL_SYMBOLS) + 1


def _currency_of(match: re.Match[str] | None, *, before: bool) -> str | None:
    """The symbol or ISO code a match found beside an amount (None: three capitals naming no currency)."""
    if match is None:
        return None
    symbol = match.group().strip(" \u00a0\u202f\u2009")
    if symbol in _ALL_SYMBOL_SET:
        return symbol
    return symbol if is_currency(symbol) and not (before and symbol in _WORD_CODES) else None


def find_prices(text: str) -> list[ShownPrice]:
    """Every amount shown with a currency in ``text`` ("Was $50.00 Now $35.00": both)."""
    found: list[ShownPrice] = []
    taken = 0  # where the last price read ended: a symbol belongs to one price only
    for number in _AMOUNT.finditer(text):
        start, end = number.span()
        before = _BEFORE.search(text, max(taken, start - _LONGEST_BEFORE), start)
        symbol = _currency_of(before, before=True)
        if symbol is not None:
            start = before.start()  # type: ignore[union-attr]
            code = _CODE_AFTER.match(text, end)
            if code and is_currency(code.group(1)):
                symbol = symbol if is_currency(symbol) else code.group(1)  # "$20 USD": the code says which dollar
                end = code.end()
        else:
            after = _AFTER.match(text, end)
            symbol = _currency_of(after, before=False)
            if symbol is None:
                continue
            end = after.end()  # type: ignore[union-attr]
        if _MINUS.search(text, max(0, start - 3), start) and not (found and text[taken:start].strip() in ("-", "\u2212")):
            continue  # "-5 €", "−$5": a discount, not a price (but "$5 - $10" is a range)
        try:
            amount = parse_decimal(number.group())
        except PriceError:
            continue
        found.append(ShownPrice(start, end, amount, symbol))
        taken = end
    return found


def read_amount(text: str) -> Decimal | None:
    """The amount of a text that is only a number ("29.50", "1 250,00"), or None."""
    if not text or len(text) > 40 or not any(ch.isdigit() for ch in text):
        return None
    try:
        return parse_decimal(text)
    except PriceError:
        return None
