"""Creating the first admin and signing in, through the browser's forms."""

from playwright.sync_api import expect

from office_core import accounts
from tests.conftest import PASSWORD
from tests.e2e.browser import fill, open_app, settle, shows, sign_in, submit_form
from tests.e2e.conftest import running_server, screenshot


def test_first_admin_is_created_then_signs_in(page, tmp_path):
    with running_server(tmp_path) as server:
        open_app(page, server.url)
        shows(page, "Belum ada akun.")
        screenshot(page, "first-admin-form")
        fill(page, "setup_username", "pemilik_toko")
        fill(page, "setup_password", PASSWORD)
        fill(page, "setup_repeat", PASSWORD)
        submit_form(page, "Buat akun admin")

        sign_in(page, server.url, "pemilik_toko")

        expect(page.get_by_test_id("stSidebar")).to_contain_text("pemilik_toko (Admin)")
        screenshot(page, "first-admin-signed-in")


def test_a_wrong_password_is_refused(page, server, admin):
    open_app(page, server.url)
    page.locator("#dw-username").fill("admin")
    page.locator("#dw-password").fill("bukan-kata-sandinya")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()
    settle(page)

    shows(page, "Nama pengguna atau kata sandi salah.")
    expect(page.get_by_text("Masuk sebagai")).to_have_count(0)
    screenshot(page, "sign-in-refused")


def test_sign_in_survives_a_reload_and_a_new_tab_and_ends_with_sign_out(
    page, server, admin
):
    with server.db.transaction() as session:
        accounts.create_user(session, admin, "kasir_pagi", PASSWORD, accounts.ADMIN)
    sign_in(page, server.url, "kasir_pagi")
    page.reload()
    settle(page)
    expect(page.get_by_text("Masuk sebagai kasir_pagi")).to_be_visible()
    other_tab = page.context.new_page()
    open_app(other_tab, server.url)
    expect(other_tab.get_by_text("Masuk sebagai kasir_pagi")).to_be_visible()
    other_tab.close()

    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_load_state()
    settle(page)

    expect(page.locator("#dw-username")).to_be_visible()
    shows(page, "Anda sudah keluar.")


def test_a_visitor_opening_a_page_by_url_gets_the_sign_in_form(page, server, admin):
    open_app(page, server.url, "register")

    expect(page.locator("#dw-username")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text("Kasir")).to_have_count(0)
    screenshot(page, "visitor-by-url")
