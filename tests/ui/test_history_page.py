"""Riwayat Penjualan: filters, corrections in the grid, voiding and roles."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from office_core import sales
from office_core.accounts import ADMIN, Actor
from tests.ui.conftest import open_app, sign_in_tab, texts
from tests.ui.sales_seed import (
    PAPER_DAY,
    all_sales,
    platform_id,
    record,
    seed_catalogue,
)

HISTORY = "pages/history.py"


@pytest.fixture
def catalogue(app_db, ui_admin) -> dict[str, int]:
    return seed_catalogue(app_db, ui_admin)


@pytest.fixture
def arif_sale(app_db, ui_admin, catalogue):
    """The paper's sale: ChatGPT for Pak Arif Wibowo, here for one month."""
    return record(app_db, ui_admin, [(catalogue["GPT"], 1, 1)])


def open_history(actor) -> AppTest:
    at = open_app(actor, HISTORY)
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def grid_rows(at: AppTest) -> list[str]:
    return at.data_editor[0].value["invoice_no"].tolist()


def save_edits(at: AppTest, edited_rows: dict) -> AppTest:
    """Send the grid edits as the browser would, then click save."""
    key = at.data_editor[0].key
    at.session_state[key] = {
        "edited_rows": edited_rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="hist_save").click().run()
    assert not at.exception
    return at


def test_history_lists_completed_sales_one_row_per_line(app_db, ui_admin, catalogue):
    two_lines = record(
        app_db, ui_admin, [(catalogue["GPT"], 1, 3), (catalogue["WEB"], 2, None)]
    )
    shopee = record(
        app_db,
        ui_admin,
        [(catalogue["VID"], 1, None)],
        platform="Shopee",
        customer_name="qkuswandari",
        sold_on=dt.date(2025, 9, 8),
    )

    at = open_history(ui_admin)

    frame = at.data_editor[0].value
    assert (
        frame["invoice_no"].tolist() == [shopee.invoice_no] + [two_lines.invoice_no] * 2
    )
    assert frame["sold_on"].tolist()[1] == "07 September 2025"
    assert frame["customer_phone"].tolist() == ["", "0812-9876-0001", "0812-9876-0001"]
    assert frame["subtotal"].tolist() == ["Rp30.000", "Rp85.000", "Rp180.000"]
    assert frame["total"].tolist() == ["Rp30.000", "Rp265.000", "Rp265.000"]
    assert metrics(at) == {"Jumlah penjualan": "2", "Pendapatan": "Rp295.000"}


def test_counts_and_totals_follow_a_sale_saved_elsewhere(
    app_db, ui_admin, catalogue, arif_sale
):
    at = open_history(ui_admin)
    before = metrics(at)
    # Another engine on the same database, as another app process would write:
    # the remembered totals must not outlive the data version they were read at.
    other = type(app_db)(app_db.url)
    record(other, ui_admin, [(catalogue["VID"], 1, None)], platform="Shopee")
    other.dispose()
    at.run()

    assert before == {"Jumlah penjualan": "1", "Pendapatan": "Rp85.000"}
    assert metrics(at) == {"Jumlah penjualan": "2", "Pendapatan": "Rp115.000"}
    assert "2 baris penjualan." in texts(at)


def test_filters_by_date_platform_and_search(app_db, ui_admin, catalogue):
    arif = record(app_db, ui_admin, [(catalogue["GPT"], 1, 3)])
    later = record(
        app_db,
        ui_admin,
        [(catalogue["NFX"], 1, 12)],
        customer_name="Bu Sari",
        customer_phone="0813 1111 2222",
        sold_on=dt.date(2025, 10, 1),
    )
    shopee = record(
        app_db,
        ui_admin,
        [(catalogue["VID"], 1, None)],
        platform="Shopee",
        sold_on=dt.date(2025, 10, 2),
    )
    at = open_history(ui_admin)
    assert len(grid_rows(at)) == 3

    at.date_input(key="hist_start").set_value(dt.date(2025, 10, 1)).run()
    assert grid_rows(at) == [shopee.invoice_no, later.invoice_no]
    assert metrics(at) == {"Jumlah penjualan": "2", "Pendapatan": "Rp75.000"}

    at.multiselect(key="hist_pf").set_value(["Non Platform"]).run()
    assert grid_rows(at) == [later.invoice_no]

    at.date_input(key="hist_start").set_value(None)
    at.text_input(key="hist_search").input("0812-9876").run()
    assert grid_rows(at) == [arif.invoice_no]
    for text, found in [("netflix", later), ("ARIF", arif), (arif.invoice_no, arif)]:
        at.text_input(key="hist_search").input(text).run()
        assert grid_rows(at) == [found.invoice_no], text

    at.text_input(key="hist_search").input("tidak ada").run()
    assert grid_rows(at) == []
    assert metrics(at) == {"Jumlah penjualan": "0", "Pendapatan": "Rp0"}


