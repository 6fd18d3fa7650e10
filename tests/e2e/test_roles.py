"""Each role sees its own pages in the browser, and only those; every page opens."""

import re

import pytest
from playwright.sync_api import Page, expect

from app import ADMIN_PAGES, MANAGEMENT_PAGES
from tests.e2e.browser import open_app, page_text, settle, sidebar_links
from tests.e2e.conftest import MANAGER, screenshot

ADMIN_ONLY = ("Kasir", "Impor Data", "Produk")


def titles(table) -> list[str]:
    return [title for _, title, _ in table]


def url_path(table, title: str) -> str:
    """Return the address Streamlit gives a page: its file name without .py."""
    path = next(path for path, shown, _ in table if shown == title)
    return path.removeprefix("pages/").removesuffix(".py")


def tour(page: Page, role: str, table) -> None:
    """Open every page through the sidebar; none may fail; screenshot each."""
    for title in titles(table):
        page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
        settle(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert "Terjadi kesalahan" not in page_text(page), title
        slug = re.sub(r"\W+", "-", title.lower())
        screenshot(page, f"page-{role}-{slug}")


def test_admin_sees_and_opens_every_admin_page(admin_page):
    page = admin_page
    assert sidebar_links(page) == titles(ADMIN_PAGES)
    assert set(ADMIN_ONLY) <= set(sidebar_links(page))
    tour(page, "admin", ADMIN_PAGES)


def test_management_sees_only_its_pages(manager_page):
    page = manager_page
    assert sidebar_links(page) == titles(MANAGEMENT_PAGES)
    assert not set(ADMIN_ONLY) & set(sidebar_links(page))
    tour(page, "management", MANAGEMENT_PAGES)


@pytest.mark.parametrize("title", ADMIN_ONLY)
def test_management_cannot_open_admin_pages_by_url(manager_page, server, title):
    page = manager_page
    open_app(page, server.url, url_path(ADMIN_PAGES, title))

    expect(page.get_by_text(f"Masuk sebagai {MANAGER}")).to_be_visible()
    expect(page.get_by_text("Halaman ini hanya untuk admin.")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)
    assert title not in sidebar_links(page)
    screenshot(page, f"management-by-url-{url_path(ADMIN_PAGES, title)}")
