"""Penarikan Dana page: admins add, edit, delete and restore; management reads."""

import datetime as dt

import pytest
from sqlalchemy import select

from office_core import withdrawals
from office_core.dates import today
from office_core.models import Withdrawal
from tests.ui.conftest import open_app, texts

PAGE = "pages/withdrawals.py"
SEPT_7 = dt.date(2025, 9, 7)


@pytest.fixture
def ledger(app_db, ui_admin) -> list[int]:
    """Two withdrawals recorded recently, newest first in the grid."""
    ids = []
    for platform, amount, days_ago in [
        ("Shopee", 150_000, 3),
        ("Tokopedia", 90_000, 1),
    ]:
        with app_db.transaction() as session:
            ids.append(
                withdrawals.record_withdrawal(
                    session,
                    ui_admin,
                    platform,
                    amount,
                    today() - dt.timedelta(days=days_ago),
                ).id
            )
    return ids[::-1]


def _stored(app_db) -> list[Withdrawal]:
    with app_db.transaction() as session:
        return list(session.scalars(select(Withdrawal).order_by(Withdrawal.id)))


def _grid(at):
    (editor,) = at.data_editor
    return editor


def _save_grid(at, edited=None, added=None, deleted=None):
    at.session_state[_grid(at).key] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    at.button(key="wd_save").click()
    return at.run()


def test_an_admin_adds_a_withdrawal_with_the_form(ui_admin, app_db):
    at = open_app(ui_admin, PAGE)
    at.selectbox(key="wd_f_p").set_value("Tokopedia")
    at.text_input(key="wd_f_a").input("Rp 1.500.000")
    at.date_input(key="wd_f_d").set_value(today())
    at.text_input(key="wd_f_n").input("pencairan")

    at.form(key="wd_add_form").button[0].click()
    at.run()

    assert "Penarikan Rp1.500.000 dari Tokopedia tersimpan." in texts(at)
    shown = _grid(at).value
    assert shown[["platform", "amount", "notes"]].values.tolist() == [
        ["Tokopedia", 1_500_000, "pencairan"]
    ]
    (stored,) = _stored(app_db)
    assert (stored.amount, stored.created_by) == (1_500_000, "admin")


def test_the_form_refuses_an_unclear_amount(ui_admin, app_db):
    at = open_app(ui_admin, PAGE)
    at.text_input(key="wd_f_a").input("150,000")

    at.form(key="wd_add_form").button[0].click()
    at.run()

    assert "tidak dapat dibaca sebagai Rupiah" in texts(at)
    assert _stored(app_db) == []


def test_totals_per_platform_are_shown_in_rupiah(ui_admin, ledger):
    at = open_app(ui_admin, PAGE)

    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Total penarikan": "Rp240.000",
        "Shopee": "Rp150.000",
        "Tokopedia": "Rp90.000",
    }


def test_an_admin_edits_an_amount_in_the_grid(ui_admin, app_db, ledger):
    at = open_app(ui_admin, PAGE)

    at = _save_grid(at, edited={0: {"amount": 95_000, "notes": "koreksi"}})

    assert "Tersimpan: 0 baru, 1 diubah, 0 dihapus." in texts(at)
    assert _grid(at).value.set_index("id").loc[ledger[0], "amount"] == 95_000
    edited = next(w for w in _stored(app_db) if w.id == ledger[0])
    assert (edited.amount, edited.notes, edited.version) == (95_000, "koreksi", 2)


def test_an_admin_adds_a_row_in_the_grid(ui_admin, app_db, ledger):
    at = open_app(ui_admin, PAGE)
    row = {"platform": "Lazada", "amount": 42_000, "withdrawn_on": str(today())}

    at = _save_grid(at, added=[row])

    assert "Tersimpan: 1 baru, 0 diubah, 0 dihapus." in texts(at)
    assert "Lazada" in _grid(at).value["platform"].tolist()
    assert [w.amount for w in _stored(app_db)] == [150_000, 90_000, 42_000]


def test_a_grid_delete_hides_the_row_until_it_is_restored(ui_admin, app_db, ledger):
    at = open_app(ui_admin, PAGE)

    at = _save_grid(at, deleted=[0])

    assert "Tersimpan: 0 baru, 0 diubah, 1 dihapus." in texts(at)
    assert _grid(at).value["id"].tolist() == [ledger[1]]
    assert at.selectbox(key="wd_restore_pick").value == ledger[0]

    at.button(key="wd_restore").click().run()

    assert f"Penarikan #{ledger[0]} dipulihkan." in texts(at)
    assert _grid(at).value["id"].tolist() == ledger
    assert all(w.deleted_at is None for w in _stored(app_db))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"edited_rows": {0: {"created_by": "penyusup"}}}, "tidak boleh diubah"),
        ({"edited_rows": {0: {"platform": "Bukalapak"}}}, "tidak dikenal"),
        ({"edited_rows": {0: {"platform": "Non Platform"}}}, "tidak dikenal"),
        ({"edited_rows": {0: {"amount": -5_000}}}, "negatif"),
        ({"edited_rows": {0: {"amount": "abc"}}}, "tidak dapat dibaca"),
        ({"edited_rows": {0: {"withdrawn_on": 12345}}}, "tidak dikenali"),
        ({"edited_rows": {0: {"notes": {"a": 1}}}}, "berupa teks"),
        ({"edited_rows": {0: {"bukan_kolom": 1}}}, "tidak boleh diubah"),
        ({"edited_rows": {7: {"amount": 1}}}, "tidak ada di tabel"),
        ({"edited_rows": {"x": {"amount": 1}}}, "tidak ada di tabel"),
        ({"deleted_rows": [7]}, "tidak ada di tabel"),
        ({"deleted_rows": ["0"]}, "tidak terbaca"),
        ({"added_rows": [{"platform": "Shopee", "amount": 0}]}, "lebih dari Rp0"),
    ],
)
def test_a_forged_grid_edit_is_refused_and_nothing_is_saved(
    ui_admin, app_db, ledger, edit, message
):
    before = [(w.id, w.amount, w.version, w.deleted_at) for w in _stored(app_db)]
    at = open_app(ui_admin, PAGE)
    # A genuine edit rides along: it must not be written either.
    edited = {1: {"amount": 1}, **edit.get("edited_rows", {})}

    at = _save_grid(at, edited, edit.get("added_rows"), edit.get("deleted_rows"))

    assert not at.exception
    assert message in "\n".join(e.value for e in at.error)
    assert "Tersimpan" not in texts(at)
    assert [(w.id, w.amount, w.version, w.deleted_at) for w in _stored(app_db)] == (
        before
    )


def test_management_reads_the_ledger_without_any_editing_control(ui_manager, ledger):
    at = open_app(ui_manager, PAGE)

    assert not at.exception
    assert not at.data_editor
    assert not at.form
    assert not [b for b in at.button if b.key in {"wd_save", "wd_restore"}]
    table = at.dataframe[-1]
    assert table.value["Nominal"].tolist() == ["Rp90.000", "Rp150.000"]
    assert table.value["Platform"].tolist() == ["Tokopedia", "Shopee"]
    assert table.value["Tanggal"].str.match(r"\d{2} \w+ \d{4}$").all()
