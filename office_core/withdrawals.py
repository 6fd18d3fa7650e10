"""The withdrawal ledger: money taken out of each marketplace (penarikan dana)."""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from office_core import audit
from office_core.accounts import Actor, require_admin
from office_core.dates import now, parse_date, today
from office_core.errors import NotFound, StaleEdit, ValidationError
from office_core.grid import GridChanges, read_changes
from office_core.models import Platform, Withdrawal
from office_core.money import parse_rupiah
from office_core.platforms import resolve_platform
from office_core.text import clean_text

log = logging.getLogger(__name__)

GRID_LABELS = {
    "platform": "Platform",
    "amount": "Nominal",
    "withdrawn_on": "Tanggal",
    "notes": "Keterangan",
    "created_by": "Dicatat oleh",
}
GRID_COLUMNS = {"platform", "amount", "withdrawn_on", "notes"}
MAX_NOTES = 500


@dataclass(frozen=True)
class WithdrawalFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    platform_ids: tuple[int, ...] = ()
    deleted: bool = False


def record_withdrawal(
    session: Session,
    actor: Actor,
    platform: object,
    amount: object,
    withdrawn_on: object = None,
    notes: str = "",
) -> Withdrawal:
    """Record money withdrawn from a marketplace."""
    require_admin(session, actor)
    withdrawal = Withdrawal(created_by=actor.username)
    _fill(session, withdrawal, platform, amount, withdrawn_on, notes)
    session.add(withdrawal)
    session.flush()
    audit.record(
        session,
        actor.username,
        "create",
        "withdrawal",
        withdrawal.id,
        after=_view(withdrawal),
    )
    log.info("withdrawal recorded: %s", withdrawal.id)
    return withdrawal


def _fill(session, withdrawal, platform, amount, withdrawn_on, notes) -> None:
    withdrawal.platform = resolve_platform(session, platform, marketplaces_only=True)
    withdrawal.amount = _positive(parse_rupiah(amount, "Nominal"))
    withdrawal.withdrawn_on = (
        today() if withdrawn_on in (None, "") else withdrawal_date(withdrawn_on)
    )
    withdrawal.notes = _notes(notes)


def _positive(amount: int) -> int:
    if amount <= 0:
        raise ValidationError("Nominal penarikan harus lebih dari Rp0.")
    return amount


def withdrawal_date(value: object) -> dt.date:
    """Return a withdrawal's date; refuse one after today."""
    text = value if isinstance(value, dt.date) else str(value)[:10]
    withdrawn_on = parse_date(text, "Tanggal penarikan")
    if withdrawn_on > today():
        raise ValidationError(
            f"Tanggal penarikan {withdrawn_on:%d/%m/%Y} setelah hari ini."
        )
    return withdrawn_on


def _notes(notes: object) -> str:
    return clean_text(notes, "Keterangan", MAX_NOTES)


def update_withdrawal(
    session: Session,
    actor: Actor,
    withdrawal_id: int,
    changes: dict,
    expected_version: int | None = None,
) -> Withdrawal:
    """Change some fields of a withdrawal, refusing a stale edit."""
    require_admin(session, actor)
    withdrawal = _live(session, withdrawal_id, expected_version)
    before = _view(withdrawal)
    if "withdrawn_on" in changes and _blank(changes["withdrawn_on"]):
        raise ValidationError("Tanggal penarikan wajib diisi.")
    _fill(
        session,
        withdrawal,
        changes.get("platform", withdrawal.platform.name),
        changes.get("amount", withdrawal.amount),
        changes.get("withdrawn_on", withdrawal.withdrawn_on),
        changes.get("notes", withdrawal.notes),
    )
    withdrawal.version += 1
    withdrawal.updated_at = now()
    audit.record(
        session,
        actor.username,
        "update",
        "withdrawal",
        withdrawal.id,
        before,
        _view(withdrawal),
    )
    return withdrawal


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str | float) and not str(value).strip())


def delete_withdrawal(
    session: Session, actor: Actor, withdrawal_id: int, expected_version=None
) -> None:
    """Hide a withdrawal; it stays in the database and can be restored."""
    require_admin(session, actor)
    withdrawal = _live(session, withdrawal_id, expected_version)
    withdrawal.deleted_at = now()
    withdrawal.deleted_by = actor.username
    withdrawal.version += 1
    audit.record(
        session,
        actor.username,
        "delete",
        "withdrawal",
        withdrawal.id,
        before=_view(withdrawal),
    )


def restore_withdrawal(
    session: Session, actor: Actor, withdrawal_id: int
) -> Withdrawal:
    """Bring a deleted withdrawal back."""
    require_admin(session, actor)
    withdrawal = session.get(Withdrawal, withdrawal_id)
    if withdrawal is None or withdrawal.deleted_at is None:
        raise NotFound(f"Penarikan #{withdrawal_id} tidak ada di daftar terhapus.")
    withdrawal.deleted_at = None
    withdrawal.deleted_by = None
    withdrawal.version += 1
    audit.record(
        session,
        actor.username,
        "restore",
        "withdrawal",
        withdrawal.id,
        after=_view(withdrawal),
    )
    return withdrawal


def _live(session: Session, withdrawal_id: int, expected_version) -> Withdrawal:
    withdrawal = session.get(Withdrawal, withdrawal_id)
    missing = withdrawal is None or withdrawal.deleted_at is not None
    if missing and (withdrawal is None or expected_version is None):
        raise NotFound(f"Penarikan #{withdrawal_id} tidak ditemukan (mungkin dihapus).")
    if expected_version is not None and withdrawal.version != expected_version:
        raise _stale(session, withdrawal, expected_version)
    return withdrawal


