"""Invoice numbers (no faktur): unique, increasing, never reused."""

import logging
import re

from sqlalchemy import select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session

from office_core import settings
from office_core.dates import today
from office_core.models import InvoiceCounter, Sale

log = logging.getLogger(__name__)

SEQUENCE_DIGITS = 5


def next_invoice_number(session: Session) -> str:
    """Take the next number, e.g. DW261200001; safe with concurrent registers.

    No number already in use can come out: a counter starts after the numbers
    its prefix already has, and every sale saved with a given number (the
    import) moves the counter past it.
    """
    prefix = invoice_prefix(session)
    number = _format(prefix, _take(session, prefix))
    log.info("invoice number issued: %s", number)
    return number


def invoice_prefix(session: Session) -> str:
    """Return the configured prefix, refusing one that cannot make a number."""
    return settings.check_invoice_prefix(settings.get(session, "invoice_prefix"))


def _format(prefix: str, sequence: int) -> str:
    return f"{prefix}{today():%y%m}{sequence:0{SEQUENCE_DIGITS}d}"


def _sequence(prefix: str, invoice_no: str) -> int | None:
    """Return the sequence of a number made with `prefix`, or None."""
    pattern = rf"{re.escape(prefix)}\d{{4}}(\d{{{SEQUENCE_DIGITS},}})"
    match = re.fullmatch(pattern, invoice_no)
    return int(match.group(1)) if match else None


def _take(session: Session, prefix: str) -> int:
    # The UPDATE locks the counter row until commit, so concurrent takers queue.
    sequence = _increment(session, prefix)
    if sequence is None:
        _create_counter(session, prefix)
        sequence = _increment(session, prefix)
    return sequence


def _increment(session: Session, prefix: str) -> int | None:
    bump = (
        update(InvoiceCounter)
        .where(InvoiceCounter.prefix == prefix)
        .values(last_seq=InvoiceCounter.last_seq + 1)
    )
    if session.get_bind().dialect.update_returning:
        return session.scalar(bump.returning(InvoiceCounter.last_seq))
    if session.execute(bump).rowcount == 0:
        return None
    query = select(InvoiceCounter.last_seq).where(InvoiceCounter.prefix == prefix)
    return session.scalar(query)


def _create_counter(session: Session, prefix: str) -> None:
    start = _highest_in_use(session, prefix)
    statement = _insert_unless_there(session.get_bind().dialect.name)
    session.execute(statement.values(prefix=prefix, last_seq=start))


def _insert_unless_there(dialect: str):
    # Two registers may create the same counter at once. A plain INSERT that
    # loses leaves MariaDB holding a shared lock on the winner's row, and two
    # such losers then deadlock on their UPDATE; an upsert takes no such lock.
    table = InvoiceCounter.__table__
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    statement = mysql.insert(table)
    return statement.on_duplicate_key_update(prefix=statement.inserted.prefix)


def _highest_in_use(session: Session, prefix: str) -> int:
    # A prefix may already have numbers (imported, or used before a change of
    # prefix and back): its counter starts after the highest of them.
    query = select(Sale.invoice_no).where(
        Sale.invoice_no.startswith(prefix, autoescape=True)
    )
    sequences = (_sequence(prefix, number) for number in session.scalars(query))
    return max((seq for seq in sequences if seq is not None), default=0)


def reserve_legacy_number(session: Session, invoice_no: str) -> None:
    """Move the counter past a number saved as given, so it is never issued."""
    prefixes = set(session.scalars(select(InvoiceCounter.prefix)))
    prefixes.add(invoice_prefix(session))
    for prefix in prefixes:
        sequence = _sequence(prefix, invoice_no)
        if sequence is not None:
            _raise_counter(session, prefix, sequence)


def _raise_counter(session: Session, prefix: str, sequence: int) -> None:
    exists = select(InvoiceCounter.prefix).where(InvoiceCounter.prefix == prefix)
    if session.scalar(exists) is None:
        _create_counter(session, prefix)
    session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.prefix == prefix)
        .where(InvoiceCounter.last_seq < sequence)
        .values(last_seq=sequence)
    )
