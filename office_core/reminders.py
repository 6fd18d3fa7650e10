"""Reminders sent by a WhatsApp provider through an outbox.

`send_reminders` is what the scheduled command runs. It first queues one
outbox row per subscription and step that is due (a unique constraint makes a
second copy of the command, or a second run the same day, add nothing), then
claims queued rows one at a time and sends them. A claim is a conditional
UPDATE committed before the provider is called, so two copies running at once
never send the same row; a claim left by a copy that died expires after LEASE.

Statuses: queued -> sent -> delivered / read, or failed; cancelled when the
customer opted out or renewed before the row was sent. Transient failures
(timeouts, 5xx, rate limits) are retried with exponential backoff up to
`max_attempts`; permanent ones (an invalid number) fail at once.
"""

import datetime as dt
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from office_core import followups, monitoring, settings
from office_core.audit import local_time
from office_core.dates import now, today
from office_core.db import Database
from office_core.models import Customer, OutboxMessage, SaleLine, Subscription
from office_core.phones import display_phone, mask_phone
from office_core.providers import Provider, SendResult
from office_core.sales import COMPLETED
from office_core.whatsapp import render_template

log = logging.getLogger(__name__)

QUEUED = "queued"
SENT = "sent"
DELIVERED = "delivered"
READ = "read"
FAILED = "failed"
CANCELLED = "cancelled"
STATUS_LABELS = {
    QUEUED: "Antre",
    SENT: "Terkirim",
    DELIVERED: "Sampai",
    READ: "Dibaca",
    FAILED: "Gagal",
    CANCELLED: "Dibatalkan",
}
# Later statuses win; a webhook may report them out of order.
_RANK = {QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3}
SYSTEM_USER = "sistem"
REMINDER_TEMPLATE = "reminder_template"
LEASE = dt.timedelta(minutes=10)
MAX_WAIT_SECONDS = 60.0


def step_for(days_left: int, steps: list[int]) -> int | None:
    """Return the reminder step a subscription with `days_left` is due for.

    That is the smallest step not below the days left: with steps 7, 3, 0 a
    subscription 5 days from its end gets the 7-day reminder (late rather than
    never, when the command did not run that day), and none after its end.
    """
    due = [step for step in steps if step >= days_left >= min(steps)]
    return min(due) if due else None


def queue_due(session: Session, provider: str, on: dt.date | None = None) -> int:
    """Add an outbox row for every subscription and step due; return how many."""
    on = on or today()
    steps = [int(day) for day in settings.get(session, "reminder_days")]
    template = str(settings.get(session, REMINDER_TEMPLATE))
    business = str(settings.get(session, "business_name"))
    added = 0
    for row in _due_rows(session, on, steps).itertuples():
        step = step_for(row.days_left, steps)
        values = monitoring.message_values(business, row._asdict())
        message = render_template(template, values)
        added += _queue(session, row, step, provider, message, values)
    return added


def _due_rows(session: Session, on: dt.date, steps: list[int]) -> pd.DataFrame:
    filters = monitoring.MonitorFilter(
        statuses=(monitoring.EXPIRING, monitoring.ACTIVE),
        expires_from=on + dt.timedelta(days=min(steps)),
        expires_to=on + dt.timedelta(days=max(steps)),
    )
    soon_days = int(settings.get(session, "expiring_soon_days"))
    query = (
        monitoring.base_query(filters, on, soon_days)
        .where(Customer.no_reminders.is_(False))
        .order_by(Subscription.id)
    )
    rows = session.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=monitoring.COLUMN_NAMES)
    frame["days_left"] = [(day - on).days for day in frame["expires_on"]]
    return frame


def _queue(session, row, step: int, provider: str, message: str, values) -> int:
    """Insert one outbox row unless this subscription and step have one."""
    wanted = (OutboxMessage.subscription_id == row.subscription_id) & (
        OutboxMessage.step == step
    )
    if session.scalar(select(OutboxMessage.id).where(wanted)) is not None:
        return 0
    entry = OutboxMessage(
        subscription_id=row.subscription_id,
        step=step,
        customer_id=row.customer_id,
        phone=row.phone_e164,
        provider=provider,
        message=message,
        params=json.dumps(values, ensure_ascii=False, default=str),
        status=QUEUED,
    )
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        return 0  # another copy of the command queued it a moment ago
    return 1


def send_reminders(
    database: Database,
    provider: Provider,
    on: dt.date | None = None,
    max_attempts: int = 4,
    backoff: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Counter:
    """Queue what is due, then send every queued row; return counts by outcome."""
    with database.transaction() as session:
        queued = queue_due(session, provider.name, on)
    counts = Counter(queued=queued)
    worker = Worker(str(uuid.uuid4()), max_attempts, backoff, sleep)
    while (message_id := _claim_next(database, worker.id)) is not None:
        counts[_deliver(database, provider, message_id, worker)] += 1
    return counts


@dataclass(frozen=True)
class Worker:
    """One run of the sender: its claim id and how it retries."""

    id: str
    max_attempts: int
    backoff: float
    sleep: Callable[[float], None]

    def wait(self, result: SendResult, attempts: int) -> float:
        """Return the pause before the next try: the provider's, else doubling."""
        if result.retry_after is not None:
            return min(result.retry_after, MAX_WAIT_SECONDS)
        return min(self.backoff * 2 ** (attempts - 1), MAX_WAIT_SECONDS)


def _claim_next(database: Database, worker: str) -> int | None:
    """Claim one due queued row for this worker; None when none is left."""
    with database.transaction() as session:
        moment = now()
        free = or_(
            OutboxMessage.claimed_until.is_(None),
            OutboxMessage.claimed_until < moment,
        )
        due = or_(
            OutboxMessage.next_attempt_at.is_(None),
            OutboxMessage.next_attempt_at <= moment,
        )
        candidates = session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == QUEUED, free, due)
            .order_by(OutboxMessage.id)
            .limit(20)
        ).all()
        for message_id in candidates:
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .where(OutboxMessage.status == QUEUED, free)
                .values(claimed_by=worker, claimed_until=moment + LEASE)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:
                return message_id
    return None


