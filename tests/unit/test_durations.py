"""Subscription durations in whole months, 1 to 36."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from office_core.durations import MAX_MONTHS, check_months, parse_duration
from office_core.errors import InvalidDuration


@pytest.mark.parametrize(
    ("typed", "months"),
    [
        ("3 bulan", 3),
        ("3 bln", 3),
        ("3bln", 3),
        ("1 tahun", 12),
        ("1 thn", 12),
        ("12 Bulan", 12),
        ("3 tahun", 36),
        (6, 6),
        ("6", 6),
        (6.0, 6),
        ("36", 36),
        ("1", 1),
    ],
)
def test_durations_as_typed_at_the_counter_are_read_in_months(typed, months):
    assert parse_duration(typed) == months


@pytest.mark.parametrize(
    "typed",
    [0, "0", 37, "37", "4 tahun", -1, "seumur hidup", 1.5, "1,5 bulan", "", None,
     True, float("nan"), "3 minggu"],
)  # fmt: skip
def test_durations_outside_one_to_36_months_or_unclear_are_refused(typed):
    with pytest.raises(InvalidDuration):
        parse_duration(typed)


def test_refusal_gives_the_allowed_range():
    with pytest.raises(InvalidDuration, match="1–36"):
        check_months(37)


@given(st.integers(min_value=1, max_value=MAX_MONTHS))
def test_every_month_count_in_range_is_accepted(months):
    assert parse_duration(f"{months} bulan") == months


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_with_invalid_duration(text):
    try:
        months = parse_duration(text)
    except InvalidDuration:
        return
    assert 1 <= months <= MAX_MONTHS


@pytest.mark.parametrize("typed", ["\u0663", "\u0663 bulan", "1_2", "\uff13 bln"])
def test_a_duration_is_written_in_ascii_digits(typed):
    with pytest.raises(InvalidDuration):
        parse_duration(typed)
