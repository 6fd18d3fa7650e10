"""Black-box scenarios 1–3 of the paper (tambah, edit, hapus Withdraw), via the UI."""

import csv
import datetime as dt

import pytest
from sqlalchemy import select

from office_core import withdrawals
from office_core.dates import today
from office_core.models import Withdrawal
from tests.paths import paper_file
from tests.ui.conftest import open_app, texts

PAGE = "pages/withdrawals.py"


def scenario(number: int) -> dict[str, str]:
    """Return one row of the paper's black-box test table (1-based)."""
    with paper_file("black_box_tests.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[number - 1]


@pytest.fixture
def recorded(app_db, ui_admin) -> int:
    """One withdrawal already in the ledger, as the paper's table had."""
    with app_db.transaction() as session:
        return withdrawals.record_withdrawal(
            session, ui_admin, "Shopee", 500_000, today() - dt.timedelta(days=2)
        ).id


def _table(at):
    (editor,) = at.data_editor
    return editor.value


def _stored(app_db, withdrawal_id: int) -> Withdrawal:
    with app_db.transaction() as session:
        return session.scalar(select(Withdrawal).where(Withdrawal.id == withdrawal_id))


def _save(at, **edit_state):
    state = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | edit_state
    at.session_state[at.data_editor[0].key] = state
    at.button(key="wd_save").click()
    return at.run()


def test_scenario_1_a_new_withdrawal_is_saved_and_shown_in_the_table(ui_admin, app_db):
    assert scenario(1)["Fitur yang diuji"] == "Tambah data Withdraw"
    at = open_app(ui_admin, PAGE)
    at.selectbox(key="wd_f_p").set_value("Shopee")
    at.text_input(key="wd_f_a").input("Rp 1.250.000")
    at.text_input(key="wd_f_n").input("Penarikan saldo Shopee")

    at.form(key="wd_add_form").button[0].click()
    at.run()

    assert not at.exception
    assert "Penarikan Rp1.250.000 dari Shopee tersimpan." in texts(at)
    row = _table(at).iloc[0]
    assert (row["platform"], row["amount"], row["withdrawn_on"]) == (
        "Shopee",
        1_250_000,
        today(),
    )
    assert _stored(app_db, int(row["id"])).amount == 1_250_000


def test_scenario_2_a_changed_amount_is_saved_and_the_new_value_shown(
    ui_admin, app_db, recorded
):
    assert scenario(2)["Skenario Pengujian"] == "Mengubah nominal penarikan dana"
    at = open_app(ui_admin, PAGE)
    assert _table(at)["amount"].tolist() == [500_000]

    at = _save(at, edited_rows={0: {"amount": 750_000}})

    assert not at.exception
    assert "1 diubah" in texts(at)
    assert _table(at)["amount"].tolist() == [750_000]
    assert _stored(app_db, recorded).amount == 750_000


def test_scenario_3_a_deleted_withdrawal_leaves_the_table_and_can_be_restored(
    ui_admin, app_db, recorded
):
    assert scenario(3)["Fitur yang diuji"] == "Hapus data Withdraw"
    at = open_app(ui_admin, PAGE)

    at = _save(at, deleted_rows=[0])

    assert not at.exception
    assert "1 dihapus" in texts(at)
    assert _table(at).empty
    stored = _stored(app_db, recorded)
    assert stored.deleted_at is not None
    assert stored.deleted_by == "admin"
    with app_db.transaction() as session:
        assert (
            withdrawals.totals_by_platform(session, withdrawals.WithdrawalFilter())
            == []
        )

    at.button(key="wd_restore").click().run()

    assert _table(at)["id"].tolist() == [recorded]
