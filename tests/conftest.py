"""Fixtures shared by every test: fresh databases and signed-in actors."""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from office_core import accounts
from office_core.db import Database

SERVERS = {
    "postgresql": os.environ.get(
        "DWIGITAL_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mariadb": os.environ.get(
        "DWIGITAL_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/test"
    ),
}
BACKENDS = os.environ.get("DWIGITAL_TEST_DATABASES", "sqlite,postgresql,mariadb").split(
    ","
)
PASSWORD = "kata-sandi-uji-123"
SECRET_KEY = "kunci-uji-yang-tidak-dipakai-di-produksi"


@pytest.fixture(autouse=True)
def secret_key(monkeypatch) -> str:
    """Sign tokens with a test key, so no test writes data/secret_key."""
    monkeypatch.setenv("DWIGITAL_SECRET_KEY", SECRET_KEY)
    return SECRET_KEY


def fresh_database_url(backend: str, tmp_path) -> tuple[str, callable]:
    """Create an empty database on `backend`; return its URL and a dropper."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'office.db'}", lambda: None
    server = make_url(SERVERS[backend])
    name = f"dw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))

    def drop() -> None:
        with admin.connect() as connection:
            if backend == "postgresql":
                connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
            else:
                connection.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def _open(backend: str, tmp_path) -> Iterator[Database]:
    url, drop = fresh_database_url(backend, tmp_path)
    database = Database(url)
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()
        drop()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path) -> Iterator[Database]:
    """A freshly migrated database, once on each supported backend."""
    yield from _open(request.param, tmp_path)


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:
    """A freshly migrated SQLite database."""
    yield from _open("sqlite", tmp_path)


def make_admin(database: Database) -> accounts.Actor:
    with database.transaction() as session:
        return accounts.create_first_admin(session, "admin", PASSWORD)


def make_manager(database: Database, admin: accounts.Actor) -> accounts.Actor:
    with database.transaction() as session:
        return accounts.create_user(
            session, admin, "pemilik", PASSWORD, accounts.MANAGEMENT
        )


@pytest.fixture
def admin(db) -> accounts.Actor:
    return make_admin(db)


@pytest.fixture
def manager(db, admin) -> accounts.Actor:
    return make_manager(db, admin)


@pytest.fixture
def behind_proxy(tmp_path):
    """A fresh PostgreSQL database and a TCP proxy in front of it that tests cut."""
    # Imported here: tests.tcp_proxy itself imports from this module.
    from tests.tcp_proxy import postgres_behind_proxy

    with postgres_behind_proxy(tmp_path) as pair:
        yield pair


@pytest.fixture
def direct(behind_proxy):
    """The fresh PostgreSQL database, reached directly."""
    return behind_proxy[0]


@pytest.fixture
def proxy(behind_proxy):
    return behind_proxy[1]
