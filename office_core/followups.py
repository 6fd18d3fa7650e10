"""Following customers up: the contact log, opting out, and a customer's file."""

import datetime as dt
import logging
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from office_core import audit, monitoring, register, settings
from office_core.accounts import Actor, require_admin
from office_core.audit import local_time
from office_core.dates import today
from office_core.errors import NotFound, ValidationError
from office_core.models import Customer, FollowUp, Sale, SaleLine, Subscription
from office_core.phones import display_phone, mask_phone
from office_core.platforms import NON_PLATFORM, resolve_platform
from office_core.sales import COMPLETED

log = logging.getLogger(__name__)

LINK = "link"
API = "api"
CHANNELS = {LINK: "Tautan WA", API: "Pengingat otomatis"}
FOLLOW_UP_TEMPLATE = "follow_up_template"


@dataclass(frozen=True)
class FollowUpLink:
    """A recorded follow-up and the click-to-chat link that goes with it."""

    follow_up_id: int
    link: str
    message: str


def subscription_row(session: Session, subscription_id: int, on: dt.date):
    """Return one subscription as the monitoring list shows it."""
    filters = monitoring.MonitorFilter(statuses=())
    soon_days = int(settings.get(session, "expiring_soon_days"))
    query = monitoring.base_query(filters, on, soon_days).where(
        Subscription.id == _record_id(subscription_id)
    )
    rows = session.execute(query).mappings().all()
    if not rows:
        raise NotFound(f"Langganan #{subscription_id} tidak ditemukan.")
    frame = pd.DataFrame(rows, columns=monitoring.COLUMN_NAMES)
    return monitoring.decorate(session, frame, on, soon_days).iloc[0]


def _record_id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise NotFound(f"Langganan '{value}' tidak ditemukan.") from None


def record_follow_up(
    session: Session,
    actor: Actor,
    subscription_id: int,
    even_if_opted_out: bool = False,
    on: dt.date | None = None,
) -> FollowUpLink:
    """Log a follow-up by link and return the link with the message it carries.

    The message is built here from the saved template, never taken from the
    page. A customer who asked for no reminders is refused unless the admin
    chose to contact them anyway.
    """
    require_admin(session, actor)
    row = subscription_row(session, subscription_id, on or today())
    if row["no_reminders"] and not even_if_opted_out:
        raise ValidationError(
            f"{row['customer_name']} tidak ingin dihubungi untuk pengingat."
        )

    follow_up = add_follow_up(
        session, row, LINK, FOLLOW_UP_TEMPLATE, row["message"], actor.username
    )
    log.info("follow-up by link: subscription %s", row["subscription_id"])
    return FollowUpLink(follow_up.id, row["wa_link"], row["message"])


def add_follow_up(session, row, channel: str, template: str, message: str, by: str):
    """Add one follow-up entry and its audit entry to the transaction."""
    follow_up = FollowUp(
        subscription_id=int(row["subscription_id"]),
        customer_id=int(row["customer_id"]),
        channel=channel,
        template=template,
        message=message,
        created_by=by,
    )
    session.add(follow_up)
    session.flush()
    after = {
        "subscription_id": follow_up.subscription_id,
        "channel": channel,
        "template": template,
    }
    audit.record(session, by, "create", "follow_up", follow_up.id, after=after)
    return follow_up


def set_no_reminders(
    session: Session, actor: Actor, customer_id: int, no_reminders: bool
) -> Customer:
    """Mark a customer as not wanting reminders, or as wanting them again."""
    require_admin(session, actor)
    customer = get_customer(session, customer_id)
    before = {"no_reminders": customer.no_reminders}
    customer.no_reminders = bool(no_reminders)
    audit.record(
        session,
        actor.username,
        "update",
        "customer",
        customer.id,
        before,
        {"no_reminders": customer.no_reminders, "phone": mask_phone(customer.phone)},
    )
    return customer


def get_customer(session: Session, customer_id: object) -> Customer:
    """Return a customer, refusing an unknown id."""
    try:
        key = int(str(customer_id))
    except ValueError:
        key = None
    customer = session.get(Customer, key) if key is not None else None
    if customer is None:
        raise NotFound(f"Pelanggan #{customer_id} tidak ditemukan.")
    return customer


@dataclass(frozen=True)
class CustomerFile:
    """Everything known about one customer: purchases, subscriptions, contacts."""

    id: int
    name: str
    phone: str
    no_reminders: bool
    names_used: tuple[str, ...]
    purchases: pd.DataFrame
    subscriptions: pd.DataFrame
    follow_ups: pd.DataFrame


