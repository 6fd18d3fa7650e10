"""Backups: a safe copy of a live SQLite file, and a portable export/import.

The export is JSON lines (gzip when the name ends in .gz): a header with the
schema revision, then one line per row, table by table in foreign-key order,
so it loads into any supported database migrated to the same revision.
"""

import datetime as dt
import gzip
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from alembic.migration import MigrationContext
from sqlalchemy import (
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    Table,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from office_core.dates import as_utc, now
from office_core.db import Database
from office_core.errors import ValidationError
from office_core.models import Base, User

log = logging.getLogger(__name__)

FORMAT = "dwigital-export"
VERSION = 1
BATCH = 1000


def backup_sqlite(database: Database, target: Path) -> Path:
    """Copy a SQLite database, even while the app writes to it.

    Uses SQLite's online backup API, which copies a consistent snapshot;
    a plain file copy of a live database (and its WAL file) may not be one.
    """
    source = _sqlite_path(database)
    if target.exists():
        raise ValidationError(f"Berkas tujuan '{target}' sudah ada; pilih nama lain.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".sebagian")
    with _sqlite(source) as live, _sqlite(partial) as copy:
        live.backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        partial.unlink()
        raise ValidationError(f"Salinan rusak ({verdict}); tidak ada yang disimpan.")
    partial.rename(target)
    log.info("sqlite backup written")
    return target


def _sqlite_path(database: Database) -> Path:
    url = make_url(database.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise ValidationError(
            "Salinan berkas hanya untuk database SQLite. Untuk PostgreSQL atau "
            "MariaDB gunakan 'export' (atau pg_dump / mariadb-dump)."
        )
    return Path(url.database)


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path)
    try:
        yield connection
    finally:
        connection.close()


def export_data(database: Database, target: Path) -> dict[str, int]:
    """Write every table to a JSON-lines file; return the rows per table."""
    if target.exists():
        raise ValidationError(f"Berkas tujuan '{target}' sudah ada; pilih nama lain.")
    counts: dict[str, int] = {}
    with database.transaction() as session, _open(target, "wt") as out:
        header = {"format": FORMAT, "version": VERSION}
        header |= {"revision": _revision(session), "exported_at": now().isoformat()}
        out.write(json.dumps(header) + "\n")
        for table in Base.metadata.sorted_tables:
            counts[table.name] = 0
            for row in table_rows(session, table):
                out.write(json.dumps({"table": table.name, "row": row}) + "\n")
                counts[table.name] += 1
    log.info("export written: %d rows", sum(counts.values()))
    return counts


def table_rows(session: Session, table: Table) -> Iterator[dict[str, Any]]:
    """Yield a table's rows as JSON-ready dicts, in primary-key order."""
    query = select(table).order_by(*table.primary_key.columns)
    result = session.execute(query.execution_options(yield_per=BATCH))
    for row in result.mappings():
        yield {name: _encode(value) for name, value in row.items()}


def import_data(database: Database, source: Path, replace: bool = False) -> dict:
    """Load an export into a migrated database, in one transaction.

    Refuses a database that already has accounts unless `replace`, which
    then deletes everything in it first.
    """
    tables = Base.metadata.tables
    with database.transaction() as session, _open(source, "rt") as lines:
        _check_header(session, next(lines, ""), source)
        _clear(session, replace)
        counts = _load(session, tables, lines)
        _advance_sequences(session)
    log.info("import loaded: %d rows", sum(counts.values()))
    return counts


def _check_header(session: Session, line: str, source: Path) -> None:
    try:
        header = json.loads(line)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValidationError(f"'{source.name}' bukan berkas ekspor Dwigital Office.")
    if header.get("revision") != _revision(session):
        raise ValidationError(
            f"Berkas ekspor dari skema {header.get('revision')}, database ini "
            f"{_revision(session)}. Samakan versi aplikasinya dulu."
        )


def _clear(session: Session, replace: bool) -> None:
    if session.scalar(select(func.count(User.id))) and not replace:
        raise ValidationError(
            "Database tujuan sudah berisi data (ada akun). Tambahkan --replace "
            "untuk menghapus isinya dan menggantinya dengan isi berkas."
        )
    # A fresh database still holds the rows its migrations seeded.
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(delete(table))


def _load(session: Session, tables: dict[str, Table], lines: IO[str]) -> dict:
    counts: dict[str, int] = dict.fromkeys(tables, 0)
    pending: list[dict] = []
    current: Table | None = None
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        table, row = _parse(tables, line, number)
        if current is not None and (table is not current or len(pending) >= BATCH):
            session.execute(insert(current), pending)
            pending = []
        current = table
        pending.append(row)
        counts[table.name] += 1
    if pending:
        session.execute(insert(current), pending)
    return counts


def _parse(tables: dict[str, Table], line: str, number: int) -> tuple[Table, dict]:
    try:
        entry = json.loads(line)
        table = tables[entry["table"]]
        row = {name: _decode(table.c[name], v) for name, v in entry["row"].items()}
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            f"Baris {number} berkas ekspor tidak dapat dibaca ({exc})."
        ) from None
    return table, row


def _advance_sequences(session: Session) -> None:
    """Let PostgreSQL number new rows after the imported ids."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite and MariaDB continue after the highest id by themselves.
    for table in Base.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                f"'{key[0].name}'), COALESCE(MAX({key[0].name}), 1), "
                f"MAX({key[0].name}) IS NOT NULL) FROM {table.name}"
            )
        )


def _revision(session: Session) -> str | None:
    return MigrationContext.configure(session.connection()).get_current_revision()


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return as_utc(value).astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(column, value: Any) -> Any:
    kind = column.type
    if value is None:
        return None
    if isinstance(kind, DateTime):
        return as_utc(dt.datetime.fromisoformat(value)).astimezone(dt.UTC)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return Decimal(value)
    return value


def _open(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, mode, encoding="utf-8")
    return path.open(mode[0], encoding="utf-8")
