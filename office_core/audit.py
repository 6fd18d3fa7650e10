"""The audit log: who changed what, when, with the values before and after."""

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from office_core.dates import JAKARTA, format_date_id
from office_core.models import AuditEntry

MAX_ENTRIES = 1000
COLUMNS = ["id", "at", "username", "action", "entity", "entity_id", "before", "after"]


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show; dates are days in Asia/Jakarta, both included."""

    actions: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    username: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def record(
    session: Session,
    username: str,
    action: str,
    entity: str,
    entity_id: object = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Add one audit entry to the current transaction."""
    session.add(
        AuditEntry(
            username=username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=_dump(before),
            after=_dump(after),
        )
    )


def _dump(values: dict | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, default=_plain, ensure_ascii=False, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def recent(session: Session, limit: int = 200) -> list[AuditEntry]:
    """Return the newest audit entries first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))


def list_entries(
    session: Session, filters: AuditFilter, limit: int = 200
) -> pd.DataFrame:
    """Return the newest matching entries first, at most `limit` of them."""
    limit = max(1, min(int(limit), MAX_ENTRIES))
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    rows = [_row(entry) for entry in session.scalars(_where(query, filters))]
    return pd.DataFrame(rows, columns=COLUMNS)


def count_entries(session: Session, filters: AuditFilter) -> int:
    """Return how many entries match the filters."""
    return session.scalar(_where(select(func.count(AuditEntry.id)), filters)) or 0


def known_values(session: Session) -> dict[str, list[str]]:
    """Return the actions and entities that occur in the log, for filter choices."""
    actions = session.scalars(select(AuditEntry.action).distinct())
    entities = session.scalars(select(AuditEntry.entity).distinct())
    return {"actions": sorted(actions), "entities": sorted(entities)}


def _where(query, filters: AuditFilter):
    if filters.actions:
        query = query.where(AuditEntry.action.in_(filters.actions))
    if filters.entities:
        query = query.where(AuditEntry.entity.in_(filters.entities))
    username = filters.username.strip().lower()
    if username:
        query = query.where(AuditEntry.username.contains(username, autoescape=True))
    if filters.start:
        query = query.where(AuditEntry.at >= _day_start(filters.start))
    if filters.end:
        query = query.where(AuditEntry.at < _day_start(filters.end + dt.timedelta(1)))
    return query


def _day_start(day: dt.date) -> dt.datetime:
    # Entries are stored in UTC; a day is a Jakarta day.
    return dt.datetime.combine(day, dt.time(), JAKARTA).astimezone(dt.UTC)


def _row(entry: AuditEntry) -> dict:
    return {
        "id": entry.id,
        "at": local_time(entry.at),
        "username": entry.username,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": describe(entry.before),
        "after": describe(entry.after),
    }


def local_time(moment: dt.datetime) -> dt.datetime:
    """Return a stored moment as Jakarta wall-clock time, without a zone."""
    # SQLite and MariaDB give naive datetimes back; they were stored in UTC.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(JAKARTA).replace(tzinfo=None)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def describe(values: str | None) -> str:
    """Turn stored before/after values into one line of text: `key: value; ...`."""
    if not values:
        return ""
    try:
        data = json.loads(values)
    except ValueError:
        return values
    if not isinstance(data, dict):
        return str(data)
    return "; ".join(
        f"{FIELD_LABELS.get(key, key)}: {_text(value)}" for key, value in data.items()
    )


FIELD_LABELS = {
    "platform": "platform",
    "amount": "nominal",
    "withdrawn_on": "tanggal",
    "notes": "keterangan",
    "invoice_no": "no faktur",
    "status": "status",
    "sold_on": "tanggal",
    "customer_name": "pelanggan",
    "customer_phone": "no HP",
    "payment_method": "pembayaran",
    "total": "total",
    "lines": "baris (produk, harga, qty, diskon, durasi)",
    "username": "nama pengguna",
    "role": "peran",
    "active": "aktif",
    "code": "kode",
    "name": "nama",
    "price": "harga",
    "default_months": "durasi default",
    "value": "nilai",
    "file": "berkas",
}
# Stored codes that appear as values, in the words the app shows.
_STATUS = {
    "completed": "selesai",
    "void": "dibatalkan",
    "held": "ditahan",
    "cancelled": "dibatalkan",
    "admin": "Admin",
    "management": "Manajemen",
}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None or value == "":
        return "-"
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return format_date_id(dt.date.fromisoformat(value))
    return _STATUS.get(value, str(value)) if isinstance(value, str) else str(value)
