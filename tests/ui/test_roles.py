"""Who may reach which page: visitors sign in first, management only reads."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

import app
from office_core import withdrawals
from office_core.dates import today
from tests.ui.conftest import (
    APP,
    TIMEOUT,
    open_app,
    posted_forms,
    sign_in_tab,
    texts,
)
from tests.ui.sales_seed import record, seed_catalogue
from ui import state, web

ALL_PAGES = [path for path, _, _ in app.ADMIN_PAGES]
ADMIN_ONLY = [p for p in ALL_PAGES if p not in {m for m, _, _ in app.MANAGEMENT_PAGES}]
SIGN_IN_TITLES = {"Masuk ke Dwigital Office", "Selamat datang di Dwigital Office"}
# The only control management may use: changing its own password.
OWN_PASSWORD_FORM = "acc_own_form"


@pytest.fixture
def business(app_db, ui_admin):
    """A little of everything, so every page shows its tables and controls."""
    codes = seed_catalogue(app_db, ui_admin)
    first = next(iter(codes.values()))
    week_ago = today() - dt.timedelta(days=7)
    record(app_db, ui_admin, [(first, 1, 3)], sold_on=week_ago)
    record(app_db, ui_admin, [(first, 1, None)], "Shopee", sold_on=week_ago)
    with app_db.transaction() as session:
        withdrawals.record_withdrawal(session, ui_admin, "Shopee", 150_000, week_ago)


def _opened_by_url(page: str, actor=None) -> AppTest:
    """Open a page the way a typed URL does before any session used app.py.

    With a pages/ folder Streamlit then runs the page file itself, not app.py,
    so the page must refuse on its own.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if actor is not None:
        sign_in_tab(at, actor)
    at.switch_page(page)
    return at.run()


def _shows_nothing_but(at: AppTest, message: str) -> None:
    assert not at.exception
    assert texts(at) == message
    assert not at.dataframe
    assert not at.form
    assert not at.main.button


def test_the_page_lists_give_management_no_register_products_or_import():
    titles = {title for _, title, _ in app.MANAGEMENT_PAGES}
    assert {"Kasir", "Produk", "Impor Data"}.isdisjoint(titles)
    assert {"Dasbor", "Penarikan Dana", "Log Audit"} <= titles
    assert set(ADMIN_ONLY) == {
        "pages/register.py",
        "pages/products.py",
        "pages/legacy_import.py",
    }


@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_visitor_sees_only_the_sign_in_page(ui_admin, business, page):
    at = open_app()
    assert at.title[0].value in SIGN_IN_TITLES

    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)
    at.run()

    assert [t.value for t in at.title] == ["Masuk ke Dwigital Office"]
    assert not at.dataframe
    assert not at.form
    assert posted_forms(at) == [web.SIGN_IN_PATH]
    assert not at.sidebar.button


@pytest.mark.pages_folder
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_opened_by_url_refuses_a_visitor(ui_admin, business, page):
    at = _opened_by_url(page)

    _shows_nothing_but(at, state.SIGN_IN_FIRST)


@pytest.mark.pages_folder
@pytest.mark.parametrize("page", ADMIN_ONLY)
def test_admin_pages_opened_by_url_refuse_management(ui_manager, business, page):
    at = _opened_by_url(page, ui_manager)

    _shows_nothing_but(at, "Halaman ini hanya untuk admin.")


@pytest.mark.parametrize("page", ADMIN_ONLY)
def test_management_navigation_cannot_reach_admin_pages(ui_manager, page):
    at = open_app(ui_manager)

    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_management_has_no_editing_control_on_any_page_it_reaches(ui_manager, business):
    at = open_app(ui_manager)
    for page, title, _ in app.MANAGEMENT_PAGES:
        at.switch_page(page).run()

        assert not at.exception, page
        assert at.title[0].value.startswith(title), page
        assert not at.data_editor, page
        forms = [form.key for form in at.form]
        assert set(forms) <= {OWN_PASSWORD_FORM}, page
        allowed = {
            b.id for f in at.form if f.key == OWN_PASSWORD_FORM for b in f.button
        }
        enabled = [
            b.label for b in at.main.button if not b.disabled and b.id not in allowed
        ]
        assert enabled == [], page


def test_an_admin_reaches_every_page_without_an_error(ui_admin, business):
    at = open_app(ui_admin)
    for page, title, _ in app.ADMIN_PAGES:
        at.switch_page(page).run()

        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title[0].value.startswith(title), page
        assert not at.sidebar.button
        assert posted_forms(at.sidebar) == [web.SIGN_OUT_PATH]