def _stale(session: Session, withdrawal: Withdrawal, expected: int) -> StaleEdit:
    missed = audit.changes_since(
        session, "withdrawal", withdrawal.id, withdrawal.version - expected
    )
    return StaleEdit(
        f"Penarikan #{withdrawal.id} sudah diubah orang lain sejak tabel dimuat: "
        f"{missed}. Tabel dimuat ulang; ulangi perubahan Anda bila masih perlu."
    )


def apply_grid(
    session: Session, actor: Actor, rows: list[tuple[int, int]], edit_state: object
) -> GridChanges:
    """Save a withdrawal grid's edits; `rows` are the (id, version) shown."""
    require_admin(session, actor)
    versions = dict(rows)
    shown = {row_id: f"{index}" for index, (row_id, _) in enumerate(rows, start=1)}
    changes = read_changes(
        edit_state, [row_id for row_id, _ in rows], GRID_COLUMNS, labels=GRID_LABELS
    )
    for row_id, values in changes.updated.items():
        if row_id in changes.deleted:
            continue  # edited, then deleted in the same grid: the delete wins
        _row_step(
            update_withdrawal,
            shown[row_id],
            session,
            actor,
            row_id,
            values,
            versions[row_id],
        )
    for number, values in enumerate(changes.added, start=1):
        _row_step(
            record_withdrawal,
            f"baru ke-{number}",
            session,
            actor,
            values.get("platform"),
            values.get("amount"),
            values.get("withdrawn_on"),
            values.get("notes", ""),
        )
    for row_id in changes.deleted:
        _row_step(
            delete_withdrawal, shown[row_id], session, actor, row_id, versions[row_id]
        )
    return changes


def _row_step(action, label, *args) -> None:
    try:
        action(*args)
    except ValidationError as exc:
        raise type(exc)(f"Baris {label}: {exc.message}") from exc
    except NotFound as exc:
        raise NotFound(f"Baris {label}: {exc.message}") from exc


def list_withdrawals(
    session: Session, filters: WithdrawalFilter, limit: int = 500, offset: int = 0
) -> pd.DataFrame:
    """Return one page of withdrawals, newest first, as a grid-ready frame."""
    query = (
        select(
            Withdrawal.id,
            Withdrawal.version,
            Platform.name.label("platform"),
            Withdrawal.amount,
            Withdrawal.withdrawn_on,
            Withdrawal.notes,
            Withdrawal.created_by,
            Withdrawal.deleted_by,
        )
        .join(Platform)
        .order_by(Withdrawal.withdrawn_on.desc(), Withdrawal.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(_where(query, filters)).all()
    columns = [
        "id",
        "version",
        "platform",
        "amount",
        "withdrawn_on",
        "notes",
        "created_by",
        "deleted_by",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["amount"] = frame["amount"].astype("int64")
    return frame


def first_date(session: Session) -> dt.date | None:
    """Return the date of the oldest withdrawal still shown, if any."""
    query = select(func.min(Withdrawal.withdrawn_on))
    return session.scalar(query.where(Withdrawal.deleted_at.is_(None)))


def count_withdrawals(session: Session, filters: WithdrawalFilter) -> int:
    """Return how many withdrawals match the filters."""
    query = select(func.count(Withdrawal.id))
    return session.scalar(_where(query, filters)) or 0


def totals_by_platform(session: Session, filters: WithdrawalFilter) -> list[tuple]:
    """Return (platform, count, total) for the matching withdrawals."""
    query = (
        select(Platform.name, func.count(Withdrawal.id), func.sum(Withdrawal.amount))
        .join(Withdrawal.platform)
        .group_by(Platform.id, Platform.name)
        .order_by(Platform.id)
    )
    return [(n, c, int(t or 0)) for n, c, t in session.execute(_where(query, filters))]


def totals_by_month(session: Session, filters: WithdrawalFilter) -> list[tuple]:
    """Return (year, month, platform, total) for the matching withdrawals.

    Summed per day in SQL, which reads the date index in order, then folded
    into months here: a month computed per row (strftime on SQLite) cost a
    pass and a sort over every withdrawal.
    """
    query = (
        select(Withdrawal.withdrawn_on, Platform.name, func.sum(Withdrawal.amount))
        .join(Withdrawal.platform)
        .group_by(Withdrawal.withdrawn_on, Platform.name)
    )
    months: Counter = Counter()
    for day, name, total in session.execute(_where(query, filters)):
        months[(day.year, day.month, name)] += int(total)
    return [(*key, total) for key, total in sorted(months.items())]


def _where(query, filters: WithdrawalFilter):
    deleted = Withdrawal.deleted_at.is_not(None)
    if filters.deleted:
        # Asked as a list of ids, SQLite reads the few deleted ones from their
        # index instead of walking every withdrawal in date order.
        query = query.where(Withdrawal.id.in_(select(Withdrawal.id).where(deleted)))
    else:
        query = query.where(~deleted)
    if filters.start:
        query = query.where(Withdrawal.withdrawn_on >= filters.start)
    if filters.end:
        query = query.where(Withdrawal.withdrawn_on <= filters.end)
    if filters.platform_ids:
        query = query.where(Withdrawal.platform_id.in_(filters.platform_ids))
    return query


def _view(withdrawal: Withdrawal) -> dict:
    return {
        "platform": withdrawal.platform.name,
        "amount": withdrawal.amount,
        "withdrawn_on": withdrawal.withdrawn_on,
        "notes": withdrawal.notes,
    }
