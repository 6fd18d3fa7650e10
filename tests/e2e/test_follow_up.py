"""Kirim WA in a real browser: the click opens the chat and logs the follow-up.

The wa.me tab the click opens is answered by the test itself (a Playwright
route), so no request leaves the machine.
"""

import datetime as dt
import time

from playwright.sync_api import Page, expect
from sqlalchemy import select

from office_core.dates import today
from office_core.models import FollowUp
from tests.e2e.browser import fill, go_to, grid, select_grid_row, settle, shows
from tests.ui.sales_seed import record

CUSTOMER = "Bu Ratna Tindak Lanjut"
PHONE = "081298760077"


def wait_for_follow_up(server, seconds: float = 20) -> list[FollowUp]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with server.db.transaction() as session:
            found = session.scalars(
                select(FollowUp).where(FollowUp.message.contains(CUSTOMER))
            ).all()
        if found:
            return found
        time.sleep(0.3)
    return []


def test_kirim_wa_opens_the_chat_and_logs_the_follow_up(
    admin_page: Page, server, admin, catalogue
):
    page = admin_page
    record(server.db, admin, [(catalogue["GPT"], 1, 1)], customer_name=CUSTOMER,
           customer_phone=PHONE, sold_on=today() - dt.timedelta(days=27))  # fmt: skip
    opened = []
    page.context.route(
        "https://wa.me/**",
        lambda route: (opened.append(route.request.url),
                       route.fulfill(body="chat", content_type="text/plain")),
    )  # fmt: skip
    go_to(page, "Monitoring Langganan")
    fill(page, "mon_search", CUSTOMER)
    settle(page)
    select_grid_row(page, grid(page, "mon_table_"), row=0)
    settle(page)

    with page.context.expect_page():
        page.get_by_role("link", name="Kirim WA").click()
    settle(page)

    logged = wait_for_follow_up(server)
    assert [(f.channel, f.created_by) for f in logged] == [("link", admin.username)]
    assert opened and opened[0].startswith("https://wa.me/6281298760077?text=")
    shows(page, "Tindak lanjut dicatat.")
    expect(page.get_by_text(f"oleh {admin.username}").first).to_be_visible()
