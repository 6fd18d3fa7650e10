"""Detail Penjualan: one sale's lines and receipt; admins correct or void it."""

import base64

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from office_core.models import AuditEntry
from tests.ui.conftest import open_app, texts
from tests.ui.sales_seed import all_sales, record, seed_catalogue

SALE_PAGE = "pages/sale.py"


@pytest.fixture
def catalogue(app_db, ui_admin) -> dict[str, int]:
    return seed_catalogue(app_db, ui_admin)


@pytest.fixture
def sale(app_db, ui_admin, catalogue):
    """Pak Arif's sale: ChatGPT Plus for 3 months and two Netflix."""
    lines = [(catalogue["GPT"], 1, 3), (catalogue["NFX"], 2, 1)]
    return record(app_db, ui_admin, lines)


def open_sale(actor, number: str) -> AppTest:
    at = open_app(actor)
    at.query_params["faktur"] = number
    at.switch_page(SALE_PAGE).run()
    assert not at.exception
    return at


def buttons(at: AppTest) -> set[str]:
    return {str(button.key) for button in at.button}


def test_the_sale_page_shows_header_lines_totals_and_receipt(ui_admin, sale):
    at = open_sale(ui_admin, sale.invoice_no)

    shown = texts(at)
    assert f"Faktur {sale.invoice_no}" in shown
    assert "07 September 2025" in shown and "Pak Arif Wibowo" in shown
    lines = at.dataframe[0].value
    assert lines["Produk"].tolist() == ["ChatGPT Plus", "Netflix Premium"]
    assert lines["Subtotal"].tolist() == ["Rp85.000", "Rp90.000"]
    assert lines["Durasi"].iloc[0] == "3 bulan, s.d. 07 Desember 2025"
    assert [m.value for m in at.metric] == ["Rp175.000", "Rp175.000", "Rp0"]
    assert at.get("download_button")[0].proto.label == "Unduh struk"
    [link] = at.get("link_button")
    assert link.proto.url.startswith("https://wa.me/6281298760001?text=")


def test_an_admin_corrects_a_line_and_the_change_is_audited(app_db, ui_admin, sale):
    at = open_sale(ui_admin, sale.invoice_no)
    at.text_input(key="sale_fix_line_discount_1").input("10000").run()
    assert "Total baru: **Rp165.000**" in texts(at)

    at.button(key="sale_fix_save").click().run()

    assert f"Baris penjualan {sale.invoice_no} dikoreksi" in texts(at)
    [fixed] = all_sales(app_db)
    assert (fixed.invoice_no, fixed.total) == (sale.invoice_no, 165_000)
    assert [line.discount for line in fixed.lines] == [0, 10_000]
    with app_db.transaction() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "sale")
        ).all()
    assert actions == ["create", "update"]


def test_a_refused_correction_keeps_what_was_typed(app_db, ui_admin, sale):
    at = open_sale(ui_admin, sale.invoice_no)
    at.text_input(key="sale_fix_line_discount_0").input("90000").run()

    at.button(key="sale_fix_save").click().run()

    [error] = at.error
    assert "Diskon Rp90.000" in error.value
    assert not at.warning  # the line's own warning would say it a second time
    assert at.text_input(key="sale_fix_line_discount_0").value == "90000"
    assert all_sales(app_db)[0].total == 175_000


def test_voiding_keeps_the_number_and_restoring_brings_it_back(app_db, ui_admin, sale):
    at = open_sale(ui_admin, sale.invoice_no)
    at.checkbox(key="sale_void_sure").check()
    at.button(key="sale_void").click().run()

    assert f"Faktur {sale.invoice_no} — DIBATALKAN" in texts(at)
    assert all_sales(app_db)[0].status == "void"
    assert "sale_fix_save" not in buttons(at)

    at.button(key="sale_restore").click().run()

    assert all_sales(app_db)[0].status == "completed"
    assert f"Penjualan {sale.invoice_no} dipulihkan." in texts(at)


@pytest.mark.parametrize(
    "number", ["DW999900001", "1 OR 1=1", "[klik](https://contoh.id)", "#1"]
)
def test_an_unknown_or_forged_number_gets_a_message(ui_admin, sale, number):
    at = open_sale(ui_admin, number)

    [error] = at.error
    assert "tidak ditemukan" in error.value
    assert "](" not in error.value.replace("\\](", "")  # no live Markdown link
    assert not at.dataframe and "sale_fix_save" not in buttons(at)


def test_management_reads_the_sale_but_changes_nothing(ui_manager, sale):
    at = open_sale(ui_manager, sale.invoice_no)

    assert f"Faktur {sale.invoice_no}" in texts(at)
    assert at.get("download_button") and at.get("link_button")
    assert buttons(at) <= {"app_sign_out"}
    assert [t.key for t in at.text_input] == ["sale_no"] and not at.checkbox


def test_the_history_links_each_sale_to_its_page(ui_admin, sale):
    at = open_app(ui_admin, "pages/history.py")

    [link] = [p for p in at.get("page_link") if p.proto.label == "Buka detail"]
    assert at.selectbox(key="hist_detail").value == sale.invoice_no
    assert f"faktur={sale.invoice_no}" in link.proto.page or (
        link.proto.query_string == f"faktur={sale.invoice_no}"
    )


def test_a_voided_sale_offers_no_wa_and_its_receipt_says_dibatalkan(
    app_db, ui_admin, sale
):
    at = open_sale(ui_admin, sale.invoice_no)
    assert at.get("link_button")
    at.checkbox(key="sale_void_sure").check()
    at.button(key="sale_void").click().run()

    assert not at.get("link_button")
    frame = next(e for e in at.main if getattr(e, "type", "") == "iframe")
    shown = base64.b64decode(frame.proto.src.split(",", 1)[1]).decode()
    assert '<p class="void">DIBATALKAN</p>' in shown


def test_a_name_or_number_with_dollars_is_not_read_as_math(app_db, ui_admin, catalogue):
    sale = record(app_db, ui_admin, [(catalogue["GPT"], 1, 1)], customer_name="$x^2$")

    at = open_sale(ui_admin, sale.invoice_no)
    assert "**\\$x^2\\$**" in texts(at)

    at = open_sale(ui_admin, "$x$")
    assert "'\\$x\\$'" in at.error[0].value
