"""Editable pages against forged edit states, a second admin, and deletes."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

from office_core import accounts, products, sales, withdrawals
from office_core.dates import today
from office_core.models import Base, Product
from tests.conftest import PASSWORD
from tests.ui.conftest import open_app, sign_in_tab, texts
from tests.ui.sales_seed import record, seed_catalogue

WITHDRAWALS = "pages/withdrawals.py"
HISTORY = "pages/history.py"
# Sign-in bookkeeping (last seen) changes on every run; it is not business data.
SESSION_TABLES = {"sign_in_sessions"}
SAVE = {WITHDRAWALS: "wd_save", HISTORY: "hist_save"}


def snapshot(database) -> dict[str, list[tuple]]:
    """Return every row of every table, to prove a refusal wrote nothing."""
    with database.transaction() as session:
        return {
            table.name: sorted(
                (tuple(map(str, row)) for row in session.execute(select(table))),
            )
            for table in Base.metadata.sorted_tables
            if table.name not in SESSION_TABLES
        }


def send(at, page: str, edit_state: dict):
    """Put a crafted edit state in the grid's session slot and press save."""
    at.session_state[at.data_editor[0].key] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **edit_state,
    }
    at.button(key=SAVE[page]).click()
    return at.run()


def errors(at) -> str:
    return "\n".join(error.value for error in at.error)


@pytest.fixture
def ledger(app_db, ui_admin) -> int:
    with app_db.transaction() as session:
        yesterday = today() - dt.timedelta(days=1)
        return withdrawals.record_withdrawal(
            session, ui_admin, "Shopee", 150_000, yesterday
        ).id


@pytest.fixture
def arif_sale(app_db, ui_admin):
    catalogue = seed_catalogue(app_db, ui_admin)
    return record(app_db, ui_admin, [(catalogue["GPT"], 1, 1)])


FORGED_WITHDRAWALS = [
    ({0: {"created_by": "penyusup"}}, "Kolom Dicatat oleh tidak boleh diubah"),
    ({0: {"platform": "Bitcoin Exchange"}}, "tidak dikenal"),
    ({0: {"amount": -1}}, "tidak boleh negatif"),
    ({0: {"amount": 10**18}}, "terlalu besar"),
    ({0: {"amount": 1e300}}, "terlalu besar"),
    ({0: {"amount": "Rp 9.999.999.999.999.999.999"}}, "terlalu besar"),
    ({0: {"withdrawn_on": str(today() + dt.timedelta(days=1))}}, "setelah hari ini"),
    ({5: {"amount": 1}}, "tidak ada di tabel"),
]


@pytest.mark.parametrize(("edited", "message"), FORGED_WITHDRAWALS)
def test_forged_withdrawal_grid_state_is_refused_and_nothing_written(
    app_db, ui_admin, ledger, edited, message
):
    at = open_app(ui_admin, WITHDRAWALS)
    before = snapshot(app_db)

    at = send(at, WITHDRAWALS, {"edited_rows": edited})

    assert not at.exception
    assert message in errors(at)
    assert snapshot(app_db) == before


FORGED_HISTORY = [
    ({0: {"total": 1}}, "Kolom Total tidak boleh diubah"),
    ({0: {"subtotal": 1}}, "Kolom Subtotal tidak boleh diubah"),
    ({0: {"platform": "Bukalapak"}}, "tidak dikenal"),
    ({0: {"payment_method": "Bitcoin"}}, "tidak dikenal"),
    ({0: {"duration_months": -3}}, "Durasi"),
    ({0: {"duration_months": 10**9}}, "Durasi"),
    ({3: {"notes": "x"}}, "tidak ada di tabel"),
]


@pytest.mark.parametrize(("edited", "message"), FORGED_HISTORY)
def test_forged_history_grid_state_is_refused_and_nothing_written(
    app_db, ui_admin, arif_sale, edited, message
):
    at = open_app(ui_admin, HISTORY)
    before = snapshot(app_db)

    at = send(at, HISTORY, {"edited_rows": edited})

    assert not at.exception
    assert message in errors(at)
    assert snapshot(app_db) == before


