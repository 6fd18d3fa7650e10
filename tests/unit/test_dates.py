"""Dates as the business writes them, and how they are shown."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from office_core.dates import format_date_id, parse_date
from office_core.errors import InvalidDate

SEPT_7 = dt.date(2025, 9, 7)


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("07/09/2025", SEPT_7),
        ("7/9/2025", SEPT_7),
        ("07-09-2025", SEPT_7),
        ("07 September 2025", SEPT_7),
        ("7 Sep 2025", SEPT_7),
        ("7 sept. 2025", SEPT_7),
        ("2025-09-07", SEPT_7),
        ("02 Januari 2025", dt.date(2025, 1, 2)),
        ("17 Mei 2025", dt.date(2025, 5, 17)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        (SEPT_7, SEPT_7),
        (dt.datetime(2025, 9, 7, 23, 59), SEPT_7),
    ],
)
def test_usual_ways_of_writing_a_date_are_read_day_first(typed, date):
    assert parse_date(typed) == date


@pytest.mark.parametrize(
    "typed",
    ["31/02/2025", "29/02/2025", "2025/13/01", "13/13/2025", "kemarin", "", "  ",
     None, float("nan"), "7 Foo 2025", "07/09/25", "1/1/1999"],
)  # fmt: skip
def test_dates_that_do_not_exist_or_are_unclear_are_refused(typed):
    with pytest.raises(InvalidDate):
        parse_date(typed)


@pytest.mark.parametrize(
    "value", [dt.date(1999, 12, 31), dt.datetime(2101, 1, 1, 8, 0)]
)
def test_date_objects_outside_2000_to_2100_are_refused(value):
    with pytest.raises(InvalidDate, match="2000–2100"):
        parse_date(value)


def test_refusal_names_the_field():
    with pytest.raises(InvalidDate, match="Tanggal faktur"):
        parse_date("kemarin", "Tanggal faktur")


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (SEPT_7, "07 September 2025"),
        (dt.date(2025, 1, 2), "02 Januari 2025"),
        (dt.date(2025, 5, 17), "17 Mei 2025"),
        (None, ""),
    ],
)
def test_dates_are_shown_in_indonesian(date, shown):
    assert format_date_id(date) == shown


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_shown_date_reads_back_the_same(date):
    assert parse_date(format_date_id(date)) == date
    assert parse_date(date.strftime("%d/%m/%Y")) == date


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_with_invalid_date(text):
    try:
        date = parse_date(text)
    except InvalidDate:
        return
    assert 2000 <= date.year <= 2100
