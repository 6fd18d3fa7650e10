"""Kasir: recording sales through the page, as an admin types them."""

import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest

from office_core.dates import today
from tests.paths import REPO
from tests.ui.conftest import TIMEOUT, open_app, texts
from tests.ui.sales_seed import (
    ARIF,
    ARIF_PHONE,
    PAPER_DAY,
    all_sales,
    record,
    seed_catalogue,
)
from ui.state import ACTOR_KEY, SEEN_KEY

REGISTER = "pages/register.py"


@pytest.fixture
def catalogue(app_db, ui_admin) -> dict[str, int]:
    return seed_catalogue(app_db, ui_admin)


def open_register(actor) -> AppTest:
    at = open_app(actor, REGISTER)
    assert not at.exception
    return at


def fill_customer(at: AppTest, name: str, phone: str, day=PAPER_DAY) -> None:
    at.text_input(key="reg_name").input(name)
    at.text_input(key="reg_phone").input(phone)
    at.date_input(key="reg_date").set_value(day)


def add_line(at: AppTest, product_id: int, qty=1, months=None, discount=0) -> None:
    at.selectbox(key="reg_add_product").set_value(product_id).run()
    at.number_input(key="reg_add_qty").set_value(qty)
    at.number_input(key="reg_add_discount").set_value(discount)
    if months is not None:
        at.number_input(key="reg_add_months").set_value(months)
    at.button(key="reg_add").click().run()
    assert not at.exception


def save(at: AppTest) -> AppTest:
    at.button(key="reg_save").click().run()
    assert not at.exception
    return at


