"""Figures for management, aggregated by the database.

Every function groups in SQL and returns a few rows per day and platform at
most, whatever the number of sales: pandas only folds days into weeks or
months and lays the rows out for the charts.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from office_core.dates import today
from office_core.models import Platform, Sale, SaleLine, Subscription, Withdrawal
from office_core.sales import COMPLETED

DAY, WEEK, MONTH = "day", "week", "month"
GRAINS = (DAY, WEEK, MONTH)
TOP_PRODUCTS = 10
SOON_DAYS = 7
# Weeks after the period (or after today) that the expiry chart looks ahead.
WEEKS_AHEAD = 8


@dataclass(frozen=True)
class Period:
    """A range of days, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """Return the period of the same length that ends the day before."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


@dataclass(frozen=True)
class Kpis:
    """The headline figures of one period."""

    revenue: int
    sales: int
    withdrawn: int
    active_subscriptions: int
    expiring_soon: int

    @property
    def average_sale(self) -> int:
        return self.revenue // self.sales if self.sales else 0


def kpis(session: Session, period: Period, on: dt.date | None = None) -> Kpis:
    """Return the period's figures; subscriptions are counted as of its end.

    A period that runs past `on` (today by default) counts subscriptions as of
    `on`, so "expiring soon" means the coming week, not a week in the future.
    """
    revenue, sales = _sales_totals(session, period)
    active, expiring = _count_subscriptions(session, min(period.end, on or today()))
    return Kpis(
        revenue=revenue,
        sales=sales,
        withdrawn=_withdrawn(session, period),
        active_subscriptions=active,
        expiring_soon=expiring,
    )


def _sales_totals(session: Session, period: Period) -> tuple[int, int]:
    query = select(func.coalesce(func.sum(Sale.total), 0), func.count(Sale.id))
    revenue, count = session.execute(_completed(query, period)).one()
    return int(revenue), int(count)


def _withdrawn(session: Session, period: Period) -> int:
    query = select(func.coalesce(func.sum(Withdrawal.amount), 0))
    return int(session.scalar(_live_withdrawals(query, period)))


def _count_subscriptions(session: Session, day: dt.date) -> tuple[int, int]:
    """Count live subscriptions running on `day`, and those ending within a week."""
    soon = day + dt.timedelta(days=SOON_DAYS)
    ending = func.sum(case((Subscription.expires_on <= soon, 1), else_=0))
    query = _live_subscriptions(select(func.count(Subscription.id), ending)).where(
        Subscription.starts_on <= day, Subscription.expires_on >= day
    )
    active, expiring = session.execute(query).one()
    return int(active), int(expiring or 0)


def revenue_by_platform(session: Session, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Return platform, number of sales and revenue for completed sales."""
    query = _completed(
        select(
            Platform.name.label("platform"),
            func.count(Sale.id).label("sales"),
            func.coalesce(func.sum(Sale.total), 0).label("revenue"),
        ).join(Sale.platform),
        Period(start, end),
    )
    query = query.group_by(Platform.id, Platform.name).order_by(Platform.id)
    return _frame(session, query, {"sales": "int64", "revenue": "int64"})


def revenue_over_time(
    session: Session, period: Period, grain: str = DAY
) -> pd.DataFrame:
    """Return revenue per day, week or month and platform: bucket, platform, amount."""
    return _over_time(
        session, (Sale.sold_on, Sale.total, Sale.platform), _completed, period, grain
    )


def withdrawals_over_time(
    session: Session, period: Period, grain: str = MONTH
) -> pd.DataFrame:
    """Return amounts withdrawn per day, week or month and platform."""
    columns = (Withdrawal.withdrawn_on, Withdrawal.amount, Withdrawal.platform)
    return _over_time(session, columns, _live_withdrawals, period, grain)


def _over_time(session: Session, columns, where, period: Period, grain: str):
    day, amount, platform = columns
    query = select(
        day.label("day"),
        Platform.name.label("platform"),
        func.sum(amount).label("amount"),
    ).join(platform)
    query = where(query, period).group_by(day, Platform.id, Platform.name)
    return _by_grain(_frame(session, query, {"amount": "int64"}), grain)


def top_products(
    session: Session, period: Period, limit: int = TOP_PRODUCTS
) -> pd.DataFrame:
    """Return the best-selling products by revenue: product, qty, revenue."""
    revenue = func.sum(SaleLine.subtotal).label("revenue")
    query = _completed(
        select(
            SaleLine.product_name.label("product"),
            func.sum(SaleLine.qty).label("qty"),
            revenue,
        ).join(SaleLine.sale),
        period,
    )
    # Sale ids grow with time: bounding the lines by the period's first and
    # last sale id lets the database read a range of the lines' index instead
    # of joining all of them. Still exact when ids and dates disagree. The
    # "+ 0" keeps PostgreSQL from walking the whole primary key for min/max.
    first = _completed(select(func.min(Sale.id + 0)), period).scalar_subquery()
    last = _completed(select(func.max(Sale.id + 0)), period).scalar_subquery()
    query = (
        query.where(SaleLine.sale_id.between(first, last))
        .group_by(SaleLine.product_name)
        .order_by(revenue.desc(), SaleLine.product_name)
        .limit(limit)
    )
    return _frame(session, query, {"qty": "int64", "revenue": "int64"})