def test_history_pages_on_the_server_200_rows_at_a_time(app_db, ui_admin, catalogue):
    draft = sales.SaleDraft(
        platform_id=platform_id(app_db, "Lazada"),
        lines=[sales.LineDraft(product_id=catalogue["YTP"])],
        sold_on=PAPER_DAY,
        payment_method="QRIS",
    )
    with app_db.transaction() as session:
        for _ in range(203):
            sales.record_sale(session, ui_admin, draft)

    at = open_history(ui_admin)
    assert len(grid_rows(at)) == 200
    assert "203 baris penjualan, 200 per halaman." in texts(at)

    at.number_input(key="hist_page").set_value(2).run()
    assert len(grid_rows(at)) == 3


def test_admin_corrects_the_duration_and_the_expiry_follows(
    app_db, ui_admin, arif_sale
):
    assert arif_sale.lines[0].subscription.expires_on == dt.date(2025, 10, 7)
    at = open_history(ui_admin)

    save_edits(at, {0: {"duration_months": 3}})

    assert "Tersimpan: 1 penjualan diperbarui." in texts(at)
    assert at.data_editor[0].value["duration_months"].tolist() == [3]
    [sale] = all_sales(app_db)
    assert sale.lines[0].duration_months == 3
    assert sale.lines[0].subscription.expires_on == dt.date(2025, 12, 7)
    assert sale.version == arif_sale.version + 1


def test_admin_corrects_the_header_fields(app_db, ui_admin, arif_sale):
    at = open_history(ui_admin)

    save_edits(
        at,
        {
            0: {
                "customer_name": "Pak Arif W.",
                "customer_phone": "+62 813 1111 2222",
                "payment_method": "Transfer BCA",
                "notes": "ganti nomor",
            }
        },
    )

    [sale] = all_sales(app_db)
    assert sale.customer_name == "Pak Arif W."
    assert sale.customer_phone == "+6281311112222"
    assert (sale.payment_method, sale.notes) == ("Transfer BCA", "ganti nomor")
    assert at.data_editor[0].value["customer_phone"].tolist() == ["0813-1111-2222"]


def test_a_bad_phone_in_the_grid_is_refused_and_nothing_saved(
    app_db, ui_admin, arif_sale
):
    at = open_history(ui_admin)

    save_edits(at, {0: {"customer_phone": "12345", "notes": "x"}})

    assert "bukan nomor HP Indonesia yang valid" in at.error[0].value
    [sale] = all_sales(app_db)
    assert (sale.customer_phone, sale.notes, sale.version) == ("+6281298760001", "", 1)


@pytest.mark.parametrize(
    "column, value", [("total", 1), ("invoice_no", "DW000"), ("qty", 9)]
)
def test_forged_edit_to_a_read_only_column_is_refused(
    app_db, ui_admin, arif_sale, column, value
):
    at = open_history(ui_admin)

    save_edits(at, {0: {column: value, "notes": "diubah"}})

    label = sales.GRID_LABELS[column]
    assert f"Kolom {label} tidak boleh diubah" in at.error[0].value
    [sale] = all_sales(app_db)
    assert (sale.total, sale.invoice_no, sale.notes) == (
        arif_sale.total,
        arif_sale.invoice_no,
        "",
    )
    assert sale.lines[0].qty == 1


def test_edit_made_on_a_stale_table_is_refused(app_db, ui_admin, arif_sale):
    at = open_history(ui_admin)
    with app_db.transaction() as session:  # another admin corrects it meanwhile
        sales.apply_history_grid(
            session,
            ui_admin,
            [(arif_sale.lines[0].id, arif_sale.id, arif_sale.version)],
            {"edited_rows": {0: {"notes": "lebih dulu"}}},
        )

    save_edits(at, {0: {"notes": "belakangan"}})

    assert "sudah diubah orang lain" in at.error[0].value
    [sale] = all_sales(app_db)
    assert sale.notes == "lebih dulu"


