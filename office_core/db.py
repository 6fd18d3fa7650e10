"""Engines, migrations and the one-transaction-per-action unit of work."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from office_core import data_version
from office_core.errors import OfficeError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(OfficeError):
    """The database cannot be reached right now."""


class Database:
    """An engine plus the session factory that every action goes through."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        data_version.track(self._sessions)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Run one user action in one transaction: all of it or none of it."""
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            log.exception("database error")
            raise DatabaseUnavailable(
                "Database tidak dapat dihubungi atau sedang sibuk. "
                "Tidak ada yang tersimpan; coba lagi sebentar lagi."
            ) from exc

    def migrate(self) -> None:
        """Bring the schema up to date."""
        migrate(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    """Create an engine tuned for the kind of database in `url`."""
    parsed = make_url(url)
    if parsed.get_backend_name() in ("mysql", "mariadb"):
        # Read committed, as on PostgreSQL: a register that waited for another
        # one's commit must then see what it committed (a duplicate submit's
        # sale, a customer just added), which repeatable read would hide.
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_recycle=1800,
            isolation_level="READ COMMITTED",
        )
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_recycle=1800)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy issue BEGIN itself so a write transaction locks at its start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Run every Alembic migration not yet applied to `engine`'s database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
