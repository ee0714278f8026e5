"""Prices become integer minor units exactly, or a clear refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from croissant_embed.currencies import EXPONENTS
from croissant_embed.extract.prices import PriceError, format_minor, normalise_currency, to_minor_units


@pytest.mark.parametrize(
    ("raw", "currency", "minor"),
    [
        ("1,299.00", "USD", 129900),
        ("1.299,00", "EUR", 129900),
        ("339,000", "USD", 33900000),
        ("$19.99", "USD", 1999),
        ("19,99 €", "EUR", 1999),
        ("1 299,50", "EUR", 129950),
        ("1\u202f299,50", "EUR", 129950),
        ("1'299.00", "CHF", 129900),
        ("CHF 45", "CHF", 4500),
        ("30.00 EUR", "EUR", 3000),  # the rand's symbol R must not eat into the code
        ("EUR 30,00", "EUR", 3000),
        ("\u0661\u0662\u0663", "USD", 12300),
        ("1200", "JPY", 1200),
        ("0.125", "KWD", 125),
        (Decimal("12.50"), "USD", 1250),
        (7, "USD", 700),
    ],
)
def test_prices_in_many_notations_become_minor_units(raw, currency, minor):
    assert to_minor_units(raw, currency) == minor


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Free", "not a price"),
        ("-5", "negative"),
        ("1e309", "not a price"),
        ("", "empty"),
        ("  ", "empty"),
        ("12.3.4", "uneven"),
        (12.5, "float"),
        (None, "no price"),
        ("1.0.00,0", "mixes"),
    ],
)
def test_unreadable_prices_are_refused_with_a_reason(raw, reason):
    with pytest.raises(PriceError, match=reason):
        to_minor_units(raw, "USD")


def test_structured_data_reads_dot_as_the_decimal_mark():
    assert to_minor_units("12.34", "USD", machine=True) == 1234
    with pytest.raises(PriceError, match="more decimals than USD"):
        to_minor_units("12.345", "USD", machine=True)
    assert to_minor_units("12.345", "KWD", machine=True) == 12345


def test_unknown_currencies_are_refused():
    with pytest.raises(PriceError, match="unknown currency"):
        to_minor_units("10", "XYZ")
    with pytest.raises(PriceError, match="unknown currency"):
        normalise_currency("dollars")
    assert normalise_currency(" eur ") == "EUR"
    assert normalise_currency("€") == "EUR"


@given(currency=st.sampled_from(sorted(EXPONENTS)), minor=st.integers(min_value=0, max_value=10**12))
def test_price_text_round_trips_for_every_currency_exponent(currency, minor):
    text = format_minor(minor, currency)
    assert to_minor_units(text, currency, machine=True) == minor
    assert to_minor_units(Decimal(text), currency) == minor
