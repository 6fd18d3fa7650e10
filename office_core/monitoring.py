"""Monitoring non-platform subscriptions and following customers up on WhatsApp."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from office_core import settings
from office_core.audit import local_time
from office_core.dates import format_date_id, today
from office_core.errors import ValidationError
from office_core.models import (
    Customer,
    FollowUp,
    Product,
    Sale,
    SaleLine,
    Subscription,
)
from office_core.phones import display_phone
from office_core.sales import VOID
from office_core.whatsapp import render_template, time_left, whatsapp_link

ACTIVE = "aktif"
EXPIRING = "segera berakhir"
EXPIRED = "kedaluwarsa"
RENEWED = "diperpanjang"
STATUSES = (EXPIRING, ACTIVE, EXPIRED, RENEWED)
# Expired this many days ago or less counts as "recently expired": still worth
# a follow-up, and a sale of the same product then is linked as its renewal.
RECENT_DAYS = 30


@dataclass(frozen=True)
class MonitorFilter:
    statuses: tuple[str, ...] = (EXPIRING, ACTIVE)
    search: str = ""
    product: str = ""
    expires_from: dt.date | None = None
    expires_to: dt.date | None = None


def default_filter(on: dt.date) -> MonitorFilter:
    """Return the page's first view: expiring, recently expired, then active."""
    return MonitorFilter(
        statuses=(EXPIRING, EXPIRED, ACTIVE),
        expires_from=on - dt.timedelta(days=RECENT_DAYS),
    )


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
    """Return one page: expiring soonest first, then the recently expired, then
    the rest by expiry date; each row with its WA link and last contact."""
    on = on or today()
    soon_days = int(settings.get(session, "expiring_soon_days"))
    ids = _page_ids(session, filters, on, soon_days, limit, offset)
    # The ids already passed every filter: only their columns are read now.
    rows = session.execute(_joined().where(Subscription.id.in_(ids or [0]))).mappings()
    by_id = {row["subscription_id"]: row for row in rows}
    frame = pd.DataFrame([by_id[i] for i in ids], columns=COLUMN_NAMES)
    return decorate(session, frame, on, soon_days)


def _page_ids(session, filters, on, soon_days, limit: int, offset: int) -> list:
    """Return the ids of one page, read from the subscriptions table alone.

    Paging over ids first keeps a far page cheap: the skipped rows are index
    entries, not joined rows.
    """
    conditions = _conditions(filters, on, soon_days)
    if filters.search.strip():
        return _searched_ids(session, conditions, on, soon_days, limit, offset)
    ids: list[int] = []
    for where, order in _segments(on, soon_days):
        if len(ids) >= limit:
            break
        part = select(Subscription.id).where(*conditions, where)
        if offset:
            skipped = session.scalar(_count().where(*conditions, where))
            if offset >= skipped:
                offset -= skipped
                continue
        query = part.order_by(*order).offset(offset).limit(limit - len(ids))
        ids.extend(session.scalars(query))
        offset = 0
    return ids


def _searched_ids(session, conditions, on, soon_days, limit, offset) -> list:
    """Return one page of a search in one query: a search matches few rows."""
    (expiring, _), (lapsed, _), _ = _segments(on, soon_days)
    part = case((expiring, 0), (lapsed, 1), else_=2)
    query = (
        select(Subscription.id)
        .where(*conditions)
        .order_by(
            part,
            case((lapsed, Subscription.expires_on), else_=None).desc(),
            Subscription.expires_on,
            Subscription.id,
        )
    )
    return list(session.scalars(query.offset(offset).limit(limit)))


def base_query(filters: MonitorFilter, on: dt.date, soon_days: int):
    """Return the query of the list's columns, filtered, not yet ordered."""
    return _joined().where(*_conditions(filters, on, soon_days))


def _joined():
    return (
        select(*_COLUMNS)
        .select_from(Subscription)
        .join(Subscription.line)
        .join(SaleLine.sale)
        .join(Subscription.customer)
    )


def _segments(on: dt.date, soon_days: int) -> list[tuple]:
    """Return the list's three parts in order, each as (where, order by)."""
    not_renewed = Subscription.renewed_by_sale_id.is_(None)
    soon = on + dt.timedelta(days=soon_days)
    recent = on - dt.timedelta(days=RECENT_DAYS)
    yesterday = on - dt.timedelta(days=1)
    expiring = and_(not_renewed, Subscription.expires_on.between(on, soon))
    lapsed = and_(not_renewed, Subscription.expires_on.between(recent, yesterday))
    expiry = Subscription.expires_on
    return [
        (expiring, (expiry, Subscription.id)),
        (lapsed, (expiry.desc(), Subscription.id)),
        (not_(or_(expiring, lapsed)), (expiry, Subscription.id)),
    ]


def count_subscriptions(
    session: Session, filters: MonitorFilter, on: dt.date | None = None
) -> int:
    """Return how many subscriptions match the filters."""
    soon_days = int(settings.get(session, "expiring_soon_days"))
    query = _count().where(*_conditions(filters, on or today(), soon_days))
    return session.scalar(query) or 0


def _count():
    # Every condition is on the subscriptions table or a subquery, so counting
    # reads one index instead of joining every sale.
    return select(func.count(Subscription.id)).select_from(Subscription)


_COLUMNS = (
    Subscription.id.label("subscription_id"),
    Subscription.customer_id,
    Customer.no_reminders,
    SaleLine.product_id,
    Sale.id.label("sale_id"),
    Sale.customer_name,
    Customer.phone.label("phone_e164"),
    SaleLine.product_name.label("product"),
    Sale.invoice_no,
    Subscription.starts_on.label("invoice_date"),
    Subscription.months,
    Subscription.expires_on,
    Subscription.renewed_by_sale_id,
)
COLUMN_NAMES = [column.key for column in _COLUMNS]


