"""Invoice numbers (no faktur): unique, increasing, never reused."""

import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from office_core import settings
from office_core.dates import today
from office_core.models import InvoiceCounter, Sale

SEQUENCE_DIGITS = 5


def next_invoice_number(session: Session) -> str:
    """Take the next number, e.g. DW261200001; safe with concurrent registers."""
    prefix = str(settings.get(session, "invoice_prefix"))
    while True:
        number = _format(prefix, _take(session, prefix))
        if session.scalar(select(Sale.id).where(Sale.invoice_no == number)) is None:
            return number


def _format(prefix: str, sequence: int) -> str:
    return f"{prefix}{today():%y%m}{sequence:0{SEQUENCE_DIGITS}d}"


def _take(session: Session, prefix: str) -> int:
    _ensure_counter(session, prefix)
    # The UPDATE locks the counter row until commit, so concurrent takers queue.
    session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.prefix == prefix)
        .values(last_seq=InvoiceCounter.last_seq + 1)
    )
    query = select(InvoiceCounter.last_seq).where(InvoiceCounter.prefix == prefix)
    return session.scalar(query)


def _ensure_counter(session: Session, prefix: str) -> None:
    exists = select(InvoiceCounter.prefix).where(InvoiceCounter.prefix == prefix)
    if session.scalar(exists) is not None:
        return
    try:
        with session.begin_nested():
            session.add(InvoiceCounter(prefix=prefix, last_seq=0))
    except IntegrityError:
        pass  # another register created it at the same moment


def reserve_legacy_number(session: Session, invoice_no: str) -> None:
    """Move the counter past an imported number so it is never issued again."""
    prefix = str(settings.get(session, "invoice_prefix"))
    pattern = rf"^{re.escape(prefix)}\d{{4}}(\d{{{SEQUENCE_DIGITS}}})$"
    match = re.match(pattern, invoice_no)
    if match is None:
        return
    _ensure_counter(session, prefix)
    session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.prefix == prefix)
        .where(InvoiceCounter.last_seq < int(match.group(1)))
        .values(last_seq=int(match.group(1)))
    )
