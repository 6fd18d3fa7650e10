"""Driving the app's pages in Chromium: waiting, signing in, typing into grids."""

import contextlib
import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import PASSWORD

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"
SKELETON = "[data-testid='stSkeleton']"
RUN_STARTS_WITHIN_MS = 1_500
# Runs share two CPUs with the server; Playwright's 5 s default is too tight.
expect.set_options(timeout=30_000)


def settle(page: Page) -> None:
    """Wait until the script run an action started is over and drawn.

    A click reaches the server a moment later, so first give the run a chance
    to start, then wait for it to finish and for every placeholder to go.
    """
    # No run seen: it was quicker than the poll, or the click started none.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(RUNNING, timeout=RUN_STARTS_WITHIN_MS)
    page.wait_for_selector(IDLE)
    expect(page.locator(SKELETON)).to_have_count(0)


def widget(page: Page, key: str) -> Locator:
    """Return the element Streamlit draws for the widget with this key."""
    return page.locator(f".st-key-{key}")


def fill(page: Page, key: str, text: str) -> None:
    """Type into a text input and commit it the way a user does (Tab)."""
    field = widget(page, key).locator("input, textarea").first
    field.fill(text)
    field.press("Tab")


def click_button(page: Page, key: str) -> None:
    widget(page, key).locator("button").first.click()
    settle(page)


def open_app(page: Page, url: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    page.wait_for_selector(IDLE)
    settle(page)


def submit_form(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    settle(page)


def sign_in(page: Page, url: str, username: str, path: str = "") -> None:
    """Sign in through the form (it posts to the cookie route), then open `path`."""
    open_app(page, url)
    username_field = page.locator("#dw-username")
    if username_field.count():
        username_field.fill(username)
        page.locator("#dw-password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.wait_for_load_state()
        settle(page)
    if path:
        open_app(page, url, path)
    expect(page.get_by_text(f"Masuk sebagai {username}")).to_be_visible()


def choose(page: Page, key: str, option: str) -> None:
    """Pick an option of a select box by typing part of its label."""
    widget(page, key).click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    settle(page)


def go_to(page: Page, title: str) -> None:
    """Open a page through the sidebar, as a user does."""
    page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
    settle(page)
    expect(page.get_by_role("heading", name=title).first).to_be_visible()


def sidebar_links(page: Page) -> list[str]:
    links = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
    return [re.sub(r"^\S+\s", "", text).strip() for text in links.all_inner_texts()]


def shows(page: Page, text: str) -> None:
    """Wait until the main area shows `text` (messages may be split by markup)."""
    expect(page.get_by_test_id("stMain")).to_contain_text(text, use_inner_text=True)


def page_text(page: Page) -> str:
    return page.get_by_test_id("stMain").inner_text()


HEADER_HEIGHT = 36
ROW_HEIGHT = 35
KEY_PAUSE_MS = 150
FIRST_COLUMN_X = 60  # inside the first data column, right of the row markers


def grid(page: Page, key_prefix: str) -> Locator:
    """Return the canvas of the data grid whose widget key starts with the prefix."""
    return page.locator(f"[class*='st-key-{key_prefix}']").get_by_test_id(
        "data-grid-canvas"
    )


def type_into_cell(page: Page, canvas: Locator, row: int, column: int, text: str):
    """Select a cell by clicking its row, move right `column` cells, type, Enter.

    The grid is drawn on a canvas: cells are reached by position and keys.
    """
    _click(page, canvas, FIRST_COLUMN_X, _row_y(row))
    for _ in range(column):
        page.wait_for_timeout(KEY_PAUSE_MS)  # let the grid move its selection
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # opens the cell's editor
    editor = page.locator("#portal .gdg-input, #portal textarea").first
    editor.fill(text)
    editor.press("Enter")
    settle(page)  # the edit reaches the server in a run of its own


def select_grid_row(page: Page, canvas: Locator, row: int) -> None:
    """Tick the row marker at the left of a row."""
    _click(page, canvas, 12, _row_y(row))


def _click(page: Page, canvas: Locator, x: int, y: int) -> None:
    # The grid's scroll layer lies over the canvas and takes the real clicks.
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _row_y(row: int) -> int:
    return HEADER_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT // 2