def test_non_platform_sale_with_two_lines_is_recorded_and_listed(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    fill_customer(at, ARIF, ARIF_PHONE)
    add_line(at, catalogue["GPT"], months=3)
    add_line(at, catalogue["WEB"], discount=10_000)

    save(at)

    [sale] = all_sales(app_db)
    assert f"No faktur {sale.invoice_no}, total Rp165.000" in texts(at)
    assert (sale.customer_name, sale.customer_phone) == (ARIF, "+6281298760001")
    assert [(ln.product_name, ln.subtotal) for ln in sale.lines] == [
        ("ChatGPT Plus", 85_000),
        ("Jasa Website", 80_000),
    ]
    assert sale.total == sale.amount_paid == 165_000
    # The website's catalogue default is 3 months; both expire 3 months later.
    expiries = [ln.subscription.expires_on for ln in sale.lines]
    assert expiries == [dt.date(2025, 12, 7)] * 2

    at.switch_page("pages/history.py").run()
    shown = at.data_editor[0].value
    assert shown["invoice_no"].tolist() == [sale.invoice_no] * 2
    assert shown["product_name"].tolist() == ["ChatGPT Plus", "Jasa Website"]


def test_each_line_subtotal_and_the_total_follow_the_lines(ui_admin, catalogue):
    at = open_register(ui_admin)
    add_line(at, catalogue["NFX"], qty=2, discount=5_000)
    add_line(at, catalogue["CNV"])
    assert "Rp85.000" in texts(at)  # 2 × Rp45.000 − Rp5.000
    assert "Total: Rp115.000" in texts(at)

    at.button(key="reg_remove_1").click().run()

    assert "Total: Rp30.000" in texts(at)
    assert "Netflix Premium" not in texts(at)


def test_unit_price_defaults_to_the_catalogue_and_can_be_changed(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    at.selectbox(key="reg_add_product").set_value(catalogue["M365"]).run()
    assert at.number_input(key="reg_add_price").value == 150_000
    assert at.number_input(key="reg_add_months").value == 12
    at.number_input(key="reg_add_price").set_value(140_000)
    at.button(key="reg_add").click().run()
    fill_customer(at, "Bu Sari", "0813 1111 2222")

    save(at)

    [sale] = all_sales(app_db)
    assert (sale.total, sale.lines[0].duration_months) == (140_000, 12)


def test_marketplace_sale_keeps_the_buyer_name_and_starts_no_subscription(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    at.selectbox(key="reg_platform").set_value("Shopee").run()
    keys = [widget.key for widget in at.text_input]
    assert "reg_phone" not in keys
    assert "reg_add_months" not in [widget.key for widget in at.number_input]
    at.text_input(key="reg_buyer").input("qkuswandari")
    at.selectbox(key="reg_payment").set_value("Saldo Shopee")
    add_line(at, catalogue["VID"])

    save(at)

    [sale] = all_sales(app_db)
    assert sale.platform.name == "Shopee"
    assert (sale.customer_name, sale.customer_phone) == ("qkuswandari", None)
    assert sale.payment_method == "Saldo Shopee"
    assert sale.sold_on == today()
    assert sale.lines[0].duration_months is None
    assert sale.lines[0].subscription is None


@pytest.mark.parametrize("phone", ["0812-ABCD-7890", "021-5550123", "0812"])
def test_bad_phone_is_refused_nothing_recorded_and_typing_kept(
    app_db, ui_admin, catalogue, phone
):
    at = open_register(ui_admin)
    fill_customer(at, ARIF, phone)
    add_line(at, catalogue["GPT"], months=3)

    save(at)

    assert len(at.error) == 1
    assert f"Nomor '{phone}'" in at.error[0].value
    assert all_sales(app_db) == []
    assert at.text_input(key="reg_name").value == ARIF
    assert at.text_input(key="reg_phone").value == phone
    assert at.date_input(key="reg_date").value == PAPER_DAY
    assert "ChatGPT Plus" in texts(at)


def test_missing_customer_name_is_refused_for_non_platform(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    fill_customer(at, "  ", ARIF_PHONE)
    add_line(at, catalogue["GPT"])

    save(at)

    assert [e.value for e in at.error] == ["Nama pelanggan wajib diisi."]
    assert all_sales(app_db) == []


def test_cash_paid_below_total_is_refused(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    fill_customer(at, ARIF, ARIF_PHONE)
    add_line(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash")
    at.number_input(key="reg_paid").set_value(50_000).run()
    assert "Kurang: Rp35.000" in texts(at)

    save(at)

    assert [e.value for e in at.error] == [
        "Uang tunai yang dibayar kurang dari total belanja."
    ]
    assert all_sales(app_db) == []
    assert at.number_input(key="reg_paid").value == 50_000


def test_cash_paid_above_total_shows_the_change(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    fill_customer(at, ARIF, ARIF_PHONE)
    add_line(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash")
    at.number_input(key="reg_paid").set_value(100_000).run()
    assert "Kembalian: Rp15.000" in texts(at)

    save(at)

    [sale] = all_sales(app_db)
    assert sale.amount_paid == 100_000
    assert "kembalian Rp15.000" in texts(at)


def test_second_click_on_save_records_one_sale(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    fill_customer(at, ARIF, ARIF_PHONE)
    add_line(at, catalogue["GPT"])

    save(at)
    save(at)

    assert len(all_sales(app_db)) == 1
    assert at.text_input(key="reg_name").value == ""
    assert "Belum ada baris produk" in texts(at)


def test_discount_above_price_times_qty_cannot_be_added(ui_admin, catalogue):
    at = open_register(ui_admin)
    at.selectbox(key="reg_add_product").set_value(catalogue["GPT"]).run()
    at.number_input(key="reg_add_discount").set_value(90_000).run()

    assert "Diskon Rp90.000 harus antara Rp0" in at.warning[0].value
    assert at.button(key="reg_add").disabled
    assert "Baris penjualan" not in texts(at)


def test_draft_survives_a_visit_to_another_page(ui_admin, catalogue):
    at = open_register(ui_admin)
    fill_customer(at, ARIF, ARIF_PHONE)
    add_line(at, catalogue["GPT"], months=3)

    at.switch_page("pages/history.py").run()
    at.switch_page(REGISTER).run()

    assert at.text_input(key="reg_name").value == ARIF
    assert at.date_input(key="reg_date").value == PAPER_DAY
    assert "ChatGPT Plus" in texts(at)


def test_page_without_active_products_points_to_the_catalogue(ui_admin):
    at = open_register(ui_admin)

    assert "Belum ada produk aktif" in texts(at)
    assert {button.key for button in at.button} <= {"app_sign_out"}


def test_management_cannot_open_the_register(app_db, ui_admin, ui_manager):
    record(app_db, ui_admin, [(seed_catalogue(app_db, ui_admin)["GPT"], 1, 1)])
    at = open_app(ui_manager)
    with pytest.raises(ValueError):
        at.switch_page(REGISTER)

    # Even run directly, the page itself refuses a management account.
    page = AppTest.from_file(str(REPO / REGISTER), default_timeout=TIMEOUT)
    page.session_state[ACTOR_KEY] = ui_manager
    page.session_state[SEEN_KEY] = time.time()
    page.run()
    assert [e.value for e in page.error] == ["Halaman ini hanya untuk admin."]
    assert not page.button
