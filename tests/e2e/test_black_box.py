"""The paper's eight black-box scenarios, clicked and typed in a real browser.

Grid edits are typed into the grid's cells; what was saved is read back from the
database and from what the page shows.
"""

import csv
import datetime as dt
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from office_core import monitoring, withdrawals
from office_core.dates import expiry_date, format_date_id, today
from office_core.models import Sale, Withdrawal
from office_core.phones import normalize_phone
from tests.e2e.browser import (
    choose,
    click_button,
    fill,
    go_to,
    grid,
    select_grid_row,
    settle,
    shows,
    submit_form,
    type_into_cell,
    widget,
)
from tests.e2e.conftest import screenshot
from tests.paths import paper_file
from tests.ui.sales_seed import record

ARIF_PHONE = "081298760001"  # the paper's customer, in monitoring.csv
# Columns of the history grid, counted from its first shown column.
HISTORY_DURATION_COLUMN = 6


def scenario(number: int) -> dict[str, str]:
    """Return one row of the paper's black-box test table (1-based)."""
    with paper_file("black_box_tests.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[number - 1]


@pytest.fixture
def page(admin_page) -> Page:
    """Every scenario is played by the admin."""
    return admin_page


@pytest.fixture
def no_withdrawals(server, admin) -> None:
    """Hide every withdrawal, so the grid starts empty for this test."""
    with server.db.transaction() as session:
        for row in session.scalars(
            select(Withdrawal).where(Withdrawal.deleted_at.is_(None))
        ):
            withdrawals.delete_withdrawal(session, admin, row.id)


def live_withdrawals(server) -> list[tuple[str, int]]:
    with server.db.transaction() as session:
        rows = session.scalars(
            select(Withdrawal).where(Withdrawal.deleted_at.is_(None))
        ).all()
        return [(row.platform.name, row.amount) for row in rows]


def seed_withdrawal(server, admin, amount: int) -> int:
    with server.db.transaction() as session:
        return withdrawals.record_withdrawal(
            session, admin, "Shopee", amount, today() - dt.timedelta(days=1)
        ).id


def test_scenario_1_add_a_withdrawal(page, server, admin, no_withdrawals):
    assert scenario(1)["Fitur yang diuji"] == "Tambah data Withdraw"
    go_to(page, "Penarikan Dana")
    page.get_by_text("Tambah penarikan lewat formulir").click()
    fill(page, "wd_f_a", "Rp 1.250.000")
    fill(page, "wd_f_n", "Penarikan saldo Shopee")

    submit_form(page, "Simpan penarikan")

    shows(page, "Penarikan Rp1.250.000 dari Shopee tersimpan.")
    shows(page, "1 penarikan.")
    assert live_withdrawals(server) == [("Shopee", 1_250_000)]
    screenshot(page, "scenario-1-withdrawal-added")


def test_scenario_2_edit_a_withdrawal_amount_in_the_grid(
    page, server, admin, no_withdrawals
):
    assert scenario(2)["Skenario Pengujian"] == "Mengubah nominal penarikan dana"
    withdrawal_id = seed_withdrawal(server, admin, 500_000)
    go_to(page, "Penarikan Dana")

    type_into_cell(page, grid(page, "wd_editor_"), row=0, column=1, text="750000")
    click_button(page, "wd_save")

    shows(page, "Tersimpan: 0 baru, 1 diubah, 0 dihapus.")
    with server.db.transaction() as session:
        assert session.get(Withdrawal, withdrawal_id).amount == 750_000
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("Rp750.000")
    screenshot(page, "scenario-2-withdrawal-edited")


def test_scenario_3_delete_a_withdrawal_in_the_grid(
    page, server, admin, no_withdrawals
):
    assert scenario(3)["Fitur yang diuji"] == "Hapus data Withdraw"
    seed_withdrawal(server, admin, 500_000)
    go_to(page, "Penarikan Dana")

    select_grid_row(page, grid(page, "wd_editor_"), row=0)
    page.get_by_role("button", name="Delete row(s)").click()
    settle(page)
    click_button(page, "wd_save")

    shows(page, "Tersimpan: 0 baru, 0 diubah, 1 dihapus.")
    assert live_withdrawals(server) == []
    shows(page, "0 penarikan.")
    screenshot(page, "scenario-3-withdrawal-deleted")


def sales_of(server, customer: str) -> list[Sale]:
    with server.db.transaction() as session:
        found = session.scalars(select(Sale).where(Sale.customer_name == customer))
        sales = list(found)
        for sale in sales:
            _ = [line.subscription for line in sale.lines]
        return sales


def test_scenario_4_add_a_non_platform_sale(page, server, admin, catalogue):
    assert scenario(4)["Fitur yang diuji"] == "Tambah data penjualan non-platform"
    customer = "Pak Arif Skenario Empat"
    go_to(page, "Kasir")
    page.get_by_text("Pelanggan non-platform").click()
    settle(page)
    fill(page, "reg_name", customer)
    fill(page, "reg_phone", "0812-9876-0004")
    settle(page)
    choose(page, "reg_add_product", "GPT")
    fill(page, "reg_line_duration_months_0", "3")
    settle(page)
    click_button(page, "reg_complete")

    shows(page, "Penjualan selesai.")
    [sale] = sales_of(server, customer)
    assert (sale.customer_phone, sale.status, sale.total) == (
        normalize_phone("0812-9876-0004"),
        "completed",
        85_000,
    )
    [line] = sale.lines
    assert (line.product_name, line.duration_months) == ("ChatGPT Plus", 3)
    assert line.subscription.expires_on == expiry_date(sale.sold_on, 3)
    screenshot(page, "scenario-4-sale-added")
    go_to(page, "Riwayat Penjualan")
    fill(page, "hist_search", customer)
    settle(page)
    shows(page, "Rp85.000")
    screenshot(page, "scenario-4-history")


def history_for(page: Page, customer: str) -> None:
    go_to(page, "Riwayat Penjualan")
    fill(page, "hist_search", customer)
    settle(page)


def test_scenario_5_change_a_subscription_duration_in_the_grid(
    page, server, admin, catalogue
):
    assert scenario(5)["Skenario Pengujian"] == "Mengubah durasi langganan pelanggan"
    customer = "Pak Arif Skenario Lima"
    sale = record(
        server.db,
        admin,
        [(catalogue["GPT"], 1, 1)],
        customer_name=customer,
        customer_phone="0812-9876-0005",
    )
    history_for(page, customer)

    canvas = grid(page, "hist_editor_")
    type_into_cell(page, canvas, row=0, column=HISTORY_DURATION_COLUMN, text="3")
    click_button(page, "hist_save")

    shows(page, "Tersimpan: 1 penjualan diperbarui.")
    [saved] = sales_of(server, customer)
    assert saved.lines[0].duration_months == 3
    assert saved.lines[0].subscription.expires_on == expiry_date(sale.sold_on, 3)
    screenshot(page, "scenario-5-duration-changed")


def test_scenario_6_delete_a_sale(page, server, admin, catalogue):
    assert scenario(6)["Fitur yang diuji"] == "Hapus data penjualan"
    customer = "Pak Arif Skenario Enam"
    sale = record(
        server.db,
        admin,
        [(catalogue["GPT"], 1, 3)],
        customer_name=customer,
        customer_phone="0812-9876-0006",
    )
    history_for(page, customer)

    page.get_by_text("Hapus/Batalkan penjualan").first.click()
    widget(page, "hist_void_sure").get_by_role("checkbox").check(force=True)
    settle(page)
    click_button(page, "hist_void")

    shows(page, f"Penjualan {sale.invoice_no} dibatalkan.")
    shows(page, "0 baris penjualan.")
    [kept] = sales_of(server, customer)
    assert kept.status == "void"
    everything = monitoring.MonitorFilter(
        statuses=monitoring.STATUSES, search=sale.invoice_no
    )
    with server.db.transaction() as session:
        shown = monitoring.list_subscriptions(session, everything)
    assert shown.empty
    screenshot(page, "scenario-6-sale-voided")


@pytest.fixture(scope="module")
def monitored(server, admin, catalogue) -> dict:
    """The paper's customer with a ChatGPT subscription bought a week ago."""
    customer = "Pak Arif Wibowo"
    sold_on = today() - dt.timedelta(days=7)
    sale = record(
        server.db,
        admin,
        [(catalogue["GPT"], 1, 3)],
        customer_name=customer,
        customer_phone=ARIF_PHONE,
        sold_on=sold_on,
    )
    return {"name": customer, "sale": sale, "expires_on": expiry_date(sold_on, 3)}


def open_monitoring_for(page: Page, customer: str) -> None:
    go_to(page, "Monitoring Langganan")
    fill(page, "mon_search", customer)
    settle(page)


def test_scenario_7_monitoring_lists_the_active_customer(page, server, monitored):
    assert "aktif non-platform" in scenario(7)["Skenario Pengujian"]
    open_monitoring_for(page, monitored["name"])

    shows(page, "Menampilkan 1–1 dari 1")
    select_grid_row(page, grid(page, "mon_table_"), row=0)
    settle(page)

    shows(page, f"Pelanggan: {monitored['name']}")
    expect(page.get_by_role("link", name="Kirim WA")).to_be_visible()
    screenshot(page, "scenario-7-monitoring")


def test_scenario_8_whatsapp_button_opens_the_customer_with_the_message(
    page, server, monitored
):
    assert "Whatsapp" in scenario(8)["Fitur yang diuji"]
    open_monitoring_for(page, monitored["name"])
    select_grid_row(page, grid(page, "mon_table_"), row=0)
    settle(page)

    href = page.get_by_role("link", name="Kirim WA").get_attribute("href")
    parts = urlsplit(href)
    message = unquote(parts.query.removeprefix("text="))
    expires = monitored["expires_on"]
    invoice_no = monitored["sale"].invoice_no
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "wa.me",
        "/6281298760001",
    )
    assert "+" not in parts.query and " " not in href
    assert message == (
        f"Halo {monitored['name']}, langganan ChatGPT Plus Anda di Dwigital berakhir "
        f"pada {format_date_id(expires)} ({(expires - today()).days} hari lagi). "
        f"Mau diperpanjang? Balas pesan ini ya. No faktur: {invoice_no}"
    )
    screenshot(page, "scenario-8-whatsapp-link")