@pytest.mark.parametrize("page", [WITHDRAWALS, HISTORY])
def test_number_cells_carry_no_browser_only_limits(ledger, arif_sale, ui_admin, page):
    at = open_app(ui_admin, page)
    columns = json.loads(at.data_editor[0].proto.columns)

    # The grid drops the minus sign of a value below min_value, so -100
    # would be stored as 100; office_core must see what was typed.
    limited = {
        name
        for name, column in columns.items()
        if {"min_value", "max_value"} & set(column.get("type_config", {}))
    }
    assert limited == set()


@pytest.mark.parametrize("page", [WITHDRAWALS, HISTORY])
def test_grid_state_sent_by_a_management_account_writes_nothing(
    app_db, ui_admin, ui_manager, ledger, arif_sale, page
):
    at = open_app(ui_admin, page)
    key = at.data_editor[0].key
    before = snapshot(app_db)
    # The session is taken over by a management account after the grid loaded.
    sign_in_tab(at, ui_manager)
    at.session_state[key] = {"edited_rows": {0: {"notes": "dari manajemen"}}}
    at.button(key=SAVE[page]).click().run()

    assert not at.exception
    assert not at.data_editor
    assert snapshot(app_db) == before


@pytest.fixture
def rina(app_db, ui_admin) -> accounts.Actor:
    """A second admin working at the same time."""
    with app_db.transaction() as session:
        return accounts.create_user(session, ui_admin, "rina", PASSWORD, accounts.ADMIN)


def test_stale_withdrawal_save_is_refused_and_the_grid_reloads(
    app_db, ui_admin, rina, ledger
):
    at = open_app(ui_admin, WITHDRAWALS)
    old_key = at.data_editor[0].key
    with app_db.transaction() as session:
        withdrawals.update_withdrawal(session, rina, ledger, {"amount": 175_000}, 1)

    at = send(at, WITHDRAWALS, {"edited_rows": {0: {"notes": "punya saya"}}})

    assert not at.exception
    assert "diubah oleh rina (nominal Rp150.000 → Rp175.000)" in errors(at)
    assert at.data_editor[0].key != old_key
    assert at.data_editor[0].value["amount"].tolist() == [175_000]
    assert at.data_editor[0].value["notes"].tolist() == [""]
    assert "Tersimpan" not in texts(at)


def test_stale_history_save_is_refused_and_the_grid_reloads(
    app_db, ui_admin, rina, arif_sale
):
    at = open_app(ui_admin, HISTORY)
    old_key = at.data_editor[0].key
    rows = [(arif_sale.lines[0].id, arif_sale.id, 1)]
    with app_db.transaction() as session:
        sales.apply_history_grid(
            session, rina, rows, {"edited_rows": {0: {"notes": "lebih dulu"}}}
        )

    at = send(at, HISTORY, {"edited_rows": {0: {"notes": "belakangan"}}})

    assert not at.exception
    assert "diubah oleh rina (keterangan - → lebih dulu)" in errors(at)
    assert at.data_editor[0].key != old_key
    assert at.data_editor[0].value["notes"].tolist() == ["lebih dulu"]


def test_a_deleted_product_goes_to_the_deleted_list_and_comes_back(app_db, ui_admin):
    with app_db.transaction() as session:
        netflix = products.save_product(
            session, ui_admin, "NFX", "Netflix Premium", 45_000, 1
        )
    at = open_app(ui_admin, "pages/products.py")
    assert at.button(key=f"prod_delete_{netflix.id}").disabled

    at.checkbox(key=f"prod_del_ok_{netflix.id}").check().run()
    at.button(key=f"prod_delete_{netflix.id}").click().run()

    assert not at.exception
    assert "Produk NFX · Netflix Premium dihapus" in texts(at)
    assert "Katalog masih kosong" in texts(at)
    assert at.selectbox(key="prod_restore_pick").options == [
        "NFX · Netflix Premium · dihapus oleh admin"
    ]

    at.button(key="prod_restore").click().run()

    assert "Produk NFX · Netflix Premium dipulihkan." in texts(at)
    assert at.dataframe[0].value["Kode"].tolist() == ["NFX"]
    with app_db.transaction() as session:
        assert session.get(Product, netflix.id).deleted_at is None
