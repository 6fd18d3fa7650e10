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
from office_core.money import format_rupiah

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


def changes_since(session: Session, entity: str, entity_id: object, count: int) -> str:
    """Describe a record's last `count` changes: who did what to which fields.

    Every change of a versioned record bumps its version and writes one entry,
    so a stale editor's missed changes are the newest `count` entries.
    """
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id.desc())
        .limit(max(1, min(int(count), 20)))
    )
    entries = list(session.scalars(query))[::-1]
    return "; ".join(_change(entry) for entry in entries) or "perubahan tak tercatat"


ACTION_WORDS = {
    "create": "dibuat",
    "update": "diubah",
    "delete": "dihapus",
    "void": "dibatalkan",
    "restore": "dipulihkan",
}
MONEY_FIELDS = {"amount", "total", "price"}


def _change(entry: AuditEntry) -> str:
    verb = ACTION_WORDS.get(entry.action, entry.action)
    before, after = _loaded(entry.before), _loaded(entry.after)
    fields = [
        _field_change(key, before.get(key), after[key])
        for key in after
        if entry.before and before.get(key) != after[key]
    ]
    detail = f" ({', '.join(fields)})" if fields else ""
    return f"{verb} oleh {entry.username}{detail}"


def _loaded(values: str | None) -> dict:
    try:
        data = json.loads(values) if values else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _field_change(key: str, old: object, new: object) -> str:
    label = FIELD_LABELS.get(key, key)
    if isinstance(new, list | dict):
        return label
    return f"{label} {_value(key, old)} → {_value(key, new)}"


def _value(key: str, value: object) -> str:
    if key in MONEY_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return format_rupiah(value)
    return _text(value)


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
