"""Linking a sale to the subscriptions it renews.

A sale renews a subscription when the register was opened with "Perpanjang"
for it, or when it sells the same product to the same customer (the same
WhatsApp number) from a while before the old one ends until RENEWAL_DAYS
after. The link is what turns a subscription "diperpanjang" and what the
renewal report counts.
"""

import datetime as dt
import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from office_core import settings
from office_core.errors import NotFound, ValidationError
from office_core.models import Sale, SaleLine, Subscription

log = logging.getLogger(__name__)

# sales.COMPLETED; this module is imported by office_core.sales.
COMPLETED = "completed"
RENEWAL_DAYS = 30


def link_renewals(
    session: Session, sale: Sale, renews_subscription_id: int | None = None
) -> list[int]:
    """Link the subscriptions `sale` renews; return their ids.

    The subscription chosen with "Perpanjang" must belong to the same customer
    and not be renewed already, or the sale is refused. Other lines are linked
    only when an earlier subscription of the same product matches.
    """
    if sale.customer_id is None:
        if renews_subscription_id is not None:
            raise ValidationError(
                "Perpanjangan hanya untuk pelanggan non-platform dengan nomor WA."
            )
        return []
    linked = []
    if renews_subscription_id is not None:
        linked.append(_link_chosen(session, sale, renews_subscription_id))
    for line in sale.lines:
        if line.subscription is None or line.product_id is None:
            continue
        found = _earlier(session, sale, line.product_id, linked)
        if found is not None and _claim(session, found, sale.id):
            linked.append(found)
    if linked:
        log.info("sale %s renews subscriptions %s", sale.id, linked)
    return linked


def _link_chosen(session: Session, sale: Sale, subscription_id: int) -> int:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or subscription.line.sale.status != COMPLETED:
        raise NotFound(f"Langganan #{subscription_id} yang diperpanjang tidak ada.")
    if subscription.customer_id != sale.customer_id:
        raise ValidationError(
            "Perpanjangan harus untuk nomor WhatsApp yang sama dengan "
            "langganan lamanya."
        )
    if not _claim(session, subscription.id, sale.id):
        session.refresh(subscription)
        raise ValidationError(
            f"Langganan {subscription.line.product_name} ini sudah diperpanjang "
            f"dengan faktur {_invoice(session, subscription.renewed_by_sale_id)}."
        )
    return subscription.id


def _invoice(session: Session, sale_id: int | None) -> str:
    number = session.scalar(select(Sale.invoice_no).where(Sale.id == sale_id))
    return number or "-"


def _earlier(
    session: Session, sale: Sale, product_id: int, taken: list[int]
) -> int | None:
    """Return the oldest-ending unrenewed subscription this line renews."""
    soon = int(settings.get(session, "expiring_soon_days"))
    window = (
        sale.sold_on - dt.timedelta(days=RENEWAL_DAYS),
        sale.sold_on + dt.timedelta(days=soon),
    )
    query = (
        select(Subscription.id)
        .join(Subscription.line)
        .join(SaleLine.sale)
        .where(Subscription.customer_id == sale.customer_id)
        .where(SaleLine.product_id == product_id)
        .where(Sale.status == COMPLETED, Sale.id != sale.id)
        .where(Subscription.renewed_by_sale_id.is_(None))
        .where(Subscription.expires_on.between(*window))
        .where(Subscription.id.not_in(taken or [0]))
        .order_by(Subscription.expires_on, Subscription.id)
        .limit(1)
    )
    return session.scalar(query)


def _claim(session: Session, subscription_id: int, sale_id: int) -> bool:
    """Link one subscription unless another sale renewed it first."""
    changed = session.execute(
        update(Subscription)
        .where(Subscription.id == subscription_id)
        .where(Subscription.renewed_by_sale_id.is_(None))
        .values(renewed_by_sale_id=sale_id)
        .execution_options(synchronize_session=False)
    )
    return changed.rowcount == 1


def unlink_renewals(session: Session, sale: Sale) -> None:
    """Make the subscriptions a voided sale renewed open again."""
    session.execute(
        update(Subscription)
        .where(Subscription.renewed_by_sale_id == sale.id)
        .values(renewed_by_sale_id=None)
        .execution_options(synchronize_session=False)
    )
