"""Log Audit: a read-only, filterable list of every change, newest first."""

import datetime as dt

import pytest

from office_core import accounts, withdrawals
from office_core.dates import format_date_id, today
from tests.ui.conftest import open_app, texts

PAGE = "pages/audit_log.py"


@pytest.fixture
def history(app_db, ui_admin, ui_manager):
    """A created, edited and deleted withdrawal and a failed sign-in."""
    with app_db.transaction() as session:
        withdrawal = withdrawals.record_withdrawal(session, ui_admin, "Shopee", 150_000)
    with app_db.transaction() as session:
        withdrawals.update_withdrawal(
            session, ui_admin, withdrawal.id, {"amount": 175_000}
        )
    with app_db.transaction() as session:
        withdrawals.delete_withdrawal(session, ui_admin, withdrawal.id)
    with app_db.transaction() as session:
        accounts.attempt_sign_in(session, "pemilik", "bukan-sandinya")
    return withdrawal.id


def _table(at):
    (table,) = at.dataframe
    return table.value


@pytest.mark.parametrize("role", ["admin", "management"])
def test_both_roles_read_the_log_newest_first(ui_admin, ui_manager, history, role):
    at = open_app(ui_admin if role == "admin" else ui_manager, PAGE)

    assert not at.exception
    assert at.title[0].value == "Log Audit"
    assert _table(at)["Aksi"].tolist() == [
        "Gagal masuk",
        "Hapus",
        "Ubah",
        "Tambah",
        "Tambah",
        "Tambah",
    ]


def test_before_and_after_are_shown_as_text(ui_admin, history):
    at = open_app(ui_admin, PAGE)

    update = _table(at).iloc[2]
    assert (update["Data"], update["ID"]) == ("Penarikan dana", str(history))
    assert "nominal: 150000" in update["Sebelum"]
    assert "nominal: 175000" in update["Sesudah"]
    assert update["Waktu (WIB)"].startswith(format_date_id(today()))


def test_the_log_filters_by_action(ui_admin, history):
    at = open_app(ui_admin, PAGE)

    at.multiselect(key="audit_actions").set_value(["update", "delete"]).run()

    assert _table(at)["Aksi"].tolist() == ["Hapus", "Ubah"]


def test_the_log_filters_by_entity(ui_admin, history):
    at = open_app(ui_admin, PAGE)

    at.multiselect(key="audit_entities").set_value(["user"]).run()

    assert set(_table(at)["Data"]) == {"Akun"}
    assert len(_table(at)) == 3


def test_the_log_filters_by_user(ui_admin, history):
    at = open_app(ui_admin, PAGE)

    at.text_input(key="audit_user").input("pemilik").run()

    assert _table(at)["Pengguna"].tolist() == ["pemilik"]
    assert _table(at)["Aksi"].tolist() == ["Gagal masuk"]


def test_the_log_filters_by_date_range(ui_admin, history):
    at = open_app(ui_admin, PAGE)
    long_ago = (dt.date(2024, 1, 1), dt.date(2024, 1, 31))

    at.date_input(key="audit_period").set_value(long_ago).run()

    assert not at.dataframe
    assert "Tidak ada catatan audit" in texts(at)


def test_the_log_offers_no_way_to_change_it(ui_manager, history):
    at = open_app(ui_manager, PAGE)

    assert not at.data_editor
    assert not at.form
    assert not at.main.button


def test_a_hostile_user_name_is_shown_as_plain_text(app_db, ui_admin):
    hostile = "[klik](https://contoh.invalid)"
    with app_db.transaction() as session:
        accounts.attempt_sign_in(session, hostile, "apa-saja-123")

    at = open_app(ui_admin, PAGE)

    assert hostile.lower() in _table(at)["Pengguna"].tolist()
    assert "contoh.invalid" not in texts(at)
