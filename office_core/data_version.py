"""A number raised by every write to the business records, for caches to key on.

Caches live per process; reading this number from the database tells every
process, at the start of its next run, that what it remembers is stale.
"""

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from office_core.models import (
    Customer,
    DataVersion,
    Platform,
    Product,
    Sale,
    SaleLine,
    Setting,
    Subscription,
    Withdrawal,
)

RECORDS = (Sale, SaleLine, Subscription, Withdrawal)
# Settings too: the expiring-soon threshold changes which subscriptions count.
TRACKED = (*RECORDS, Customer, Platform, Product, Setting)
TRACKED_TABLES = {model.__table__ for model in TRACKED}
_WRITTEN = "office_core.data_version.written"


def current(session: Session) -> int:
    """Return the data version as the database holds it now."""
    return session.scalar(select(DataVersion.value).where(DataVersion.id == 1)) or 0


def bump(session: Session) -> None:
    """Raise the data version; for writers that go around the ORM."""
    session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(value=DataVersion.value + 1)
    )


def track(sessions: sessionmaker) -> None:
    """Raise the data version on commit of any session that wrote records."""
    event.listen(sessions, "after_flush", _note_flush)
    event.listen(sessions, "do_orm_execute", _note_statement)
    event.listen(sessions, "before_commit", _bump_if_written)
    event.listen(sessions, "after_rollback", _forget)


def _note_flush(session: Session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(record, TRACKED) for record in changed):
        session.info[_WRITTEN] = True


def _note_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.statement.table in TRACKED_TABLES:
        state.session.info[_WRITTEN] = True


def _bump_if_written(session: Session) -> None:
    # Raised last, just before COMMIT, so the locked row is held for a moment
    # only and concurrent registers do not queue on it for their whole sale.
    session.flush()
    if session.info.pop(_WRITTEN, False):
        bump(session)


def _forget(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
