"""Backup and restore: a live SQLite copy and the portable export round trip."""

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from office_core import backup, cli, sessions, withdrawals
from office_core.accounts import Actor
from office_core.db import Database
from office_core.errors import ValidationError
from office_core.models import Base, Customer, Sale, Withdrawal
from tests.conftest import BACKENDS, _open, make_admin, make_manager
from tests.ui.sales_seed import record, seed_catalogue

NEXT_BACKEND = {"sqlite": "postgresql", "postgresql": "mariadb", "mariadb": "sqlite"}


def seed_business(database: Database) -> Actor:
    """Accounts, a sign-in, products, sales with subscriptions, withdrawals."""
    admin = make_admin(database)
    make_manager(database, admin)
    with database.transaction() as session:
        sessions.start(session, admin)
    codes = seed_catalogue(database, admin)
    first, second = list(codes.values())[:2]
    record(database, admin, [(first, 2, 3), (second, 1, 12)])
    record(database, admin, [(second, 1, None)], "Shopee", notes="kode & 'kutip' 😀")
    with database.transaction() as session:
        withdrawals.record_withdrawal(
            session, admin, "Shopee", 1_500_000, dt.date(2025, 9, 8), "tarik"
        )
    return admin


def everything(database: Database) -> dict[str, list[dict]]:
    """Every table's rows, as the export writes them.

    Leaves out the data version counter: every write, the import included,
    raises it, so that cached reports are read again.
    """
    with database.transaction() as session:
        return {
            table.name: list(backup.table_rows(session, table))
            for table in Base.metadata.sorted_tables
            if table.name != "data_version"
        }


@contextmanager
def fresh(backend: str, folder: Path) -> Iterator[Database]:
    """A freshly migrated database on `backend`, dropped afterwards."""
    if backend not in BACKENDS:
        pytest.skip(f"{backend} is not among the test databases")
    folder.mkdir(exist_ok=True)
    yield from _open(backend, folder)


@pytest.fixture
def same_kind(db, tmp_path) -> Iterator[Database]:
    """A fresh database on the same backend as `db`."""
    backend = db.engine.dialect.name.replace("mysql", "mariadb")
    with fresh(backend, tmp_path / "target") as database:
        yield database


def test_an_export_loads_into_a_fresh_database_with_every_row_equal(
    db, same_kind, tmp_path
):
    seed_business(db)
    dump = tmp_path / "ekspor.jsonl.gz"

    counts = backup.export_data(db, dump)
    loaded = backup.import_data(same_kind, dump)

    assert loaded == counts
    assert counts["sales"] == 2 and counts["users"] == 2
    assert counts["sign_in_sessions"] == 1 and counts["audit_log"] > 0
    assert everything(same_kind) == everything(db)


@pytest.mark.parametrize("source", ["sqlite", "postgresql", "mariadb"])
def test_an_export_moves_between_kinds_of_database(source, tmp_path):
    with (
        fresh(source, tmp_path / "a") as first,
        fresh(NEXT_BACKEND[source], tmp_path / "b") as second,
    ):
        seed_business(first)
        backup.export_data(first, tmp_path / "ekspor.jsonl")
        backup.import_data(second, tmp_path / "ekspor.jsonl")

        # MariaDB's DATETIME keeps whole seconds; compare at that precision.
        assert _to_seconds(everything(second)) == _to_seconds(everything(first))


def test_new_rows_after_an_import_get_new_ids(db, same_kind, tmp_path):
    admin = seed_business(db)
    backup.export_data(db, tmp_path / "ekspor.jsonl")
    backup.import_data(same_kind, tmp_path / "ekspor.jsonl")

    with same_kind.transaction() as session:
        added = withdrawals.record_withdrawal(session, admin, "Lazada", 10_000)
    with same_kind.transaction() as session:
        assert added.id > 1
        assert session.scalar(select(Withdrawal).where(Withdrawal.id == added.id))


def test_an_import_into_a_database_in_use_is_refused_unless_replacing(
    sqlite_db, tmp_path
):
    seed_business(sqlite_db)
    dump = tmp_path / "ekspor.jsonl"
    backup.export_data(sqlite_db, dump)
    with sqlite_db.transaction() as session:
        session.add(Customer(name="Baru", phone="+6281299990000"))

    with pytest.raises(ValidationError, match="--replace"):
        backup.import_data(sqlite_db, dump)
    backup.import_data(sqlite_db, dump, replace=True)

    with sqlite_db.transaction() as session:
        assert not session.scalar(select(Customer).where(Customer.name == "Baru"))
        assert len(session.scalars(select(Sale)).all()) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("bukan json\n", "bukan berkas ekspor"),
        ('{"format": "dwigital-export", "revision": "0001"}\n', "skema 0001"),
    ],
)
def test_a_foreign_or_old_file_is_refused(sqlite_db, tmp_path, content, message):
    dump = tmp_path / "ekspor.jsonl"
    dump.write_text(content)

    with pytest.raises(ValidationError, match=message):
        backup.import_data(sqlite_db, dump)


def test_a_damaged_line_rolls_the_whole_import_back(sqlite_db, tmp_path):
    seed_business(sqlite_db)
    dump = tmp_path / "ekspor.jsonl"
    backup.export_data(sqlite_db, dump)
    dump.write_text(dump.read_text() + '{"table": "tidak_ada", "row": {}}\n')
    before = everything(sqlite_db)

    with pytest.raises(ValidationError, match="tidak dapat dibaca"):
        backup.import_data(sqlite_db, dump, replace=True)

    assert everything(sqlite_db) == before


def test_a_live_sqlite_database_is_copied_consistently(sqlite_db, tmp_path):
    admin = seed_business(sqlite_db)
    stop = threading.Event()
    writer = threading.Thread(target=_keep_writing, args=(sqlite_db, admin, stop))
    writer.start()
    try:
        copy = backup.backup_sqlite(sqlite_db, tmp_path / "salinan.db")
    finally:
        stop.set()
        writer.join()

    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT COUNT(*) FROM sales").fetchone() == (2,)
    with pytest.raises(ValidationError, match="sudah ada"):
        backup.backup_sqlite(sqlite_db, copy)


def test_the_commands_back_up_export_and_import(sqlite_db, tmp_path, monkeypatch):
    seed_business(sqlite_db)
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", sqlite_db.url)

    assert cli.main(["backup", "--to", str(tmp_path / "salinan.db")]) == 0
    assert cli.main(["export", "--to", str(tmp_path / "e.jsonl")]) == 0
    assert cli.main(["import-data", "--from", str(tmp_path / "e.jsonl")]) == 2
    assert (
        cli.main(["import-data", "--from", str(tmp_path / "e.jsonl"), "--replace"]) == 0
    )
    assert (tmp_path / "salinan.db").stat().st_size > 0


def test_a_file_copy_is_refused_for_a_server_database():
    server = Database("postgresql+psycopg://postgres@127.0.0.1:1/tidak")

    with pytest.raises(ValidationError, match="hanya untuk database SQLite"):
        backup.backup_sqlite(server, Path("x.db"))


def _keep_writing(database: Database, admin: Actor, stop: threading.Event) -> None:
    while not stop.is_set():
        with database.transaction() as session:
            withdrawals.record_withdrawal(session, admin, "Tokopedia", 1_000)


def _to_seconds(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    def cut(value):
        if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
            return value[:19]
        return value

    return {
        name: [{k: cut(v) for k, v in row.items()} for row in rows]
        for name, rows in tables.items()
    }
