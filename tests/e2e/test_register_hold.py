"""The register in the browser: hold a sale, start another, resume, complete, cancel."""

from playwright.sync_api import Page, expect
from sqlalchemy import select

from office_core import register
from office_core.models import Sale
from tests.e2e.browser import choose, fill, go_to, settle, shows, widget
from tests.e2e.conftest import screenshot

CUSTOMER = "Bu Sari Ditahan"


def held(server) -> list[register.HeldSummary]:
    with server.db.transaction() as session:
        return register.list_held(session)


def held_row(page: Page, text: str):
    """Return the innermost block holding `text` and a "Lanjutkan" button."""
    return (
        page.get_by_test_id("stVerticalBlock")
        .filter(has_text=text)
        .filter(has=page.get_by_role("button", name="Lanjutkan"))
        .last
    )


def add_product(page: Page, code: str) -> None:
    choose(page, "reg_add_product", code)
    expect(widget(page, "reg_line_qty_0")).to_be_visible()


def test_hold_resume_and_complete_a_sale(admin_page, server, catalogue):
    page = admin_page
    go_to(page, "Kasir")
    page.get_by_text("Pelanggan non-platform").click()
    settle(page)
    fill(page, "reg_name", CUSTOMER)
    fill(page, "reg_phone", "0813-1111-2222")
    settle(page)
    add_product(page, "GPT")

    page.get_by_role("button", name="Tahan dan Buat Baru").click()
    settle(page)

    shows(page, "Penjualan ditahan sebagai")
    expect(page.get_by_role("heading", name="Penjualan Ditahan")).to_be_visible()
    expect(held_row(page, CUSTOMER)).to_be_visible()
    [first] = held(server)
    assert first.customer == CUSTOMER
    screenshot(page, "register-held")

    add_product(page, "GPT")  # a walk-in buyer comes next
    held_row(page, CUSTOMER).get_by_role("button", name="Lanjutkan").click()
    settle(page)

    shows(page, f"{first.reference} dilanjutkan")
    expect(widget(page, "reg_name").locator("input")).to_have_value(CUSTOMER)
    screenshot(page, "register-resumed")
    page.get_by_role("button", name="Selesaikan Penjualan").click()
    settle(page)

    shows(page, "Penjualan selesai.")
    with server.db.transaction() as session:
        [sale] = session.scalars(select(Sale).where(Sale.customer_name == CUSTOMER))
        assert (sale.status, sale.total) == ("completed", 85_000)
    assert CUSTOMER not in [summary.customer for summary in held(server)]
    screenshot(page, "register-completed")

    [parked] = held(server)  # the walk-in sale, put aside when the first resumed
    held_row(page, parked.reference).get_by_role("button", name="Batal").click()
    settle(page)

    shows(page, f"{parked.reference} dibatalkan")
    assert held(server) == []
    shows(page, "Tidak ada penjualan yang ditahan.")
    screenshot(page, "register-held-cancelled")