def expiring_per_week(session: Session, period: Period) -> pd.DataFrame:
    """Return live subscriptions expiring per week: week (a Monday), count.

    The weeks run from the period's start until WEEKS_AHEAD weeks after its
    end or after today, whichever is later, so follow-ups can be planned.
    """
    last = max(period.end, today()) + dt.timedelta(weeks=WEEKS_AHEAD)
    query = _live_subscriptions(
        select(
            Subscription.expires_on.label("day"),
            func.count(Subscription.id).label("count"),
        )
    ).where(Subscription.expires_on.between(period.start, last))
    query = query.group_by(Subscription.expires_on)
    frame = _frame(session, query, {"count": "int64"})
    frame["week"] = [bucket_start(day, WEEK) for day in frame["day"]]
    return frame.groupby("week", as_index=False)["count"].sum().sort_values("week")


@dataclass(frozen=True)
class Balance:
    """What a marketplace still holds for the business."""

    platform: str
    fee_percent: Decimal
    sales: int
    fee: int
    withdrawn: int

    @property
    def net_sales(self) -> int:
        return self.sales - self.fee

    @property
    def held(self) -> int:
        return self.net_sales - self.withdrawn

    @property
    def overdrawn(self) -> bool:
        return self.withdrawn > self.net_sales


def platform_balances(session: Session, until: dt.date) -> list[Balance]:
    """Return each marketplace's sales net of its fee minus withdrawals, to date.

    The fee is taken on each platform's total at today's fee percentage,
    rounded to whole Rupiah.
    """
    sold = dict(session.execute(_totals_by_platform(Sale, until)).all())
    withdrawn = dict(session.execute(_totals_by_platform(Withdrawal, until)).all())
    query = select(Platform).where(Platform.is_marketplace).order_by(Platform.id)
    return [
        _balance(p, int(sold.get(p.id, 0)), int(withdrawn.get(p.id, 0)))
        for p in session.scalars(query)
        if p.active or p.id in sold or p.id in withdrawn
    ]


def _totals_by_platform(model, until: dt.date):
    if model is Sale:
        query = select(Sale.platform_id, func.sum(Sale.total))
        query = query.where(Sale.status == COMPLETED, Sale.sold_on <= until)
        return query.group_by(Sale.platform_id)
    query = select(Withdrawal.platform_id, func.sum(Withdrawal.amount))
    query = query.where(Withdrawal.deleted_at.is_(None))
    return query.where(Withdrawal.withdrawn_on <= until).group_by(
        Withdrawal.platform_id
    )


def _balance(platform: Platform, sold: int, withdrawn: int) -> Balance:
    percent = Decimal(platform.fee_percent or 0)
    fee = (sold * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Balance(platform.name, percent, sold, int(fee), withdrawn)


def bucket_start(day: dt.date, grain: str) -> dt.date:
    """Return the first day of the day's week (Monday) or month."""
    if grain == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if grain == MONTH:
        return day.replace(day=1)
    return day


def _by_grain(frame: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Fold a frame of (day, platform, amount) into buckets of the grain."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}")
    frame["bucket"] = [bucket_start(day, grain) for day in frame["day"]]
    folded = frame.groupby(["bucket", "platform"], as_index=False, sort=True)
    return folded["amount"].sum().astype({"amount": "int64"})


def _completed(query, period: Period):
    return query.where(
        Sale.status == COMPLETED, Sale.sold_on.between(period.start, period.end)
    )


def _live_withdrawals(query, period: Period):
    return query.where(
        Withdrawal.deleted_at.is_(None),
        Withdrawal.withdrawn_on.between(period.start, period.end),
    )


def _live_subscriptions(query):
    """Keep subscriptions nobody renewed yet whose sale still stands.

    Not joined to each subscription's sale, which costs a lookup per row at
    scale: the lines of the few sales not completed (voided) are found once
    and left out. `status < or > completed` reads the status index as two
    ranges, where `!=` would read all of it.
    """
    standing = or_(Sale.status < COMPLETED, Sale.status > COMPLETED)
    gone = select(SaleLine.id).join(SaleLine.sale).where(standing)
    # coalesce() hides the renewal index, which nearly every row matches, so
    # SQLite (without statistics) reads the expiry range instead.
    return query.select_from(Subscription).where(
        func.coalesce(Subscription.renewed_by_sale_id, 0) == 0,
        Subscription.sale_line_id.not_in(gone),
    )


def _frame(session: Session, query, types: dict[str, str]) -> pd.DataFrame:
    columns = list(query.selected_columns.keys())
    frame = pd.DataFrame(session.execute(query).all(), columns=columns)
    return frame.astype(types)
