"""Figures for management, aggregated by the database."""

import datetime as dt

import pandas as pd
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from office_core.models import Platform, Sale, Withdrawal
from office_core.sales import COMPLETED


def revenue_by_platform(session: Session, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Return platform, number of sales and revenue for completed sales."""
    query = (
        select(
            Platform.name.label("platform"),
            func.count(Sale.id).label("sales"),
            func.coalesce(func.sum(Sale.total), 0).label("revenue"),
        )
        .join(Sale.platform)
        .where(Sale.status == COMPLETED, Sale.sold_on.between(start, end))
        .group_by(Platform.id, Platform.name)
        .order_by(Platform.id)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=_names(query))
    return frame.astype({"sales": "int64", "revenue": "int64"})


def withdrawals_by_platform(
    session: Session, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Return year, month, platform and total withdrawn, per month."""
    year = extract("year", Withdrawal.withdrawn_on).label("year")
    month = extract("month", Withdrawal.withdrawn_on).label("month")
    query = (
        select(
            year,
            month,
            Platform.name.label("platform"),
            func.sum(Withdrawal.amount).label("amount"),
        )
        .join(Withdrawal.platform)
        .where(Withdrawal.deleted_at.is_(None))
        .where(Withdrawal.withdrawn_on.between(start, end))
        .group_by(year, month, Platform.id, Platform.name)
        .order_by(year, month, Platform.id)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=_names(query))
    return frame.astype({"year": "int64", "month": "int64", "amount": "int64"})


def _names(query) -> list[str]:
    return list(query.selected_columns.keys())