def _deliver(database: Database, provider, message_id: int, worker: Worker) -> str:
    """Send one claimed row, retrying transient failures; return its outcome."""
    while True:
        with database.transaction() as session:
            entry = session.get(OutboxMessage, message_id)
            reason = _no_longer_wanted(session, entry)
            if reason:
                _finish(entry, CANCELLED, reason)
                return CANCELLED
            phone, text, values = entry.phone, entry.message, json.loads(entry.params)
        result = provider.send(phone, text, values)
        with database.transaction() as session:
            outcome, wait = _record(session, message_id, worker, result)
        if outcome != QUEUED:
            return outcome
        worker.sleep(wait)


def _no_longer_wanted(session: Session, entry: OutboxMessage) -> str:
    customer = session.get(Customer, entry.customer_id)
    subscription = session.get(Subscription, entry.subscription_id)
    if customer.no_reminders:
        return "Pelanggan tidak ingin dihubungi."
    if subscription.renewed_by_sale_id is not None:
        return "Langganan sudah diperpanjang."
    if subscription.line.sale.status != COMPLETED:
        return "Penjualannya dibatalkan."
    return ""


def _record(session, message_id: int, worker: Worker, result: SendResult):
    """Store one try's answer; return the outcome and the pause before a retry."""
    entry = session.get(OutboxMessage, message_id)
    entry.attempts += 1
    entry.updated_at = now()
    if result.ok:
        entry.provider_message_id = result.message_id
        entry.sent_at = entry.updated_at
        _finish(entry, SENT, None)
        _log_follow_up(session, entry)
        log.info("reminder sent: outbox %s to %s", entry.id, mask_phone(entry.phone))
        return SENT, 0.0
    entry.error = result.error
    if not result.transient or entry.attempts >= worker.max_attempts:
        _finish(entry, FAILED, result.error)
        log.warning("reminder failed: outbox %s: %s", entry.id, result.error)
        return FAILED, 0.0
    wait = worker.wait(result, entry.attempts)
    # Kept claimed while waiting; were this run to die, another takes it over
    # once the claim expires and the retry is due.
    entry.next_attempt_at = entry.updated_at + dt.timedelta(seconds=wait)
    entry.claimed_by = worker.id
    entry.claimed_until = entry.next_attempt_at + LEASE
    log.info("reminder retry in %.1f s: outbox %s: %s", wait, entry.id, result.error)
    return QUEUED, wait


def _finish(entry: OutboxMessage, status: str, error: str | None) -> None:
    entry.status = status
    entry.error = error
    entry.claimed_by = None
    entry.claimed_until = None
    entry.updated_at = now()


def _log_follow_up(session: Session, entry: OutboxMessage) -> None:
    row = {"subscription_id": entry.subscription_id, "customer_id": entry.customer_id}
    followups.add_follow_up(
        session, row, followups.API, REMINDER_TEMPLATE, entry.message, SYSTEM_USER
    )


def record_status(session: Session, provider_message_id: str, status: str) -> bool:
    """Apply a delivery status a provider reported; True if it changed the row.

    Statuses may arrive out of order: a later one (read) is never replaced by
    an earlier one (delivered), and a failure after sending is kept.
    """
    entry = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.provider_message_id == provider_message_id
        )
    )
    if entry is None or status not in (*_RANK, FAILED):
        return False
    if status == FAILED:
        changed = entry.status not in (DELIVERED, READ, FAILED)
    else:
        changed = _RANK.get(entry.status, 99) < _RANK[status]
    if changed:
        entry.status = status
        entry.updated_at = now()
    return changed


def list_outbox(
    session: Session, statuses: tuple[str, ...] = (), limit: int = 100, offset=0
) -> pd.DataFrame:
    """Return one page of the message log, newest first."""
    query = _log_query(
        select(
            OutboxMessage.id,
            OutboxMessage.created_at,
            Customer.name.label("customer"),
            OutboxMessage.phone,
            SaleLine.product_name.label("product"),
            OutboxMessage.step,
            OutboxMessage.provider,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.provider_message_id,
            OutboxMessage.error,
            OutboxMessage.message,
        ),
        statuses,
    ).order_by(OutboxMessage.id.desc())
    rows = session.execute(query.limit(limit).offset(offset)).all()
    frame = pd.DataFrame(rows, columns=list(query.selected_columns.keys()))
    frame["created_at"] = [local_time(at) for at in frame["created_at"]]
    frame["phone"] = frame["phone"].map(display_phone)
    return frame


def count_outbox(session: Session, statuses: tuple[str, ...] = ()) -> int:
    """Return how many log rows match."""
    return session.scalar(_log_query(select(func.count(OutboxMessage.id)), statuses))


def _log_query(query, statuses: tuple[str, ...]):
    query = (
        query.select_from(OutboxMessage)
        .join(Customer, Customer.id == OutboxMessage.customer_id)
        .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
        .join(SaleLine, SaleLine.id == Subscription.sale_line_id)
    )
    return query.where(OutboxMessage.status.in_(statuses)) if statuses else query
