"""The app on PostgreSQL behind a proxy the test cuts: a message, no traceback.

Each test's database is a fresh one on the shared server, reached through a
TCP proxy; the server itself is never stopped.
"""

import pytest
from sqlalchemy import func, select

from office_core import withdrawals
from office_core.dates import today
from office_core.models import AuditEntry, Withdrawal
from tests.conftest import make_admin
from tests.tcp_proxy import NEEDS_POSTGRES
from tests.ui.conftest import open_app, texts

PAGE = "pages/withdrawals.py"
DOWN = "Database tidak dapat dihubungi"
pytestmark = NEEDS_POSTGRES


@pytest.fixture(autouse=True)
def app_through_proxy(direct, proxy, monkeypatch):
    """The app under test reaches its database only through the proxy."""
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", proxy.url(direct.url))


@pytest.fixture
def admin(direct):
    return make_admin(direct)


@pytest.fixture
def admin_tab(admin, proxy):
    """The withdrawals page, open for a signed-in admin."""
    at = open_app(admin, PAGE)
    assert not at.exception
    return at


def stored(direct) -> tuple[list[tuple[int, int]], int]:
    """Return (amount, version) of each withdrawal and the audit entry count."""
    with direct.transaction() as session:
        rows = session.execute(
            select(Withdrawal.amount, Withdrawal.version).order_by(Withdrawal.id)
        )
        return [tuple(row) for row in rows], session.scalar(
            select(func.count(AuditEntry.id))
        )


def submit_form(at, amount: str):
    at.selectbox(key="wd_f_p").set_value("Shopee")
    at.text_input(key="wd_f_a").input(amount)
    at.date_input(key="wd_f_d").set_value(today())
    at.form(key="wd_add_form").button[0].click()
    return at.run()


def errors(at) -> str:
    return "\n".join(error.value for error in at.error)


def test_a_form_save_cut_midway_is_explained_writes_nothing_and_then_works(
    direct, proxy, admin_tab
):
    before = stored(direct)
    proxy.cut_on(b"INSERT INTO audit_log")

    at = submit_form(admin_tab, "150.000")

    assert not at.exception
    assert DOWN in errors(at)
    assert "Tidak ada yang tersimpan" in errors(at)
    assert proxy.cuts == 1
    assert stored(direct) == before
    proxy.cut_on(None)

    at = submit_form(at, "150.000")

    assert not at.exception
    assert "Penarikan Rp150.000 dari Shopee tersimpan." in texts(at)
    assert stored(direct)[0] == [(150_000, 1)]


def test_a_grid_save_cut_midway_keeps_the_edit_to_retry(
    direct, proxy, admin, admin_tab
):
    with direct.transaction() as session:
        withdrawals.record_withdrawal(session, admin, "Shopee", 150_000, today())
    at = admin_tab.run()
    before = stored(direct)
    at.session_state[at.data_editor[0].key] = {"edited_rows": {0: {"amount": 1}}}
    proxy.cut_on(b"INSERT INTO audit_log")

    at.button(key="wd_save").click().run()

    assert not at.exception
    assert DOWN in errors(at)
    assert proxy.cuts == 1
    assert stored(direct) == before
    proxy.cut_on(None)

    at.button(key="wd_save").click().run()

    assert "Tersimpan: 0 baru, 1 diubah, 0 dihapus." in texts(at)
    assert stored(direct)[0] == [(1, 2)]


def test_the_page_explains_a_lost_database_and_recovers_when_it_is_back(
    direct, proxy, admin_tab
):
    proxy.down()

    at = admin_tab.run()

    assert not at.exception
    assert DOWN in errors(at)

    proxy.up()
    at = at.run()

    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Penarikan Dana"
    assert at.form(key="wd_add_form")


def test_a_day_of_withdrawals_survives_a_cut_between_two_saves(
    direct, proxy, admin_tab
):
    at = submit_form(admin_tab, "100.000")
    proxy.cut()  # every pooled connection dies between two clicks

    at = submit_form(at, "200.000")

    assert not at.exception
    assert not at.error
    assert [amount for amount, _ in stored(direct)[0]] == [100_000, 200_000]
