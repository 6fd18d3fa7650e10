"""Expiry dates of subscriptions and the status they have on a given day."""

import datetime as dt

import pytest

from office_core.dates import expiry_date
from office_core.monitoring import ACTIVE, EXPIRED, EXPIRING, RENEWED, status_of

D = dt.date


@pytest.mark.parametrize(
    ("invoice", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 9, 7), 3, D(2025, 12, 7)),
        (D(2025, 9, 7), 12, D(2026, 9, 7)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2023, 2, 28), 12, D(2024, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 1, 1), 36, D(2028, 1, 1)),
    ],
)
def test_expiry_is_invoice_date_plus_months_clamped_to_month_end(
    invoice, months, expected
):
    assert expiry_date(invoice, months) == expected


def test_expiry_is_computed_from_the_invoice_date_not_by_chaining_months():
    chained = expiry_date(expiry_date(D(2025, 1, 31), 1), 1)

    assert expiry_date(D(2025, 1, 31), 2) == D(2025, 3, 31)
    assert chained == D(2025, 3, 28)


@pytest.mark.parametrize("months", range(1, 37))
def test_expiry_never_lands_before_the_same_day_number_of_its_month(months):
    invoice = D(2025, 1, 31)
    expires = expiry_date(invoice, months)

    assert (expires.year - invoice.year) * 12 + expires.month - invoice.month == months
    assert expires.day == min(31, _last_day(expires.year, expires.month))


def _last_day(year: int, month: int) -> int:
    following = D(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


ON = D(2025, 10, 1)


@pytest.mark.parametrize(
    ("expires_on", "expected"),
    [
        (ON - dt.timedelta(days=30), EXPIRED),
        (ON - dt.timedelta(days=1), EXPIRED),
        (ON, EXPIRING),
        (ON + dt.timedelta(days=1), EXPIRING),
        (ON + dt.timedelta(days=7), EXPIRING),
        (ON + dt.timedelta(days=8), ACTIVE),
        (ON + dt.timedelta(days=365), ACTIVE),
    ],
)
def test_status_boundaries_with_the_default_seven_days(expires_on, expected):
    assert status_of(expires_on, renewed=False, on=ON, soon_days=7) == expected


def test_a_subscription_ending_today_is_expiring_not_expired():
    assert status_of(ON, renewed=False, on=ON, soon_days=0) == EXPIRING
    assert status_of(ON + dt.timedelta(days=1), False, ON, 0) == ACTIVE


def test_threshold_setting_moves_the_expiring_boundary():
    expires = ON + dt.timedelta(days=20)

    assert status_of(expires, False, ON, soon_days=7) == ACTIVE
    assert status_of(expires, False, ON, soon_days=20) == EXPIRING
    assert status_of(expires, False, ON, soon_days=19) == ACTIVE


@pytest.mark.parametrize("offset", [-400, -1, 0, 3, 400])
def test_a_renewed_subscription_is_renewed_whatever_its_expiry(offset):
    expires = ON + dt.timedelta(days=offset)

    assert status_of(expires, renewed=True, on=ON, soon_days=7) == RENEWED