def subscription_products(session: Session) -> list[str]:
    """Return the names of the products that started subscriptions, by name."""
    # One index probe per catalogue product, instead of reading every line.
    started = (
        select(SaleLine.id)
        .where(SaleLine.product_id == Product.id)
        .where(SaleLine.duration_months.is_not(None))
    )
    query = select(Product.name).where(started.exists()).order_by(Product.name)
    return list(session.scalars(query))


def _conditions(filters: MonitorFilter, on: dt.date, soon_days: int) -> list:
    """Return the filters as conditions on the subscriptions table.

    Each refers to subscription columns or to a subquery of one other table,
    so the list is read from the expiry-date index and never starts from the
    200,000 sales; a voided sale's subscriptions are left out by a subquery
    on the few voided sales.
    """
    voided = select(SaleLine.id).join(SaleLine.sale).where(Sale.status == VOID)
    conditions = [Subscription.sale_line_id.not_in(voided)]
    # No status chosen means no status filter, not an empty list.
    if filters.statuses:
        clauses = [_status_clause(s, on, soon_days) for s in filters.statuses]
        conditions.append(or_(*clauses))
    if filters.product:
        named = select(SaleLine.id).where(SaleLine.product_name == filters.product)
        conditions.append(Subscription.sale_line_id.in_(named))
    if filters.search.strip():
        conditions.append(_search(filters.search))
    if filters.expires_from:
        conditions.append(Subscription.expires_on >= filters.expires_from)
    if filters.expires_to:
        conditions.append(Subscription.expires_on <= filters.expires_to)
    return conditions


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
    """Match a name (any spelling used on a sale), a number or an invoice number.

    Each test is a subquery of one table, so the database looks the few
    matching subscriptions up by index instead of joining the whole list.
    Typed digits alone are a WhatsApp number or a whole invoice number: the
    names of every sale need not be read then.
    """
    # autoescape: a typed % or _ is searched for, not used as a wildcard.
    wanted = text.strip().lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    letters = any(ch.isalpha() for ch in wanted)
    customers = func.lower(Customer.name).contains(wanted, autoescape=True)
    if len(digits) >= 4:
        number = Customer.phone.contains(digits.lstrip("0"), autoescape=True)
        customers = customers | number if letters else number
    if letters:
        sales = select(Sale.id).where(
            func.lower(Sale.customer_name).contains(wanted, autoescape=True)
            | func.lower(Sale.invoice_no).contains(wanted, autoescape=True)
        )
    else:
        sales = select(Sale.id).where(Sale.invoice_no == text.strip())
    return or_(
        Subscription.customer_id.in_(select(Customer.id).where(customers)),
        Subscription.sale_line_id.in_(
            select(SaleLine.id).where(SaleLine.sale_id.in_(sales))
        ),
    )


def decorate(session, frame: pd.DataFrame, on: dt.date, soon_days: int):
    """Add days left, status, the message, its WA link and the last contact."""
    template = str(settings.get(session, "follow_up_template"))
    business = str(settings.get(session, "business_name"))
    frame["days_left"] = [(d - on).days for d in frame["expires_on"]]
    frame["status"] = [
        status_of(d, pd.notna(r), on, soon_days)
        for d, r in zip(frame["expires_on"], frame["renewed_by_sale_id"], strict=True)
    ]
    frame["phone"] = frame["phone_e164"].map(display_phone)
    frame["message"] = [
        follow_up_message(template, business, row) for row in frame.to_dict("records")
    ]
    frame["wa_link"] = [
        whatsapp_link(phone, message)
        for phone, message in zip(frame["phone_e164"], frame["message"], strict=True)
    ]
    return _with_last_contact(session, frame)


def _with_last_contact(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """Add when each row's customer was last contacted, and by whom."""
    contacts = last_contacts(session, set(frame["customer_id"]))
    frame["last_contact_at"] = [
        contacts.get(c, (None, ""))[0] for c in frame["customer_id"]
    ]
    frame["last_contact_by"] = [
        contacts.get(c, (None, ""))[1] for c in frame["customer_id"]
    ]
    return frame


def last_contacts(session: Session, customer_ids: set) -> dict[int, tuple]:
    """Return {customer id: (last follow-up time in Jakarta, by whom)}."""
    if not customer_ids:
        return {}
    latest = (
        select(func.max(FollowUp.id))
        .where(FollowUp.customer_id.in_([int(c) for c in customer_ids]))
        .group_by(FollowUp.customer_id)
    )
    query = select(
        FollowUp.customer_id, FollowUp.created_at, FollowUp.created_by
    ).where(FollowUp.id.in_(latest))
    return {
        customer: (local_time(at), by) for customer, at, by in session.execute(query)
    }


def follow_up_message(template: str, business: str, row: Mapping) -> str:
    """Return the follow-up message for one subscription row."""
    return render_template(template, message_values(business, row))


def message_values(business: str, row: Mapping) -> dict[str, object]:
    """Return the placeholder values of one subscription row."""
    return {
        "nama": row["customer_name"],
        "produk": row["product"],
        "tanggal_kedaluwarsa": format_date_id(row["expires_on"]),
        # Days left cannot be negative in a message; the table shows overdue.
        "sisa_hari": max(0, row["days_left"]),
        "waktu": time_left(row["days_left"]),
        "no_faktur": row["invoice_no"],
        "nama_usaha": business,
    }
