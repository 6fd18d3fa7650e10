"""Rupiah amounts: what people type is read exactly, or refused."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from office_core.errors import InvalidAmount
from office_core.money import MAX_AMOUNT, format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("Rp 1.500.000", 1_500_000),
        ("Rp150.000,00", 150_000),
        ("150000", 150_000),
        ("150.000", 150_000),
        ("Rp 5.000", 5_000),
        ("1,5jt", 1_500_000),
        ("150rb", 150_000),
        ("Rp 1.500.000,-", 1_500_000),
        ("IDR 150000", 150_000),
        ("  Rp. 75.000  ", 75_000),
        (150_000, 150_000),
        (150_000.0, 150_000),
        (Decimal("150000.00"), 150_000),
    ],
)
def test_usual_ways_of_writing_rupiah_are_read(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        "150,000",  # thousands with a comma: 150 or 150000? never guess
        "1.50",
        "2.500.000,50",
        "abc",
        "Rp",
        "",
        "   ",
        None,
        "1e5",
        "²",
        "1" * 5000,
        "\u0661\u0662",  # Arabic-Indic digits: \\d and int() read them as 12
        "\uff15\uff10\uff10",  # fullwidth 500
        "1_000",
        "1.000_000",
    ],
)
def test_unclear_text_is_refused(typed):
    with pytest.raises(InvalidAmount):
        parse_rupiah(typed)


@pytest.mark.parametrize("typed", ["-5000", "Rp -5.000", -1, -1.0, Decimal("-3")])
def test_negative_amounts_are_refused_as_negative(typed):
    with pytest.raises(InvalidAmount, match="negatif"):
        parse_rupiah(typed)


@pytest.mark.parametrize(
    "typed",
    [MAX_AMOUNT + 1, "99999999999999999", 1e300, Decimal("1e999999999")],
)
def test_absurdly_large_amounts_are_refused(typed):
    with pytest.raises(InvalidAmount, match="terlalu besar"):
        parse_rupiah(typed)


def test_the_largest_allowed_amount_is_accepted():
    assert parse_rupiah(MAX_AMOUNT) == MAX_AMOUNT


@pytest.mark.parametrize("typed", [1.5, 150_000.25, Decimal("1.5")])
def test_amounts_with_cents_are_refused(typed):
    with pytest.raises(InvalidAmount, match="bulat"):
        parse_rupiah(typed)


@pytest.mark.parametrize(
    "typed", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("sNaN")]
)
def test_not_a_number_is_refused(typed):
    with pytest.raises(InvalidAmount):
        parse_rupiah(typed)


@pytest.mark.parametrize("typed", [True, False])
def test_booleans_are_not_amounts(typed):
    with pytest.raises(InvalidAmount):
        parse_rupiah(typed)


def test_refusal_names_the_field_and_the_value():
    with pytest.raises(InvalidAmount) as refused:
        parse_rupiah("abc", "Harga")
    assert "Harga" in refused.value.message
    assert "abc" in refused.value.message


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(170_000, "Rp170.000"), (0, "Rp0"), (1_500_000, "Rp1.500.000"), (999, "Rp999")],
)
def test_amounts_are_shown_the_indonesian_way(amount, shown):
    assert format_rupiah(amount) == shown


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_a_shown_amount_reads_back_the_same(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_plain_digits_read_back_the_same(amount):
    assert parse_rupiah(str(amount)) == amount


@given(st.text(max_size=60))
def test_any_text_is_read_or_refused_with_invalid_amount(text):
    try:
        amount = parse_rupiah(text)
    except InvalidAmount:
        return
    assert isinstance(amount, int)
    assert 0 <= amount <= MAX_AMOUNT
