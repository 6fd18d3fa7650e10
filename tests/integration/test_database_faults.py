"""A lost PostgreSQL connection: a clear refusal, nothing half-written, recovery.

The app reaches a fresh test database through a TCP proxy the test controls;
the shared server itself is never stopped.
"""

import datetime as dt

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from office_core import withdrawals
from office_core.db import Database, DatabaseUnavailable
from office_core.models import AuditEntry, Withdrawal
from tests.conftest import make_admin
from tests.tcp_proxy import NEEDS_POSTGRES

DAY = dt.date(2025, 9, 7)
pytestmark = NEEDS_POSTGRES


@pytest.fixture
def app(direct, proxy):
    """The database as the app sees it: through the proxy."""
    database = Database(proxy.url(direct.url))
    yield database
    database.dispose()


def counts(direct) -> tuple[int, int]:
    """Return (withdrawals, audit entries) as the server holds them."""
    with direct.transaction() as session:
        return (
            session.scalar(select(func.count(Withdrawal.id))),
            session.scalar(select(func.count(AuditEntry.id))),
        )


def record(database, actor, amount=150_000) -> int:
    with database.transaction() as session:
        return withdrawals.record_withdrawal(session, actor, "Shopee", amount, DAY).id


def test_an_unreachable_database_is_refused_in_indonesian(app, proxy):
    proxy.down()

    with pytest.raises(DatabaseUnavailable) as refused, app.transaction() as session:
        session.execute(text("SELECT 1"))

    assert refused.value.message.startswith("Database tidak dapat dihubungi")
    assert "Tidak ada yang tersimpan" in refused.value.message


@pytest.mark.parametrize(
    "marker", [b"INSERT INTO audit_log", b"COMMIT"], ids=["audit-insert", "commit"]
)
def test_a_connection_cut_during_a_save_writes_nothing_and_the_next_save_works(
    direct, app, proxy, marker
):
    admin = make_admin(direct)
    before = counts(direct)
    proxy.cut_on(marker)

    with pytest.raises(DatabaseUnavailable):
        record(app, admin)

    assert proxy.cuts == 1
    assert counts(direct) == before
    proxy.cut_on(None)
    withdrawal_id = record(app, admin, 175_000)
    with direct.transaction() as session:
        assert session.get(Withdrawal, withdrawal_id).amount == 175_000
    assert counts(direct) == (before[0] + 1, before[1] + 1)


def test_the_app_recovers_by_itself_when_the_database_is_back(direct, app, proxy):
    admin = make_admin(direct)
    record(app, admin)  # the pool now holds a connection that will die
    proxy.down()
    with pytest.raises(DatabaseUnavailable):
        record(app, admin)

    proxy.up()

    record(app, admin, 90_000)
    assert counts(direct)[0] == 2


def test_a_backend_terminated_between_actions_is_replaced_unnoticed(direct, app):
    admin = make_admin(direct)
    record(app, admin)
    name = make_url(direct.url).database
    killer = create_engine(
        make_url(direct.url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with killer.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        ).scalar()
    killer.dispose()

    record(app, admin, 90_000)

    assert killed >= 1
    assert counts(direct)[0] == 2
