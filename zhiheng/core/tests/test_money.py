"""Money is exact: decimal strings in, two places out, never a float."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiheng.core.money import MoneyError, format_yuan, parse_yuan, yuan_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("49800.00", Decimal("49800.00")),
        ("49800", Decimal("49800.00")),
        (50000, Decimal("50000.00")),
        ("1,234.5", Decimal("1234.50")),
        (" 0.01 ", Decimal("0.01")),
    ],
)
def test_parses_decimal_strings(raw, expected):
    assert parse_yuan(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        *(49800.0, "abc", "-1", "NaN", "Infinity", "0.001", "1e20", ""),
        # issue 10: no bool as ¥1.00, no exponents, no non-ASCII digits, no overflow past MAX_DIGITS
        *(True, False, "1e5", "1e309", "１２３", "١٢٣", "1" + "0" * 30, 10**30, None, [], "1,23", "-0"),
    ],
)
def test_refuses_floats_garbage_negatives_and_subcent(raw):
    with pytest.raises(MoneyError):
        parse_yuan(raw)


@given(st.decimals(min_value=0, max_value=Decimal("99999999999999.99"), places=2))
def test_round_trips_through_the_api_string(amount):
    assert parse_yuan(yuan_str(amount)) == amount


def test_display():
    assert format_yuan(Decimal("2960000000")) == "¥2,960,000,000.00"
    assert format_yuan(None) == "—"
