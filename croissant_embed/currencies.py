"""ISO 4217 currency codes in use, their minor-unit exponents, and the symbols prices show.

Exponents are ISO 4217's, which the Croissant API's minor units follow (CLDR, and so Babel,
rounds some currencies differently for display: IDR and HUF to 0 places, IQD to 0).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

_TWO_DECIMALS = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD
MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP
PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG
"""
_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_FOUR_DECIMALS = "CLF UYW"

EXPONENTS: dict[str, int] = {
    **{code: 2 for code in _TWO_DECIMALS.split()},
    **{code: 0 for code in _ZERO_DECIMALS.split()},
    **{code: 3 for code in _THREE_DECIMALS.split()},
    **{code: 4 for code in _FOUR_DECIMALS.split()},
}

SYMBOLS: dict[str, str] = {
    "€": "EUR", "£": "GBP", "₹": "INR", "₫": "VND", "đ": "VND", "đồng": "VND", "VNĐ": "VND", "₩": "KRW", "₽": "RUB", "₺": "TRY",
    "₪": "ILS", "₱": "PHP", "฿": "THB", "₴": "UAH", "₦": "NGN", "₸": "KZT", "₾": "GEL", "₼": "AZN",
    "৳": "BDT", "₮": "MNT", "₭": "LAK", "៛": "KHR", "₲": "PYG", "₡": "CRC", "₵": "GHS", "元": "CNY",
    "円": "JPY", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "lei": "RON", "Rp": "IDR", "RM": "MYR",
    "R": "ZAR", "KSh": "KES", "E£": "EGP", "S/": "PEN", "R$": "BRL", "US$": "USD", "C$": "CAD",
    "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "MX$": "MXN",
    "NT$": "TWD", "CHF": "CHF", "Fr.": "CHF",
}
"""Symbols that name one currency as prices show them (``£`` is GBP, ``đ`` the dong)."""

SHARED: dict[str, tuple[str, ...]] = {
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "UYU", "DOP",
          "CUP", "BSD", "BBD", "BZD", "BMD", "BND", "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD",
          "SRD", "TTD", "XCD"),
    "¥": ("JPY", "CNY"),
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "kr.": ("DKK", "ISK"),
    "Rs": ("INR", "PKR", "LKR", "NPR", "MUR", "SCR"),
    "Rs.": ("INR", "PKR", "LKR", "NPR", "MUR", "SCR"),
    "₨": ("INR", "PKR", "LKR", "NPR", "MUR", "SCR"),
}
"""Symbols several currencies show, each with the currencies that use it."""

GUESSES: dict[str, str] = {"$": "USD"}
"""What a shared symbol is read as when nothing else tells (a guess, recorded as one)."""

CurrencySource = Literal["visible", "default_currency", "locale", "guessed"]


@dataclass(frozen=True)
class CurrencyChoice:
    """A currency inferred for a page whose data states none, and what decided it."""

    code: str
    source: CurrencySource
    symbol: str | None = None


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 code in use (upper case)."""
    return code in EXPONENTS


def exponent(code: str) -> int:
    """Minor-unit exponent of ``code`` (2 for USD, 0 for JPY, 3 for KWD)."""
    return EXPONENTS[code]


def symbol_currency(symbol: str) -> str | None:
    """The one currency an ISO code or unambiguous symbol names (None for ``$``, ``kr``...)."""
    if is_currency(symbol):
        return symbol
    return SYMBOLS.get(symbol.replace("￥", "¥"))


def choose_currency(symbol: str | None, *, default_currency: str | None, regions: tuple[str, ...] = ()) -> CurrencyChoice | None:
    """The currency of a price shown with ``symbol`` (None when none can be told).

    A code or unambiguous symbol decides; a shared one (``$``) is settled by
    ``default_currency``, then by the currency of a region the page declares (``en-CA``),
    then read as its usual currency, which is recorded as ``guessed``.
    """
    named = symbol_currency(symbol) if symbol else None
    if named:
        return CurrencyChoice(named, "visible", symbol)
    if default_currency:
        return CurrencyChoice(default_currency, "default_currency", symbol)
    users = SHARED.get((symbol or "").replace("￥", "¥"), ())
    for region in regions:
        local = next((code for code in territory_currencies(region) if code in users), None)
        if local:
            return CurrencyChoice(local, "locale", symbol)
    guess = GUESSES.get(symbol or "")
    return CurrencyChoice(guess, "guessed", symbol) if guess else None


@functools.lru_cache(maxsize=64)
def territory_currencies(region: str) -> tuple[str, ...]:
    """Currencies legal tender today in a region (``AU`` -> AUD), from CLDR through Babel.

    Babel is imported here, on first use: most pages state their currency.
    """
    from babel.numbers import get_territory_currencies

    try:
        return tuple(get_territory_currencies(region.upper()))
    except Exception:  # an unknown region: CLDR raises for some malformed codes
        return ()
