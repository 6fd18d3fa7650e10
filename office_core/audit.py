"""The audit log: who changed what, when, with the values before and after."""

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from office_core.models import AuditEntry


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
