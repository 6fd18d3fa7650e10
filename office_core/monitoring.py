"""Monitoring non-platform subscriptions and following customers up on WhatsApp."""

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from office_core import settings
from office_core.dates import format_date_id, today
from office_core.errors import ValidationError
from office_core.models import Customer, Sale, SaleLine, Subscription
from office_core.phones import display_phone
from office_core.sales import COMPLETED
from office_core.whatsapp import render_template, time_left, whatsapp_link

ACTIVE = "aktif"
EXPIRING = "segera berakhir"
EXPIRED = "kedaluwarsa"
RENEWED = "diperpanjang"
STATUSES = (EXPIRING, ACTIVE, EXPIRED, RENEWED)


@dataclass(frozen=True)
class MonitorFilter:
    statuses: tuple[str, ...] = (EXPIRING, ACTIVE)
    search: str = ""
    product: str = ""


def status_of(expires_on: dt.date, renewed: bool, on: dt.date, soon_days: int) -> str:
    """Return a subscription's status on a given day."""
    if renewed:
        return RENEWED
    if expires_on < on:
        return EXPIRED
    if (expires_on - on).days <= soon_days:
        return EXPIRING
    return ACTIVE


def list_subscriptions(
    session: Session,
    filters: MonitorFilter,
    limit: int = 200,
    offset: int = 0,
    on: dt.date | None = None,
) -> pd.DataFrame:
    """Return one page of subscriptions, soonest expiry first, with WA links."""
    on = on or today()
    soon_days = int(settings.get(session, "expiring_soon_days"))
    query = _base(select(*_COLUMNS), filters, on, soon_days)
    query = query.order_by(Subscription.expires_on, Subscription.id)
    rows = session.execute(query.limit(limit).offset(offset)).mappings().all()
    frame = pd.DataFrame(rows, columns=[c.key for c in _COLUMNS])
    return _decorate(session, frame, on, soon_days)


def count_subscriptions(
    session: Session, filters: MonitorFilter, on: dt.date | None = None
) -> int:
    """Return how many subscriptions match the filters."""
    soon_days = int(settings.get(session, "expiring_soon_days"))
    query = _base(
        select(func.count(Subscription.id)), filters, on or today(), soon_days
    )
    return session.scalar(query) or 0


_COLUMNS = (
    Subscription.id.label("subscription_id"),
    Sale.customer_name,
    Customer.phone.label("phone_e164"),
    SaleLine.product_name.label("product"),
    Sale.invoice_no,
    Subscription.starts_on.label("invoice_date"),
    Subscription.months,
    Subscription.expires_on,
    Subscription.renewed_by_sale_id,
)


def subscription_products(session: Session) -> list[str]:
    """Return the product names that appear on subscriptions, by name."""
    query = (
        select(SaleLine.product_name)
        .join(Subscription.line)
        .join(SaleLine.sale)
        .where(Sale.status == COMPLETED)
        .distinct()
        .order_by(SaleLine.product_name)
    )
    return list(session.scalars(query))


def _base(query, filters: MonitorFilter, on: dt.date, soon_days: int):
    query = (
        query.select_from(Subscription)
        .join(Subscription.line)
        .join(SaleLine.sale)
        .join(Subscription.customer)
        .where(Sale.status == COMPLETED)
    )
    # No status chosen means no status filter, not an empty list.
    if filters.statuses:
        clauses = [_status_clause(s, on, soon_days) for s in filters.statuses]
        query = query.where(or_(*clauses))
    if filters.product:
        query = query.where(SaleLine.product_name == filters.product)
    if filters.search.strip():
        query = query.where(_search(filters.search))
    return query


def _status_clause(status: str, on: dt.date, soon_days: int):
    renewed = Subscription.renewed_by_sale_id.is_not(None)
    soon = on + dt.timedelta(days=soon_days)
    clauses = {
        RENEWED: renewed,
        EXPIRED: ~renewed & (Subscription.expires_on < on),
        EXPIRING: ~renewed & Subscription.expires_on.between(on, soon),
        ACTIVE: ~renewed & (Subscription.expires_on > soon),
    }
    if status not in clauses:
        raise ValidationError(f"Status '{status}' tidak dikenal.")
    return clauses[status]


def _search(text: str):
    # autoescape: a typed % or _ is searched for, not used as a wildcard.
    wanted = text.strip().lower()
    conditions = [
        func.lower(column).contains(wanted, autoescape=True)
        for column in (Sale.customer_name, Customer.name, Sale.invoice_no)
    ]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4:
        conditions.append(Customer.phone.like(f"%{digits.lstrip('0')}%"))
    return or_(*conditions)


def _decorate(session, frame: pd.DataFrame, on: dt.date, soon_days: int):
    template = str(settings.get(session, "follow_up_template"))
    business = str(settings.get(session, "business_name"))
    frame["days_left"] = [(d - on).days for d in frame["expires_on"]]
    frame["status"] = [
        status_of(d, pd.notna(r), on, soon_days)
        for d, r in zip(frame["expires_on"], frame["renewed_by_sale_id"], strict=True)
    ]
    frame["phone"] = frame["phone_e164"].map(display_phone)
    frame["message"] = [
        follow_up_message(template, business, row) for row in frame.itertuples()
    ]
    frame["wa_link"] = [
        whatsapp_link(phone, message)
        for phone, message in zip(frame["phone_e164"], frame["message"], strict=True)
    ]
    return frame


def follow_up_link(template: str, business: str, row) -> str:
    """Return the wa.me link with this subscription's follow-up message."""
    return whatsapp_link(row.phone_e164, follow_up_message(template, business, row))


def follow_up_message(template: str, business: str, row) -> str:
    """Return the follow-up message for one subscription row."""
    return render_template(
        template,
        {
            "nama": row.customer_name,
            "produk": row.product,
            "tanggal_kedaluwarsa": format_date_id(row.expires_on),
            # Days left cannot be negative in a message; the table shows overdue.
            "sisa_hari": max(0, row.days_left),
            "waktu": time_left(row.days_left),
            "no_faktur": row.invoice_no,
            "nama_usaha": business,
        },
    )