def test_forged_edit_by_a_management_account_is_refused(
    app_db, ui_admin, ui_manager, arif_sale
):
    # A session that claims the admin role for a management account: the
    # server reads the role from the database again and shows no editor.
    forged = Actor(ui_manager.user_id, ui_manager.username, ADMIN)
    at = open_history(forged)

    assert not at.data_editor
    assert "hist_save" not in [button.key for button in at.button]
    [sale] = all_sales(app_db)
    assert (sale.lines[0].duration_months, sale.version) == (1, 1)


def test_management_sees_a_read_only_table_and_no_editing_control(
    app_db, ui_admin, ui_manager, arif_sale
):
    at = open_history(ui_manager)

    assert not at.data_editor
    [table] = at.dataframe
    assert table.value["No Faktur"].tolist() == [arif_sale.invoice_no]
    assert table.value["Total"].tolist() == ["Rp85.000"]
    assert table.value["Nomor HP"].tolist() == ["0812-9876-0001"]
    assert table.value["Durasi (bulan)"].tolist() == ["1 bulan"]
    assert {b.key for b in at.button} <= {"app_sign_out"}
    assert not at.checkbox
    assert "Dibatalkan" not in [e.label for e in at.expander]


def test_management_edit_state_is_ignored(app_db, ui_admin, ui_manager, arif_sale):
    at = open_history(ui_admin)
    key = at.data_editor[0].key
    sign_in_tab(at, ui_manager)
    at.session_state[key] = {"edited_rows": {0: {"notes": "x"}}}
    at.button(key="hist_save").click().run()

    assert not at.data_editor
    assert all_sales(app_db)[0].notes == ""


def test_void_needs_confirmation(app_db, ui_admin, arif_sale):
    at = open_history(ui_admin)

    at.button(key="hist_void").click().run()

    assert "Centang konfirmasi" in at.warning[0].value
    assert all_sales(app_db)[0].status == sales.COMPLETED


def test_void_then_restore_a_sale(app_db, ui_admin, catalogue, arif_sale):
    other = record(app_db, ui_admin, [(catalogue["NFX"], 1, 1)])
    at = open_history(ui_admin)
    at.selectbox(key="hist_void_pick").set_value(arif_sale.id)
    at.checkbox(key="hist_void_sure").check()

    at.button(key="hist_void").click().run()

    assert f"Penjualan {arif_sale.invoice_no} dibatalkan." in texts(at)
    assert grid_rows(at) == [other.invoice_no]
    assert metrics(at) == {"Jumlah penjualan": "1", "Pendapatan": "Rp45.000"}
    assert at.dataframe[-1].value["No Faktur"].tolist() == [arif_sale.invoice_no]
    assert all_sales(app_db)[0].status == sales.VOID

    at.selectbox(key="hist_restore_pick").set_value(arif_sale.id)
    at.button(key="hist_restore").click().run()

    assert f"Penjualan {arif_sale.invoice_no} dipulihkan." in texts(at)
    assert sorted(grid_rows(at)) == sorted([arif_sale.invoice_no, other.invoice_no])
    assert "Tidak ada penjualan yang dibatalkan." in texts(at)
    assert all_sales(app_db)[0].status == sales.COMPLETED


def test_customer_text_is_shown_as_text_not_markup(app_db, ui_admin, catalogue):
    record(
        app_db,
        ui_admin,
        [(catalogue["GPT"], 1, 1)],
        customer_name="[klik](https://contoh.invalid)",
        notes="<b>tebal</b>",
    )
    at = open_history(ui_admin)

    frame = at.data_editor[0].value
    assert frame["customer_name"].tolist() == ["[klik](https://contoh.invalid)"]
    assert "contoh.invalid" not in texts(at)


def test_empty_history_shows_nothing_to_both_roles(ui_admin, ui_manager):
    for actor in (ui_admin, ui_manager):
        at = open_history(actor)

        assert "0 baris penjualan." in texts(at)
        assert metrics(at) == {"Jumlah penjualan": "0", "Pendapatan": "Rp0"}
        assert at.dataframe[0].value.empty
