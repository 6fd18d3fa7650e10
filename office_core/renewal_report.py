"""Renewal effectiveness for management: who renews, and whether follow-ups help.

Counted: subscriptions of completed sales whose expiry date lies in the chosen
range and that have either ended or been renewed already. One that ended less
than RENEWAL_DAYS ago may still be renewed, so the latest month can rise later.
"""

import datetime as dt
import statistics
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from office_core.audit import local_time
from office_core.dates import today
from office_core.models import FollowUp, Sale, SaleLine, Subscription
from office_core.renewals import COMPLETED

FOLLOWED = "Ditindaklanjuti"
NOT_FOLLOWED = "Tidak ditindaklanjuti"
COUNT_COLUMNS = ["langganan", "diperpanjang", "tingkat"]


@dataclass(frozen=True)
class RenewalReport:
    """Renewal rates by month, product and follow-up, with the counts behind."""

    subscriptions: int
    renewed: int
    by_month: pd.DataFrame
    by_product: pd.DataFrame
    by_follow_up: pd.DataFrame
    median_days_to_renewal: float | None
    renewals_after_follow_up: int

    @property
    def rate(self) -> float | None:
        """Return the share renewed, or None when nothing was counted."""
        return self.renewed / self.subscriptions if self.subscriptions else None


def renewal_report(
    session: Session, start: dt.date, end: dt.date, on: dt.date | None = None
) -> RenewalReport:
    """Return the renewal figures of subscriptions ending from start to end."""
    frame = _subscriptions(session, start, end, on or today())
    contacts = _follow_ups(session, frame)
    frame["followed_up"] = frame["subscription_id"].isin(contacts)
    days = _days_to_renewal(frame, contacts)
    return RenewalReport(
        subscriptions=len(frame),
        renewed=int(frame["renewed"].sum()),
        by_month=_rates(frame, frame["expires_on"].map(_month), "bulan"),
        by_product=_rates(frame, frame["product"], "produk"),
        by_follow_up=_rates(
            frame,
            frame["followed_up"].map({True: FOLLOWED, False: NOT_FOLLOWED}),
            "tindak lanjut",
        ),
        median_days_to_renewal=statistics.median(days) if days else None,
        renewals_after_follow_up=len(days),
    )


def _subscriptions(
    session: Session, start: dt.date, end: dt.date, on: dt.date
) -> pd.DataFrame:
    renewing = aliased(Sale)
    query = (
        select(
            Subscription.id.label("subscription_id"),
            SaleLine.product_name.label("product"),
            Subscription.expires_on,
            renewing.sold_on.label("renewed_on"),
        )
        .join(Subscription.line)
        .join(SaleLine.sale)
        .outerjoin(renewing, renewing.id == Subscription.renewed_by_sale_id)
        .where(Sale.status == COMPLETED)
        .where(Subscription.expires_on.between(start, end))
        .where(
            or_(Subscription.renewed_by_sale_id.is_not(None),
                Subscription.expires_on < on)
        )
    )  # fmt: skip
    columns = list(query.selected_columns.keys())
    frame = pd.DataFrame(session.execute(query).all(), columns=columns)
    frame["renewed"] = frame["renewed_on"].notna()
    return frame


def _follow_ups(session: Session, frame: pd.DataFrame) -> dict[int, list[dt.date]]:
    """Return the days (in Jakarta) each counted subscription was followed up."""
    wanted = set(frame["subscription_id"])
    query = select(FollowUp.subscription_id, FollowUp.created_at).order_by(FollowUp.id)
    days: dict[int, list[dt.date]] = {}
    for subscription_id, at in session.execute(query):
        if subscription_id in wanted:
            days.setdefault(subscription_id, []).append(local_time(at).date())
    return days


def _days_to_renewal(frame: pd.DataFrame, contacts: dict) -> list[int]:
    """Return, per renewal after a follow-up, the days from the last one before."""
    days = []
    renewed = frame[frame["renewed"] & frame["followed_up"]]
    for subscription_id, renewed_on in zip(
        renewed["subscription_id"], renewed["renewed_on"], strict=True
    ):
        before = [day for day in contacts[subscription_id] if day <= renewed_on]
        if before:
            days.append((renewed_on - max(before)).days)
    return days


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _rates(frame: pd.DataFrame, groups: pd.Series, label: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[label, *COUNT_COLUMNS])
    table = (
        frame.groupby(groups.rename(label))["renewed"]
        .agg(langganan="count", diperpanjang="sum")
        .reset_index()
    )
    table["diperpanjang"] = table["diperpanjang"].astype(int)
    table["tingkat"] = table["diperpanjang"] / table["langganan"]
    return table