def customer_file(
    session: Session, customer_id: object, on: dt.date | None = None
) -> CustomerFile:
    """Return the customer's purchases, subscriptions and follow-ups."""
    customer = get_customer(session, customer_id)
    purchases = _purchases(session, customer.id)
    names = tuple(dict.fromkeys(purchases["customer_name"])) or (customer.name,)
    return CustomerFile(
        id=customer.id,
        name=customer.name,
        phone=display_phone(customer.phone),
        no_reminders=customer.no_reminders,
        names_used=names,
        purchases=purchases,
        subscriptions=_subscriptions(session, customer.id, on or today()),
        follow_ups=_follow_ups(session, customer.id),
    )


def _purchases(session: Session, customer_id: int) -> pd.DataFrame:
    query = (
        select(
            Sale.invoice_no,
            Sale.sold_on,
            Sale.customer_name,
            SaleLine.product_name,
            SaleLine.duration_months,
            SaleLine.subtotal,
            Sale.payment_method,
        )
        .join(SaleLine.sale)
        .where(Sale.customer_id == customer_id, Sale.status == COMPLETED)
        .order_by(Sale.sold_on.desc(), Sale.id.desc(), SaleLine.position)
    )
    return _frame(session, query)


def _frame(session: Session, query) -> pd.DataFrame:
    """Return a query's rows as a frame, with its columns also when empty."""
    columns = list(query.selected_columns.keys())
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def _subscriptions(session: Session, customer_id: int, on: dt.date) -> pd.DataFrame:
    soon_days = int(settings.get(session, "expiring_soon_days"))
    filters = monitoring.MonitorFilter(statuses=())
    query = (
        monitoring.base_query(filters, on, soon_days)
        .where(Subscription.customer_id == customer_id)
        .order_by(Subscription.expires_on.desc(), Subscription.id.desc())
    )
    rows = session.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=monitoring.COLUMN_NAMES)
    return monitoring.decorate(session, frame, on, soon_days)


def _follow_ups(session: Session, customer_id: int) -> pd.DataFrame:
    query = (
        select(
            FollowUp.created_at,
            FollowUp.created_by,
            FollowUp.channel,
            FollowUp.template,
            SaleLine.product_name,
            FollowUp.message,
        )
        .join(Subscription, FollowUp.subscription_id == Subscription.id)
        .join(Subscription.line)
        .where(FollowUp.customer_id == customer_id)
        .order_by(FollowUp.id.desc())
    )
    frame = _frame(session, query)
    frame["created_at"] = [local_time(at) for at in frame["created_at"]]
    return frame


def renewal_draft(
    session: Session, actor: Actor, subscription_id: int, on: dt.date | None = None
) -> dict:
    """Return a register draft that renews a subscription ("Perpanjang").

    Same customer, product and duration; the price is the catalogue's when the
    sale is completed. Completing it links the sale to this subscription.
    """
    require_admin(session, actor)
    row = subscription_row(session, subscription_id, on or today())
    if row["status"] == monitoring.RENEWED:
        raise ValidationError(
            f"Langganan {row['product']} {row['customer_name']} sudah diperpanjang."
        )
    line = register.DraftLine(
        product_id=_optional_int(row["product_id"]),
        product_name=row["product"],
        duration_months=int(row["months"]),
    )
    draft = register.Draft(
        platform_id=resolve_platform(session, NON_PLATFORM).id,
        customer_name=row["customer_name"],
        customer_phone=row["phone"],
        lines=[line],
        renews_subscription_id=int(row["subscription_id"]),
    )
    return draft.to_dict()


def _optional_int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def search_customers(session: Session, text: str, limit: int = 50) -> dict[int, str]:
    """Return customers whose name or number matches, as {id: 'Name (number)'}."""
    query = select(Customer).order_by(Customer.name, Customer.id).limit(limit)
    wanted = str(text or "").strip()
    if wanted:
        digits = "".join(ch for ch in wanted if ch.isdigit())
        condition = func.lower(Customer.name).contains(wanted.lower(), autoescape=True)
        if len(digits) >= 4:
            # 0812… is stored as +62812…: drop the trunk zero before comparing.
            national = digits.removeprefix("0")
            condition = condition | Customer.phone.contains(national, autoescape=True)
        query = query.where(condition)
    return {
        c.id: f"{c.name} ({display_phone(c.phone)})" for c in session.scalars(query)
    }
